"""One pending correction a cell, kept by the database (issue #13): two people filing a
correction of the same cell at the same moment both pass the check in Python; the unique index
over pending corrections refuses the second, answered 409 with the check's own message and
nothing of it saved. Decided corrections (approved, rejected) never block a new one."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core.audit import AuditEntry
from core.errors import DomainError
from core.extensions import db
from core.people.models import User
from plugins.grading import services
from plugins.grading.models import Correction, Mark
from plugins.grading.tests.world import build, noon, save_on_the_day
from plugins.journal import api as journal
from tests.concurrency import cell_of, pending_filed_behind_the_back

PAST, TODAY = 2, 11
PETROV = 0
PENDING_EXISTS = "По этой оценке уже подана заявка на исправление: дождитесь решения"


@pytest.fixture
def world(app):
    made = build(app, prefix="op")
    save_on_the_day(app, made, services.save_cells, "teacher", [cell_of(made, PAST, PETROV, "3")])
    return made


def file(world, who: str, value: str, reason: str = "Ошибка при вводе оценки") -> Correction:
    """``who`` files a correction of Petrov's past mark, in the open request context."""
    user = db.session.get(User, world.users[who].id)
    return services.file_correction(user, journal.get_load(world.ids["load"]),
                                    world.lessons[PAST], world.students[PETROV], value, reason,
                                    at=noon(world.dates[TODAY]))


def decide(world, correction_id: int, approve: bool) -> None:
    deputy = db.session.get(User, world.users["deputy"].id)
    services.decide_correction(deputy, correction_id, approve, "" if approve else "Не по правилам",
                               at=noon(world.dates[TODAY]))


def pending_of_the_cell() -> list[tuple[str, int]]:
    return db.session.execute(select(Correction.new_value, Correction.requested_by_id).where(
        Correction.status == "pending")).all()


def test_a_correction_filed_by_another_at_the_same_moment_is_409_and_nothing_is_saved(
        app, world, monkeypatch):
    with app.test_request_context():
        pending_filed_behind_the_back(monkeypatch, services.PENDING, Correction.__table__, {
            "lesson_id": world.lessons[PAST], "student_id": world.students[PETROV],
            "old_value": "3", "new_value": "4", "reason": "Ответ у доски",
            "requested_by_id": world.users["admin"].id,
            "requested_at": noon(world.dates[TODAY]), "status": "pending"})
        with pytest.raises(DomainError) as refused:
            file(world, "teacher", "5")
        assert (refused.value.status, refused.value.message) == (409, PENDING_EXISTS)
        assert pending_of_the_cell() == [("4", world.users["admin"].id)]
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "grade.correction.file")) == 0
        assert db.session.scalar(select(Mark.value)) == "3"
        db.session.rollback()


def test_a_decided_correction_does_not_block_a_new_one(app, world):
    with app.test_request_context():
        rejected = file(world, "teacher", "4")
        decide(world, rejected.id, approve=False)
        approved = file(world, "teacher", "5")
        assert pending_of_the_cell() == [("5", world.users["teacher"].id)]
        decide(world, approved.id, approve=True)
        file(world, "teacher", "4", "Пересдача по протоколу")
        db.session.commit()
        assert pending_of_the_cell() == [("4", world.users["teacher"].id)]
        assert db.session.scalar(select(Mark.value)) == "5"


def test_the_database_refuses_a_second_pending_correction_of_a_cell(app, world):
    """The index itself, whatever writes the row."""
    with app.test_request_context():
        file(world, "teacher", "4")
        db.session.add(Correction(lesson_id=world.lessons[PAST], student_id=world.students[PETROV],
                                  old_value="3", new_value="5", reason="Вторая",
                                  requested_by_id=world.users["admin"].id,
                                  requested_at=noon(world.dates[TODAY]), status="pending"))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
