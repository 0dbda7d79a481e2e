"""The demo college has a journal for every group: loads, a timetable, lessons up to today."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from core import create_app, migrate
from core.calendar.models import AcademicYear, Term
from core.demo import load_demo
from core.extensions import db
from core.people.models import Group
from plugins.journal import api, services
from plugins.journal.models import Lesson, TeachingLoad, TimetableSlot

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def demo_app(app_config, tmp_path_factory):
    """The demo loaded once for this module's tests, which only read it."""
    folder = tmp_path_factory.mktemp("journal-demo")
    app = create_app({**app_config, "INSTANCE_PATH": str(folder / "instance"),
                      "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}"})
    migrate.upgrade(app)
    with app.app_context():
        load_demo(seed=7, today=TODAY)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_demo_journals_cover_every_group_up_to_today(demo_app):
    today = TODAY
    with demo_app.app_context():
        this_year = TeachingLoad.term_id.in_(select(Term.id).join(AcademicYear).where(
            AcademicYear.is_current))
        groups = db.session.scalar(select(func.count()).select_from(Group).where(
            Group.graduated.is_(False)))
        loaded = db.session.scalar(select(func.count(func.distinct(TeachingLoad.group_id)))
                                   .where(this_year))
        assert groups == loaded == 8
        assert db.session.scalar(select(func.count()).select_from(TimetableSlot)) > 40
        assert db.session.scalar(select(func.max(Lesson.date))) <= today
        lessons = select(Lesson.id).join(TeachingLoad).where(this_year)
        filled = db.session.scalar(select(func.count()).where(Lesson.id.in_(lessons),
                                                              Lesson.topic != ""))
        total = db.session.scalar(select(func.count()).where(Lesson.id.in_(lessons)))
        assert total > 300 and 0.9 * total < filled < total  # a few of the last days unfilled


def test_demo_journals_of_last_year_have_every_lesson_of_its_timetable(demo_app):
    with demo_app.test_request_context():
        year = db.session.scalar(select(AcademicYear).where(AcademicYear.is_current.is_(False)))
        loads = api.loads(TeachingLoad.term_id.in_([term.id for term in year.terms]))
        assert len(loads) == 8 * 2 * 5  # 8 groups, both terms, 5 disciplines each
        planned = services.timetable_of(loads, year.starts_on, year.ends_on)
        holidays = [(h.starts_on, h.ends_on) for h in year.holidays]
        for load in loads:
            lessons = api.lessons(load)
            expected = [(day, pair) for day, pair, _hours in planned[load.id]
                        if not any(a <= day <= b for a, b in holidays)]
            assert [(lesson.date, lesson.pair_number) for lesson in lessons] == expected
            assert all(lesson.topic and lesson.work_type for lesson in lessons)
            assert load.term.starts_on <= lessons[0].date and lessons[-1].date <= load.term.ends_on


def test_the_list_of_journals_shows_one_academic_year_the_current_one_first(demo_app):
    from core.people.demo import DEMO_PASSWORD

    with demo_app.app_context():
        previous = db.session.scalar(select(AcademicYear).where(
            AcademicYear.is_current.is_(False)))
        previous_id = previous.id
    client = demo_app.test_client()
    assert client.post("/auth/login", data={"login": "admin", "password": DEMO_PASSWORD},
                       ).status_code == 302
    current = client.get("/journal/").get_data(as_text=True)
    assert "2026/2027 учебный год" in current and "ТМ-26" in current
    assert "ТМ-22" not in current  # last year's graduates: not this year's journals
    assert f'href="/journal/?year={previous_id}"' in current
    last = client.get(f"/journal/?year={previous_id}").get_data(as_text=True)
    assert "2025/2026 учебный год" in last and "ТМ-22" in last and "ТМ-26" not in last
    assert client.get("/journal/?year=999999").status_code == 200  # an unknown year: the current
