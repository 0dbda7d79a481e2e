"""One pending correction a cell, kept by the database (issue #13): two people filing a
correction of the same attendance cell at the same moment both pass the check in Python; the
unique index over pending corrections refuses the second, answered 409 with the check's own
message and nothing of it saved. Decided corrections (approved, rejected) never block a new one."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core.audit import AuditEntry
from core.errors import DomainError
from core.extensions import db
from core.people.models import User
from plugins.attendance import corrections, services
from plugins.attendance.models import Correction
from plugins.grading.tests.world import build, noon, save_on_the_day
from plugins.journal import api as journal
from tests.concurrency import cell_of, pending_filed_behind_the_back

PAST, TODAY = 3, 11
PETROV = 0
PENDING_EXISTS = "По этой отметке уже подана заявка на исправление: дождитесь решения"
REASON = "Был на занятии: ошибка преподавателя, служебная записка № 5"


@pytest.fixture
def world(app):
    made = build(app, prefix="aop")
    save_on_the_day(app, made, services.save_cells, "teacher", [cell_of(made, PAST, PETROV, "н")])
    return made


def file(world, who: str, value: str) -> Correction:
    """``who`` files a correction of Petrov's past absence, in the open request context."""
    user = db.session.get(User, world.users[who].id)
    return corrections.file_correction(user, journal.get_load(world.ids["load"]),
                                       world.lessons[PAST], world.students[PETROV], value,
                                       REASON, at=noon(world.dates[TODAY]))


def decide(world, correction_id: int, approve: bool) -> None:
    deputy = db.session.get(User, world.users["deputy"].id)
    corrections.decide_correction(deputy, correction_id, approve,
                                  "" if approve else "Записки нет", at=noon(world.dates[TODAY]))


def shown(world) -> str:
    text, _version = services.cell_state(world.lessons[PAST], world.students[PETROV], 2)
    return text


def pending_of_the_cell() -> list[tuple[str, int]]:
    return db.session.execute(select(Correction.new_value, Correction.requested_by_id).where(
        Correction.status == "pending")).all()


def test_a_correction_filed_by_another_at_the_same_moment_is_409_and_nothing_is_saved(
        app, world, monkeypatch):
    with app.test_request_context():
        pending_filed_behind_the_back(monkeypatch, corrections.PENDING, Correction.__table__, {
            "lesson_id": world.lessons[PAST], "student_id": world.students[PETROV],
            "old_value": "н", "new_value": "н1", "reason": "Ушёл после первого часа",
            "requested_by_id": world.users["admin"].id,
            "requested_at": noon(world.dates[TODAY]), "status": "pending",
            "decision_note": ""})
        with pytest.raises(DomainError) as refused:
            file(world, "teacher", "")
        assert (refused.value.status, refused.value.message) == (409, PENDING_EXISTS)
        assert pending_of_the_cell() == [("н1", world.users["admin"].id)]
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "attendance.correction.file")) == 0
        assert shown(world) == "н"
        db.session.rollback()


def test_a_decided_correction_does_not_block_a_new_one(app, world):
    with app.test_request_context():
        rejected = file(world, "teacher", "")
        decide(world, rejected.id, approve=False)
        approved = file(world, "teacher", "н1")
        assert pending_of_the_cell() == [("н1", world.users["teacher"].id)]
        decide(world, approved.id, approve=True)
        file(world, "teacher", "")
        db.session.commit()
        assert pending_of_the_cell() == [("", world.users["teacher"].id)]
        assert shown(world) == "н1"


def test_the_database_refuses_a_second_pending_correction_of_a_cell(app, world):
    """The index itself, whatever writes the row."""
    with app.test_request_context():
        file(world, "teacher", "")
        db.session.add(Correction(lesson_id=world.lessons[PAST], student_id=world.students[PETROV],
                                  old_value="н", new_value="н1", reason="Вторая",
                                  requested_by_id=world.users["admin"].id,
                                  requested_at=noon(world.dates[TODAY]), status="pending"))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
