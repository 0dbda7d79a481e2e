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
from tests.concurrency import race

TODAY = 11
PETROV, KUZNETSOV, FEDOROVA = 0, 2, 3
#: the cells each tab saves: both save Кузнецов's, each also one the other never touches
BATCHES = [(PETROV, KUZNETSOV), (KUZNETSOV, FEDOROVA)]
#: values to cycle through, several marks in a cell among them
VALUES = ["5", "4/3", "3", "5/4", "2", "4", "3/3"]
ROUNDS = 10


def _signed_in(app, user):
    client = app.test_client()
    response = client.post("/auth/login", data={"login": user.login, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _cycling(offset: int):
    """The next of ``VALUES`` that differs from the cell's value."""
    def choose(number: int, value: str) -> str:
        return next(v for k in range(len(VALUES))
                    if (v := VALUES[(number * 2 + offset + k) % len(VALUES)]) != value)
    return choose


def _tab(app, world, user, cells: tuple[int, ...], choose, seen=None):
    """A grid tab: it saves its cells with the versions it last saw and learns from answers."""
    client = _signed_in(app, user)
    seen = dict(seen or {s: ("", None) for s in cells})
    url = f"/grading/loads/{world.ids['load']}/cells"

    def save(number: int) -> tuple[int, dict, dict]:
        sent = {student: choose(number, seen[student][0]) for student in cells}
        response = client.post(url, json={"cells": [
            {"lesson_id": world.lessons[TODAY], "student_id": world.students[s], "value": v,
             "version": seen[s][1]} for s, v in sent.items()]})
        body = response.get_json(silent=True) or {}
        answered = {c["student_id"]: c for c in body.get("cells", [])}
        for student in cells:
            found = answered.get(world.students[student])
            if response.status_code == 200:
                seen[student] = (found["value"], found["version"])
            elif found is not None and found.get("current"):
                seen[student] = (found["current"]["value"], found["current"]["version"])
        return response.status_code, sent, answered

    return save


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
    teacher = world.users["teacher"]
    tabs = [_tab(committed_app, world, teacher, cells, _cycling(offset))
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
    teacher = world.users["teacher"]
    status, _sent, answered = _tab(committed_app, world, teacher, (KUZNETSOV,),
                                   lambda _number, _value: "5/4")(0)
    assert status == 200
    version = answered[world.students[KUZNETSOV]]["version"]
    tabs = [_tab(committed_app, world, teacher, (KUZNETSOV,), _toggling(position),
                 {KUZNETSOV: ("5/4", version)}) for position in (0, 1)]

    rounds = race(ROUNDS, tabs)

    _assert_nothing_lost(committed_app, world, rounds, first=(version, "5/4"))


def _assert_nothing_lost(committed_app, world, rounds, first=None) -> None:
    """Every save answered 200 or 409, exactly one of each round's two applied, and the cells'
    history is every applied save, in order, once."""
    applied: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if first is not None:
        applied[KUZNETSOV].append(first)
    for tab_rounds in rounds:
        for status, sent, answered in tab_rounds:
            assert status in (200, 409), (status, answered)
            if status == 200:
                for student, value in sent.items():
                    applied[student].append((answered[world.students[student]]["version"],
                                             value))
            else:  # the refusal names Кузнецов's cell, the one both tabs saved
                assert world.students[KUZNETSOV] in answered
    for number in range(ROUNDS):  # both tabs saw the same version: exactly one may apply
        assert sorted(tab_rounds[number][0] for tab_rounds in rounds) == [200, 409], number
    with committed_app.app_context():
        for student, saves in applied.items():
            versions = [version for version, _value in saves]
            assert len(set(versions)) == len(versions), (student, saves)  # no version twice
            in_order = [value for _version, value in sorted(saves)]
            marks = db.session.execute(select(Mark.id, Mark.position, Mark.value).where(
                Mark.lesson_id == world.lessons[TODAY],
                Mark.student_id == world.students[student]).order_by(Mark.position)).all()
            assert "/".join(m.value for m in marks if m.value) == in_order[-1]
            history = {m.position: [tuple(row) for row in db.session.execute(
                select(History.old_value, History.new_value).where(History.mark_id == m.id)
                .order_by(History.id))] for m in marks}
            assert history == _replayed(in_order), student  # every change, in order, once
