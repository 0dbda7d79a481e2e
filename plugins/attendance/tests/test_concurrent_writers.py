"""Two teachers' tabs marking the same absences at the same instant, through the grid's
endpoint, on two real connections (PostgreSQL in CI, SQLite by default): no save is lost, none
is a 500."""

from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy import select

from core.extensions import db
from plugins.attendance.models import Absence, AbsenceHistory
from plugins.grading.tests.world import PASSWORD, build
from tests.concurrency import race

TODAY = 11
PETROV, KUZNETSOV, FEDOROVA = 0, 2, 3
#: the cells each tab saves: both save Кузнецов's, each also one the other never touches
BATCHES = [(PETROV, KUZNETSOV), (KUZNETSOV, FEDOROVA)]
ROUNDS = 10


def _signed_in(app, user):
    client = app.test_client()
    response = client.post("/auth/login", data={"login": user.login, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _value(number: int, tab: int) -> str:
    """A mark no other save uses, so the history shows whose save each row is."""
    return f"оп{number * 2 + tab + 1}"


def _tab(app, world, user, cells: tuple[int, ...], tab: int):
    client = _signed_in(app, user)
    seen: dict[int, int | None] = {s: None for s in cells}
    url = f"/attendance/loads/{world.ids['load']}/cells"

    def save(number: int) -> tuple[int, str, dict]:
        value = _value(number, tab)
        response = client.post(url, json={"cells": [
            {"lesson_id": world.lessons[TODAY], "student_id": world.students[s], "value": value,
             "version": seen[s]} for s in cells]})
        body = response.get_json(silent=True) or {}
        answered = {c["student_id"]: c for c in body.get("cells", [])}
        for student in cells:
            found = answered.get(world.students[student])
            if response.status_code == 200:
                seen[student] = found["version"]
            elif found is not None and found.get("current"):
                seen[student] = found["current"]["version"]
        return response.status_code, value, answered

    return save


@pytest.mark.committing
def test_two_tabs_marking_the_same_absences_at_once_lose_nothing(committed_app):
    world = build(committed_app, prefix="arace")
    teacher = world.users["teacher"]
    tabs = [_tab(committed_app, world, teacher, cells, index)
            for index, cells in enumerate(BATCHES)]

    rounds = race(ROUNDS, tabs)

    applied: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for index, tab_rounds in enumerate(rounds):
        for status, value, answered in tab_rounds:
            assert status in (200, 409), (status, answered)
            if status == 200:
                for student in BATCHES[index]:
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
            absence = db.session.scalars(select(Absence).where(
                Absence.lesson_id == world.lessons[TODAY],
                Absence.student_id == world.students[student])).one()
            assert f"оп{absence.minutes}" == in_order[-1]
            history = [tuple(row) for row in db.session.execute(
                select(AbsenceHistory.old_value, AbsenceHistory.new_value)
                .where(AbsenceHistory.absence_id == absence.id, AbsenceHistory.field == "mark")
                .order_by(AbsenceHistory.id))]
            assert history == list(zip(["", *in_order], in_order, strict=False)), student
