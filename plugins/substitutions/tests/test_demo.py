"""The demo college: a teacher's two weeks of illness covered by two colleagues."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core import migrate
from core.demo import load_demo
from core.extensions import db
from plugins.journal.models import Lesson, TeachingLoad
from plugins.substitutions import services
from plugins.substitutions.models import Substitution


def test_demo_has_a_teachers_illness_covered_by_two_colleagues(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    migrate.upgrade(app)
    with app.test_request_context():
        load_demo(seed=5, today=date(2026, 11, 25))
        subs = db.session.scalars(select(Substitution).where(
            Substitution.date_from >= date(2026, 9, 1))).all()  # this year's
        assert len(subs) == 2 and len({s.absent_id for s in subs}) == 1
        assert len({s.substitute_id for s in subs}) == 2
        taught = db.session.scalars(select(Lesson.taught_by_id).where(
            Lesson.taught_by_id.in_({s.substitute_id for s in subs}),
            Lesson.date >= min(s.date_from for s in subs))).all()
        assert taught


def test_demo_has_last_years_week_of_illness_taught_by_a_colleague(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    migrate.upgrade(app)
    with app.test_request_context():
        load_demo(seed=5, today=date(2026, 9, 2))
        sub = db.session.scalar(select(Substitution).where(Substitution.date_to < date(2026, 7, 1)))
        assert sub.date_from.month == 3 and sub.date_from.weekday() == 0
        taught = db.session.scalars(select(Lesson).join(TeachingLoad).where(
            TeachingLoad.teacher_id == sub.absent_id, Lesson.date >= sub.date_from,
            Lesson.date <= sub.date_to, Lesson.taught_by_id == sub.substitute_id)).all()
        assert taught and all(lesson.topic for lesson in taught)
        assert len(taught) == len(services.occurrences(sub))
