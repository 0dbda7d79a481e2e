"""The SMS tests' clock: every test runs from a school morning on."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

#: a Wednesday, 8:30 in Moscow: marks are queued then and delivered at the noon a test names
SCHOOL_MORNING = datetime(2026, 11, 11, 5, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _school_morning(clock):
    """The clock ticks on from 8:30, so what a test queues "now" is due at its noon, whatever
    the hour of the run (after 12:00 Moscow time these tests used to fail)."""
    clock.set(SCHOOL_MORNING, tick=True)
