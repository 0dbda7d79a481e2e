"""The demo college's attendance: absences with and without reasons, chronic absentees, a
parent's report waiting for the curator, a few lessons not marked on the day."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from core import migrate
from core.demo import load_demo
from core.extensions import db
from plugins.attendance import services
from plugins.attendance.models import Absence, Excuse


def test_demo_absences_are_realistic(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    migrate.upgrade(app)
    today = date(2026, 11, 25)
    with app.test_request_context():
        load_demo(seed=11, today=today)
        by_reason = dict(db.session.execute(
            select(Absence.reason, func.count()).where(Absence.kind == "absent")
            .group_by(Absence.reason)).all())
        assert set(by_reason) == {"", "illness", "valid", "invalid"}
        assert by_reason["illness"] > by_reason["invalid"]
        assert db.session.scalar(select(func.count()).where(Absence.kind == "late")) > 0
        assert db.session.scalar(select(func.count()).select_from(Excuse).where(
            Excuse.status == "pending")) == 3  # the first group curator's (home page)
        start = today - timedelta(days=90)
        students = db.session.scalars(select(Absence.student_id).distinct()).all()
        assert services.chronic(services.details(students, start, today))
        assert services.not_marked_on_the_day(today - timedelta(days=30), today)
