"""Fixtures of the control's tests: the small college of ``world.py`` on a Wednesday noon."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from plugins.control.tests.world import build

#: a Wednesday, 12:00 in Moscow
NOON = datetime(2026, 10, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(app, clock):
    clock.set(NOON, tick=True)
    return build(app, NOON.date())
