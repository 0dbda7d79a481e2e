"""The test clock: a test sets its own time, and the whole suite can run at another hour.

A time-sensitive test sets its clock with the ``clock`` fixture (``clock.set(instant)``): every
reader of the time in the process (``datetime.now``, ``date.today``, ``time.time``) sees that
instant for the rest of the test, through time-machine.

``EJOURNAL_TEST_CLOCK`` moves the clock of the whole run: ``23:50+03:00`` (today at that hour
in that zone) or a full ISO instant. The clock then ticks on from there, in this process and in
every Python process a test starts (``tests/clock_site/sitecustomize.py`` moves theirs by the
same offset), so a test that reads the wall clock instead of setting its own fails when a date
boundary or an evening hour breaks it. ``.ci/run`` runs the suite once more at 23:50 Moscow time.

Why not libfaketime: with Python 3.11 its faked monotonic clock breaks timed waits
(``threading.Lock.acquire(timeout=...)`` never returns; with the monotonic clock left alone,
``time.sleep`` fails with EINVAL), so the worker tests hang under it.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from datetime import time as dt_time
from pathlib import Path

import pytest
import time_machine

CLOCK_ENV = "EJOURNAL_TEST_CLOCK"
OFFSET_ENV = "EJOURNAL_TEST_CLOCK_OFFSET"  # seconds, for the processes the tests start
SITE = Path(__file__).resolve().parent / "clock_site"

_run_clock: time_machine.travel | None = None


def destination(spec: str, now: datetime) -> datetime:
    """The instant ``spec`` names: a full ISO instant, or an hour with its zone, today there."""
    try:
        hour = dt_time.fromisoformat(spec)
    except ValueError:
        moment = datetime.fromisoformat(spec)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    zone = hour.tzinfo or UTC
    return datetime.combine(now.astimezone(zone).date(), hour)


def pytest_configure(config) -> None:
    global _run_clock
    spec = os.environ.get(CLOCK_ENV)
    if not spec or _run_clock is not None:
        return
    offset = destination(spec, datetime.now(UTC)).timestamp() - time.time()
    os.environ[OFFSET_ENV] = repr(offset)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(SITE), os.environ.get("PYTHONPATH", "")) if p)
    _run_clock = time_machine.travel(time.time() + offset, tick=True)
    _run_clock.start()


def pytest_unconfigure(config) -> None:
    global _run_clock
    if _run_clock is not None:
        _run_clock.stop()
        _run_clock = None


def pytest_report_header(config) -> str | None:
    if _run_clock is None:
        return None
    return f"test clock: the run starts at {datetime.now(UTC).isoformat(timespec='seconds')} ({CLOCK_ENV})"


class Clock:
    """The clock of one test: ``clock.set(datetime(..., tzinfo=...))`` holds it at that instant
    (``tick=True`` lets it run on from there)."""

    def __init__(self) -> None:
        self._travel: time_machine.travel | None = None

    def set(self, at: datetime, tick: bool = False) -> None:
        self.stop()
        self._travel = time_machine.travel(at, tick=tick)
        self._travel.start()

    def stop(self) -> None:
        if self._travel is not None:
            self._travel.stop()
            self._travel = None


@pytest.fixture
def clock():
    """A set clock for a time-sensitive test (the wall clock is never read)."""
    held = Clock()
    yield held
    held.stop()
