"""The demo college has a journal for every group: loads, a timetable, lessons up to today."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from core import migrate
from core.demo import load_demo
from core.extensions import db
from core.people.models import Group
from plugins.journal.models import Lesson, TeachingLoad, TimetableSlot


def test_demo_journals_cover_every_group_up_to_today(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    migrate.upgrade(app)
    today = date(2026, 11, 25)
    with app.app_context():
        load_demo(seed=7, today=today)
        groups = db.session.scalar(select(func.count()).select_from(Group))
        loaded = db.session.scalar(select(func.count(func.distinct(TeachingLoad.group_id))))
        assert groups == loaded == 8
        assert db.session.scalar(select(func.count()).select_from(TimetableSlot)) > 40
        assert db.session.scalar(select(func.max(Lesson.date))) <= today
        filled = db.session.scalar(select(func.count()).where(Lesson.topic != ""))
        total = db.session.scalar(select(func.count()).select_from(Lesson))
        assert total > 300 and 0.9 * total < filled < total  # a few of the last days unfilled
