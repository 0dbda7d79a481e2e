"""Fixtures of the helpdesk's tests: the world of ``world.py`` and signed-in clients."""

from __future__ import annotations

import pytest

from plugins.helpdesk.tests.world import build
from tests.fixtures import signed_in


@pytest.fixture
def world(app, make_user):
    return build(app, make_user)


@pytest.fixture
def as_(app, world):
    """``as_("parent")``: a client with that person of the world signed in."""
    return lambda key: signed_in(app, world.users[key])
