"""The demo's previous year is closed by the administrator: each term frozen at once and handed
to the worker, which writes it with its progress shown (here for the demo student's group)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from sqlalchemy import select

from core.demo import load_demo
from core.extensions import db
from core.people.models import Student, User
from core.people.movement import group_on
from core.policy import check
from core.worker import KEY
from plugins.archive import closing, writer
from plugins.archive.models import ArchivedPeriod
from plugins.archive.storage import storage
from plugins.journal import api as journal


def test_the_demos_previous_year_is_closed_frozen_and_written_by_the_worker(
        demo_day_app, monkeypatch, tmp_path):
    app = demo_day_app
    monkeypatch.setitem(app.config, "ARCHIVE_PATH", str(tmp_path / "archive"))
    with app.app_context():
        load_demo(seed=2026, today=datetime(2026, 11, 25, tzinfo=UTC).date())
        periods = db.session.scalars(select(ArchivedPeriod).order_by(ArchivedPeriod.starts_on)
                                     ).all()
        assert [p.title for p in periods] == ["2025/2026, 1 семестр", "2025/2026, 2 семестр"]
        assert {p.state for p in periods} == {"closing"}
        queued = [task.name for task in app.extensions[KEY].pending()]
        assert queued.count(closing.TASK) == 2
        first = periods[0]
        student = db.session.scalar(select(Student).join(User, User.id == Student.user_id)
                                    .where(User.login == "anisimov.am"))
        group_id = group_on(student.id, first.ends_on)
        lesson = journal.lessons_between(first.starts_on, first.ends_on,
                                         group_ids={group_id})[0]
        admin = db.session.scalar(select(User).where(User.login == "admin"))
    with app.test_request_context():
        refused = check("lesson.edit", db.session.get(User, admin.id), lesson)
        assert not refused and "сдаётся в архив" in refused.reason

    seen: list[int] = []
    original = writer._Progress._write

    def recorded(self, done):
        original(self, done)
        seen.append(done)

    monkeypatch.setattr(writer._Progress, "_write", recorded)
    # the demo student's group only: each group's printed journal takes ~10 s of CPU
    monkeypatch.setattr(writer, "period_groups", lambda period: [
        group for group in original_groups(period) if group.id == group_id])
    started = time.process_time()
    with app.test_request_context():
        writer.write_period(first.id)
    seconds = time.process_time() - started
    with app.app_context():
        period = db.session.get(ArchivedPeriod, first.id)
        assert period.state == "archived", period.error
        pdf = next(f for f in period.files if f.kind == "journal_pdf")
        assert storage().get(pdf.path).startswith(b"%PDF") and pdf.size > 50_000
    assert seen == sorted(seen) and seen[-1] == period.total and len(set(seen)) > 5
    assert seconds < 60, seconds


original_groups = writer.period_groups
