"""Fixtures of the КТП's tests: the world of ``world.py`` in the shared (BTT) app, signed-in
clients, and the same world in an app of the KTIS preset."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core import migrate
from plugins.planning.tests.world import build
from tests.fixtures import signed_in

#: Monday 7 September 2026, noon in Moscow: the first week of the term is over
NOON = datetime(2026, 9, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(app, clock):
    clock.set(NOON, tick=True)
    return build(app)


@pytest.fixture
def as_(app, world):
    """``as_("teacher")``: a client with that person of the world signed in."""
    return lambda key: signed_in(app, world.users[key])


@pytest.fixture
def ktis(make_app, tmp_path, clock):
    """An app of the KTIS preset on its own database, with the world built in it."""
    app = make_app(POLICY="ktis", DATABASE_URL=f"sqlite:///{tmp_path / 'ktis.sqlite3'}",
                   WORKER_WAKE=False)
    migrate.upgrade(app)
    clock.set(NOON, tick=True)
    return app, build(app, prefix="k")
