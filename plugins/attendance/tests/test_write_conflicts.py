"""The database's own check of attendance cells: a mark another transaction commits after the
batch was read (here written behind the session's back, so the check in Python passes) is found
at write time; the whole batch is rolled back and answered 409 with the cell's current value."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from core.extensions import db
from plugins.attendance import services
from plugins.attendance.models import Absence
from plugins.grading.tests.world import build
from tests.concurrency import behind_the_back, cell_of, refused_as_a_conflict, save_as_teacher

TODAY = 11
PETROV, KUZNETSOV = 0, 2


@pytest.fixture
def world(app):
    return build(app, prefix="awc")


def test_an_absence_marked_by_another_after_the_batch_was_read_is_409_and_nothing_is_saved(
        app, world, monkeypatch):
    with app.test_request_context():
        version = save_as_teacher(services, world,
                                  [cell_of(world, TODAY, PETROV, "н")])[0]["version"]
        db.session.commit()
        absences = Absence.__table__
        behind_the_back(monkeypatch, services, lambda: db.session.connection().execute(
            update(absences).where(absences.c.student_id == world.students[PETROV])
            .values(kind="late", hours=0, minutes=15, version=absences.c.version + 1)))
        named = refused_as_a_conflict(services, world, [
            cell_of(world, TODAY, KUZNETSOV, "н"), cell_of(world, TODAY, PETROV, "", version)])
        assert [c["student_id"] for c in named] == [world.students[PETROV]]
        assert named[0]["current"] == {"text": "оп15", "value": "оп15", "version": version + 1}
        assert db.session.execute(select(Absence.student_id, Absence.kind).where(
            Absence.lesson_id == world.lessons[TODAY])).all() == [(world.students[PETROV], "late")]
        db.session.rollback()
