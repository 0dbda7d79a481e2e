"""Two teachers' tabs saving the same marks at the same instant, through the grid's endpoint,
on two real connections (PostgreSQL in CI, SQLite by default): no save is lost, none is a 500.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy import select

from core.extensions import db
from plugins.grading.models import History, Mark
from plugins.grading.tests.world import PASSWORD, build
from tests.concurrency import applied_saves, grid_tab, in_version_order, race
from tests.fixtures import signed_in

TODAY = 11
PETROV, KUZNETSOV, FEDOROVA = 0, 2, 3
#: the cells each tab saves: both save Кузнецов's, each also one the other never touches
BATCHES = [(PETROV, KUZNETSOV), (KUZNETSOV, FEDOROVA)]
#: values to cycle through, several marks in a cell among them
VALUES = ["5", "4/3", "3", "5/4", "2", "4", "3/3"]
ROUNDS = 10


def _cycling(offset: int):
    """The next of ``VALUES`` that differs from the cell's value."""
    def choose(number: int, value: str) -> str:
        return next(v for k in range(len(VALUES))
                    if (v := VALUES[(number * 2 + offset + k) % len(VALUES)]) != value)
    return choose


def _tab(app, world, students: tuple[int, ...], choose, seen=None):
    """A grid tab of the load's teacher saving the cells of today's lesson."""
    return grid_tab(signed_in(app, world.users["teacher"], PASSWORD),
                    f"/journal/load/{world.ids['load']}/cells/grading", world, TODAY, students, choose,
                    seen)


def _replayed(values: list[str]) -> dict[int, list[tuple[str, str]]]:
    """The history rows, by mark position, that saving ``values`` in turn must write."""
    rows: list[str] = []
    expected: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for value in values:
        parts = value.split("/")
        for position in range(max(len(parts), len(rows))):
            new = parts[position] if position < len(parts) else ""
            old = rows[position] if position < len(rows) else ""
            if old != new:
                expected[position].append((old, new))
                if position < len(rows):
                    rows[position] = new
                else:
                    rows.append(new)
    return dict(expected)


@pytest.mark.committing
def test_two_tabs_saving_the_same_marks_at_once_lose_nothing(committed_app):
    world = build(committed_app, prefix="race")
    tabs = [_tab(committed_app, world, cells, _cycling(offset))
            for offset, cells in enumerate(BATCHES)]

    rounds = race(ROUNDS, tabs)

    _assert_nothing_lost(committed_app, world, rounds)


def _toggling(position: int):
    """Change one mark of a two-mark cell, leaving the other as it is."""
    def choose(_number: int, value: str) -> str:
        parts = value.split("/")
        parts[position] = "3" if parts[position] != "3" else "4"
        return "/".join(parts)
    return choose


@pytest.mark.committing
def test_two_tabs_changing_different_marks_of_one_cell_at_once_meet_on_the_cell(committed_app):
    """A cell is one value with one version: of two saves that saw it, one applies, even when
    one changes its first mark and the other its second."""
    world = build(committed_app, prefix="race2")
    status, _sent, answered = _tab(committed_app, world, (KUZNETSOV,),
                                   lambda _number, _value: "5/4")(0)
    assert status == 200
    version = answered[world.students[KUZNETSOV]]["version"]
    tabs = [_tab(committed_app, world, (KUZNETSOV,), _toggling(position),
                 {KUZNETSOV: ("5/4", version)}) for position in (0, 1)]

    rounds = race(ROUNDS, tabs)

    _assert_nothing_lost(committed_app, world, rounds, first=(version, "5/4"))


def _assert_nothing_lost(committed_app, world, rounds, first=None) -> None:
    """Every save answered 200 or 409, exactly one of each round's two applied, and the cells'
    history is every applied save, in order, once."""
    applied = applied_saves(rounds, contested=world.students[KUZNETSOV])
    if first is not None:
        applied[world.students[KUZNETSOV]].insert(0, first)
    with committed_app.app_context():
        for student_id, saves in applied.items():
            in_order = in_version_order(saves)
            marks = db.session.execute(select(Mark.id, Mark.position, Mark.value).where(
                Mark.lesson_id == world.lessons[TODAY],
                Mark.student_id == student_id).order_by(Mark.position)).all()
            assert "/".join(m.value for m in marks if m.value) == in_order[-1]
            history = {m.position: [tuple(row) for row in db.session.execute(
                select(History.old_value, History.new_value).where(History.mark_id == m.id)
                .order_by(History.id))] for m in marks}
            assert history == _replayed(in_order), student_id  # every change, in order, once
