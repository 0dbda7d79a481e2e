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


def _tab(app, world, user, cells: tuple[int, ...], offset: int):
    """A grid tab: it saves its cells with the versions it last saw and learns from answers."""
    client = _signed_in(app, user)
    seen: dict[int, tuple[str, int | None]] = {s: ("", None) for s in cells}
    url = f"/grading/loads/{world.ids['load']}/cells"

    def save(number: int) -> tuple[int, dict, dict]:
        sent = {}
        for student in cells:
            value = next(v for k in range(len(VALUES))
                         if (v := VALUES[(number * 2 + offset + k) % len(VALUES)])
                         != seen[student][0])
            sent[student] = value
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
    tabs = [_tab(committed_app, world, teacher, cells, offset)
            for offset, cells in enumerate(BATCHES)]

    rounds = race(ROUNDS, tabs)

    applied: dict[int, list[tuple[int, str]]] = defaultdict(list)
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
