"""A teacher opening a journal in two tabs at the same instant, on two real connections
(PostgreSQL in CI, SQLite by default): the day's lessons of the timetable are created once, and
neither tab answers with a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.extensions import db
from plugins.grading.tests.world import PASSWORD, build, college_today
from plugins.journal.models import Discipline, Lesson, TeachingLoad, TimetableSlot
from tests.concurrency import race

JOURNALS = 4
PAIR = 5  # the world's own lessons are second pairs


def _journals_with_a_lesson_today(app, world) -> list[int]:
    today = college_today(app)
    with app.app_context():
        loads = []
        for number in range(JOURNALS):
            discipline = Discipline(code=f"ОП.{10 + number}", name=f"Дисциплина {number}",
                                    short_name=f"Д{number}", kind="discipline")
            db.session.add(discipline)
            db.session.flush()
            load = TeachingLoad(teacher_id=world.users["teacher"].id, group_id=world.ids["g1"],
                                discipline_id=discipline.id, term_id=world.ids["term"],
                                hours_per_week=2, hours_total=34)
            db.session.add(load)
            db.session.flush()
            db.session.add(TimetableSlot(load_id=load.id, weekday=today.isoweekday(),
                                         pair_number=PAIR, hours=2, valid_from=today))
            loads.append(load.id)
        db.session.commit()
    return loads


@pytest.mark.committing
def test_two_tabs_opening_a_journal_at_once_create_the_days_lessons_once(committed_app):
    world = build(committed_app, prefix="tabs")
    loads = _journals_with_a_lesson_today(committed_app, world)

    def tab():
        client = committed_app.test_client()
        assert client.post("/auth/login", data={"login": world.users["teacher"].login,
                                                "password": PASSWORD}).status_code == 302
        return lambda number: client.get(f"/journal/load/{loads[number]}").status_code

    rounds = race(JOURNALS, [tab(), tab()])

    assert rounds == [[200] * JOURNALS, [200] * JOURNALS]
    with committed_app.app_context():
        for load_id in loads:
            assert db.session.scalar(select(func.count()).select_from(Lesson).where(
                Lesson.load_id == load_id, Lesson.pair_number == PAIR)) == 1
