"""The database's own check of a batch: a change another transaction commits after the batch
was read (here written behind the session's back, so the check in Python passes) is found at
write time. The whole batch is rolled back and answered 409 with the cell's current value."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from core.extensions import db
from core.models import utcnow
from plugins.grading import services
from plugins.grading.models import Final, Mark
from plugins.grading.tests.world import build
from tests.concurrency import (
    behind_the_back,
    cell_of,
    changed_behind_the_batch,
    refused_as_a_conflict,
)

TODAY = 11
PETROV, KUZNETSOV = 0, 2


@pytest.fixture
def world(app):
    return build(app, prefix="wc")


def _values(world) -> dict[int, str]:
    return dict(db.session.execute(select(Mark.student_id, Mark.value).where(
        Mark.lesson_id == world.lessons[TODAY])).all())


def test_a_mark_saved_by_another_after_the_batch_was_read_is_409_and_nothing_is_saved(
        app, world, monkeypatch):
    with app.test_request_context():
        named, version = changed_behind_the_batch(monkeypatch, services, world, Mark.__table__,
                                                  {"value": "5"}, TODAY, saved="3", other="4",
                                                  again="4")
        assert named["current"] == {"text": "5", "value": "5", "version": version + 1}
        assert _values(world) == {world.students[PETROV]: "5"}  # Кузнецов's 4 rolled back
        db.session.rollback()


def test_two_saves_of_one_empty_cell_the_second_is_409_with_the_first_ones_value(
        app, world, monkeypatch):
    with app.test_request_context():
        behind_the_back(monkeypatch, services, lambda: db.session.connection().execute(
            insert(Mark.__table__).values(
                lesson_id=world.lessons[TODAY], student_id=world.students[PETROV], position=0,
                mark_type="oral", value="2", version=1, updated_at=utcnow(), corrected=False)))
        named = refused_as_a_conflict(services, world, [
            cell_of(world, TODAY, KUZNETSOV, "4"), cell_of(world, TODAY, PETROV, "5")])
        assert [c["student_id"] for c in named] == [world.students[PETROV]]
        assert named[0]["current"]["value"] == "2"
        assert _values(world) == {world.students[PETROV]: "2"}
        db.session.rollback()


def test_two_saves_of_one_empty_final_the_second_is_409_with_the_first_ones_value(
        app, world, monkeypatch):
    final = {"key": "term_final", "student_id": None, "value": "н/а", "version": None}
    with app.test_request_context():
        behind_the_back(monkeypatch, services, lambda: db.session.connection().execute(
            insert(Final.__table__).values(
                load_id=world.ids["load"], student_id=world.students[PETROV], kind="term",
                value="na", version=1, updated_at=utcnow())))
        named = refused_as_a_conflict(services, world,
                                      [{**final, "student_id": world.students[PETROV]}])
        assert named[0]["current"]["version"] == 1
        db.session.rollback()
