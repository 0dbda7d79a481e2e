"""Two teachers' tabs marking the same absences at the same instant, through the grid's
endpoint, on two real connections (PostgreSQL in CI, SQLite by default): no save is lost, none
is a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from plugins.attendance.models import Absence, AbsenceHistory
from plugins.grading.tests.world import PASSWORD, build
from tests.concurrency import applied_saves, grid_tab, in_version_order, race
from tests.fixtures import signed_in

TODAY = 11
PETROV, KUZNETSOV, FEDOROVA = 0, 2, 3
#: the cells each tab saves: both save Кузнецов's, each also one the other never touches
BATCHES = [(PETROV, KUZNETSOV), (KUZNETSOV, FEDOROVA)]
ROUNDS = 10


def _value(tab: int):
    """A mark no other save uses, so the history shows whose save each row is."""
    return lambda number, _seen: f"оп{number * 2 + tab + 1}"


@pytest.mark.committing
def test_two_tabs_marking_the_same_absences_at_once_lose_nothing(committed_app):
    world = build(committed_app, prefix="arace")
    url = f"/journal/load/{world.ids['load']}/cells/attendance"
    tabs = [grid_tab(signed_in(committed_app, world.users["teacher"], PASSWORD), url, world,
                     TODAY, cells, _value(index)) for index, cells in enumerate(BATCHES)]

    rounds = race(ROUNDS, tabs)

    applied = applied_saves(rounds, contested=world.students[KUZNETSOV])
    with committed_app.app_context():
        for student_id, saves in applied.items():
            in_order = in_version_order(saves)
            absence = db.session.scalars(select(Absence).where(
                Absence.lesson_id == world.lessons[TODAY],
                Absence.student_id == student_id)).one()
            assert f"оп{absence.minutes}" == in_order[-1]
            history = [tuple(row) for row in db.session.execute(
                select(AbsenceHistory.old_value, AbsenceHistory.new_value)
                .where(AbsenceHistory.absence_id == absence.id, AbsenceHistory.field == "mark")
                .order_by(AbsenceHistory.id))]
            assert history == list(zip(["", *in_order], in_order, strict=False)), student_id
