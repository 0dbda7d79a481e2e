"""The database's own check of attendance cells: a mark another transaction commits after the
batch was read (here written behind the session's back, so the check in Python passes) is found
at write time; the whole batch is rolled back and answered 409 with the cell's current value."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from plugins.attendance import services
from plugins.attendance.models import Absence
from plugins.grading.tests.world import build
from tests.concurrency import changed_behind_the_batch

TODAY = 11
PETROV = 0


@pytest.fixture
def world(app):
    return build(app, prefix="awc")


def test_an_absence_marked_by_another_after_the_batch_was_read_is_409_and_nothing_is_saved(
        app, world, monkeypatch):
    with app.test_request_context():
        named, version = changed_behind_the_batch(
            monkeypatch, services, world, Absence.__table__,
            {"kind": "late", "hours": 0, "minutes": 15}, TODAY, saved="н", other="н", again="")
        assert named["current"] == {"text": "оп15", "value": "оп15", "version": version + 1}
        assert db.session.execute(select(Absence.student_id, Absence.kind).where(
            Absence.lesson_id == world.lessons[TODAY])).all() == [(world.students[PETROV], "late")]
        db.session.rollback()
