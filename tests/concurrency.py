"""Two real writers at once (DESIGN §10 "Races hide on SQLite").

``committed_app`` is an app on a database of its own whose transactions really commit: on
PostgreSQL (``EJOURNAL_TEST_DATABASE_URL``) a fresh schema of the test database, dropped
afterwards, so the shared app's rolled-back tests never see its rows; on SQLite a file that
begins ``IMMEDIATE`` as production does. ``race`` runs writers in threads, each with its own
client (so its own session and connection), released together by a barrier every round;
``grid_tab`` is such a writer, a grid's tab saving its cells, and ``applied_saves`` checks the
rounds of two tabs and gives what was applied.

For a world of the grading tests (``plugins.grading.tests.world``): ``cell_of`` a batch,
``save_committed`` a batch as anyone, in a request of its own, and
``save_as_teacher`` through a plugin's services (``refused_as_a_conflict`` when it must be
a 409), and ``behind_the_back`` to have another transaction's write land between the check of
a batch and its write; ``changed_behind_the_batch`` is that race on a saved cell.
"""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, text, update

from core import migrate
from core.extensions import db
from tests.fixtures import TEST_DB_ENV


def _fresh_schema(url: str, schema: str, drop_only: bool = False) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        if not drop_only:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()


def schema_url(url: str, schema: str) -> str:
    """``url`` (PostgreSQL) whose connections use ``schema`` (``_fresh_schema``): for apps in
    other processes, which take the database only as a URL."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture
def committed_app(make_app, tmp_path) -> Iterator[Flask]:
    """A migrated app whose commits are real, on PostgreSQL when the suite runs there."""
    url = os.environ.get(TEST_DB_ENV)
    schema = f"concurrent_{os.getpid()}"
    if url:
        _fresh_schema(url, schema)
        app = make_app(DATABASE_URL=url, SQLALCHEMY_ENGINE_OPTIONS={
            "pool_pre_ping": True, "connect_args": {"options": f"-csearch_path={schema}"}})
    else:
        app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'concurrent.sqlite3'}",
                       SQLITE_BEGIN_MODE="IMMEDIATE")
    migrate.upgrade(app)
    yield app
    with app.app_context():
        db.engine.dispose()
    if url:
        _fresh_schema(url, schema, drop_only=True)


def race(rounds: int, writers: list[Callable[[int], Any]]) -> list[list[Any]]:
    """Run every writer once per round, all released at the same instant; each writer's
    results in round order. An exception in a writer fails the test (after the others end)."""
    barrier = threading.Barrier(len(writers), timeout=60)
    results: list[list[Any]] = [[] for _ in writers]
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            for number in range(rounds):
                barrier.wait()
                results[index].append(writers[index](number))
        except BaseException as exc:  # noqa: BLE001 (re-raised in the test's thread)
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(writers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    real = [e for e in errors if not isinstance(e, threading.BrokenBarrierError)]
    if real or errors:
        raise (real or errors)[0]
    return results


# --- grid batches ---------------------------------------------------------------------------

#: what a tab's save gives: the status, the values it sent and the answered cells, both by
#: student id
Save = tuple[int, dict[int, str], dict[int, dict]]


def cell_of(world, lesson: int, student: int, value: str, version: int | None = None) -> dict:
    """A cell of a grid batch: the world's ``lesson``-th lesson and ``student``-th student."""
    return {"lesson_id": world.lessons[lesson], "student_id": world.students[student],
            "value": value, "version": version}


def save_as_teacher(services: ModuleType, world, cells: list[dict]) -> list[dict]:
    """``services.save_cells`` of the world's load as its teacher, in the open request context."""
    from core.people.models import User
    from plugins.journal import api as journal

    user = db.session.get(User, world.users["teacher"].id)
    return services.save_cells(journal.get_load(world.ids["load"]), user, cells)


def save_committed(services: ModuleType, app: Flask, world, who: str, cells: list[dict],
                   at=None) -> list[dict]:
    """``services.save_cells`` of the world's load as ``who`` at ``at``, in a request context of
    its own: committed when saved, rolled back (and the ``DomainError`` raised) when refused."""
    from core.errors import DomainError
    from core.people.models import User
    from plugins.journal import api as journal

    with app.test_request_context():
        user = db.session.get(User, world.users[who].id)
        try:
            results = services.save_cells(journal.get_load(world.ids["load"]), user, cells, at=at)
        except DomainError:
            db.session.rollback()
            raise
        db.session.commit()
        return results


def refused_as_a_conflict(services: ModuleType, world, cells: list[dict]) -> list[dict]:
    """The cells named by the 409 with which ``save_as_teacher`` must refuse the batch."""
    from core.errors import DomainError

    with pytest.raises(DomainError) as refused:
        save_as_teacher(services, world, cells)
    assert refused.value.status == 409
    return refused.value.details["cells"]


