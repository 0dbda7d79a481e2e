"""Two real writers at once (DESIGN §10 "Races hide on SQLite").

``committed_app`` is an app on a database of its own whose transactions really commit: on
PostgreSQL (``EJOURNAL_TEST_DATABASE_URL``) a fresh schema of the test database, dropped
afterwards, so the shared app's rolled-back tests never see its rows; on SQLite a file that
begins ``IMMEDIATE`` as production does. ``race`` runs writers in threads, each with its own
client (so its own session and connection), released together by a barrier every round.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, text

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
