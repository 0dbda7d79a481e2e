"""Fixtures of the announcements' tests: the messages' small college (two groups, their
families, curators and teachers, the administration) around a college day."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from plugins.messaging.tests.world import build

#: a Monday, 12:00 in Moscow
NOON = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(app, clock):
    clock.set(NOON, tick=True)
    return build(app, NOON.date(), prefix="a")