def behind_the_back(monkeypatch, services: ModuleType, write: Callable[[], Any]) -> None:
    """Run ``write`` once, after ``services`` checked the next batch (``_plan_cells``) and
    before it writes it: another transaction's change the check in Python did not see."""
    plan = services._plan_cells

    def checked_then_overtaken(*args):
        planned = plan(*args)
        monkeypatch.setattr(services, "_plan_cells", plan)
        write()
        return planned

    monkeypatch.setattr(services, "_plan_cells", checked_then_overtaken)


def changed_behind_the_batch(monkeypatch, services: ModuleType, world, table, values: dict,
                             lesson: int, saved: str, other: str, again: str) -> tuple[dict, int]:
    """Petrov's cell of the ``lesson``-th lesson is saved ``saved`` by the teacher (committed),
    then set to ``values`` in ``table`` by another transaction once the next batch is read: that
    batch (Кузнецов's ``other``, Petrov's ``again`` at the version read) is refused 409 naming
    Petrov's cell alone. Returns that named cell and the version read."""
    petrov, kuznetsov = 0, 2
    version = save_as_teacher(services, world,
                              [cell_of(world, lesson, petrov, saved)])[0]["version"]
    db.session.commit()
    behind_the_back(monkeypatch, services, lambda: db.session.connection().execute(
        update(table).where(table.c.student_id == world.students[petrov])
        .values(**values, version=table.c.version + 1)))
    named = refused_as_a_conflict(services, world, [
        cell_of(world, lesson, kuznetsov, other), cell_of(world, lesson, petrov, again, version)])
    assert [c["student_id"] for c in named] == [world.students[petrov]]
    return named[0], version


def grid_tab(client, url: str, world, lesson: int, students: tuple[int, ...],
             choose: Callable[[int, str], str],
             seen: dict[int, tuple[str, int | None]] | None = None) -> Callable[[int], Save]:
    """A grid tab of a signed-in ``client``: in round ``number`` it posts to ``url`` a value
    for each of its cells (``choose(number, value it last saw)``) with the versions it last saw,
    and learns values and versions from the answer, a 200's cells or a 409's current ones.
    ``students`` and the keys of ``seen`` are indexes of ``world.students``."""
    seen = dict(seen or {s: ("", None) for s in students})

    def save(number: int) -> Save:
        sent = {student: choose(number, seen[student][0]) for student in students}
        response = client.post(url, json={"cells": [
            cell_of(world, lesson, s, v, seen[s][1]) for s, v in sent.items()]})
        body = response.get_json(silent=True) or {}
        answered = {c["student_id"]: c for c in body.get("cells", [])}
        for student in students:
            found = answered.get(world.students[student])
            if response.status_code == 200:
                seen[student] = (found["value"], found["version"])
            elif found is not None and found.get("current"):
                seen[student] = (found["current"]["value"], found["current"]["version"])
        return response.status_code, {world.students[s]: v for s, v in sent.items()}, answered

    return save


def applied_saves(rounds: list[list[Save]], contested: int) -> dict[int, list[tuple[int, str]]]:
    """Each student's applied saves of two tabs' rounds, ``(version, value)`` by student id,
    once it is checked that every save answered 200 or 409, that a refusal names the
    ``contested`` student's cell (the one both tabs save), and that of each round's two saves,
    which saw the same version, exactly one applied."""
    applied: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for tab_rounds in rounds:
        for status, sent, answered in tab_rounds:
            assert status in (200, 409), (status, answered)
            if status == 200:
                for student_id, value in sent.items():
                    applied[student_id].append((answered[student_id]["version"], value))
            else:
                assert contested in answered
    for number in range(len(rounds[0])):
        assert sorted(tab_rounds[number][0] for tab_rounds in rounds) == [200, 409], number
    return applied


def in_version_order(saves: list[tuple[int, str]]) -> list[str]:
    """The values of a cell's applied saves by version, once it is checked that no version was
    given twice."""
    versions = [version for version, _value in saves]
    assert len(set(versions)) == len(versions), saves
    return [value for _version, value in sorted(saves)]


def pending_filed_behind_the_back(monkeypatch, pending, table, row: dict) -> None:
    """Insert ``row`` into a corrections ``table`` once, right after ``pending.of`` (a plugin's
    ``journal.corrections.PendingCorrections``) found the cell free: another person's
    correction filed at the same moment, which the check in Python did not see (only the
    database's unique index does)."""
    check = pending.of

    def checked_then_overtaken(lesson_id: int, student_id: int):
        found = check(lesson_id, student_id)
        monkeypatch.setattr(pending, "of", check)
        db.session.connection().execute(table.insert().values(**row))
        return found

    monkeypatch.setattr(pending, "of", checked_then_overtaken)
