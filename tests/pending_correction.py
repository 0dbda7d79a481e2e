"""One pending correction a cell, kept by the database (issue #13), for grading and attendance
alike: two people filing a correction of the same cell at the same moment both pass the check in
Python; the unique index over pending corrections refuses the second, answered 409 with the
check's own message and nothing of it saved. Decided corrections (approved, rejected) never
block a new one.

A plugin's test module sets ``CASE`` (a :class:`Case`) and imports ``*`` from here: the tests
below with their ``case`` and ``world`` fixtures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core.audit import AuditEntry
from core.errors import DomainError
from core.extensions import db
from core.people.models import User
from plugins.grading.tests.world import build, noon, save_on_the_day
from plugins.journal import api as journal
from tests.concurrency import cell_of, pending_filed_behind_the_back

TODAY = 11
PETROV = 0

__all__ = [
    "case",
    "test_a_correction_filed_by_another_at_the_same_moment_is_409_and_nothing_is_saved",
    "test_a_decided_correction_does_not_block_a_new_one",
    "test_the_database_refuses_a_second_pending_correction_of_a_cell",
    "world",
]


@dataclass(frozen=True)
class Case:
    """What differs between the plugins: where corrections are filed and the values filed."""

    prefix: str
    #: the module with ``file_correction``, ``decide_correction`` and ``pending_for``
    corrections: ModuleType
    save_cells: Callable
    model: type
    audit_action: str
    pending_exists: str
    past: int
    #: the value saved in Petrov's past cell, and how the cell then reads (``shown(world)``)
    saved: str
    shown: Callable
    #: the reason of every filed correction (``again_reason``: of the third one)
    reason: str
    again_reason: str
    reject_note: str
    #: the other person's correction, filed behind the back: its value, reason and other fields
    behind: str
    behind_reason: str
    behind_fields: dict = field(default_factory=dict)
    #: the values filed: the refused one, the rejected, the approved, the one filed again, the
    #: one filed before a second row is written straight to the table, and that row's
    refused: str = ""
    rejected: str = ""
    approved: str = ""
    again: str = ""
    indexed: str = ""
    second: str = ""


@pytest.fixture
def case(request) -> Case:
    """The ``CASE`` of the test's module."""
    return request.module.CASE


@pytest.fixture
def world(app, case: Case):
    made = build(app, prefix=case.prefix)
    save_on_the_day(app, made, case.save_cells, "teacher",
                    [cell_of(made, case.past, PETROV, case.saved)])
    return made


def _file(case: Case, world, who: str, value: str, reason: str | None = None):
    """``who`` files a correction of Petrov's past cell, in the open request context."""
    user = db.session.get(User, world.users[who].id)
    return case.corrections.file_correction(
        user, journal.get_load(world.ids["load"]), world.lessons[case.past],
        world.students[PETROV], value, reason or case.reason, at=noon(world.dates[TODAY]))


def _decide(case: Case, world, correction_id: int, approve: bool) -> None:
    deputy = db.session.get(User, world.users["deputy"].id)
    case.corrections.decide_correction(deputy, correction_id, approve,
                                       "" if approve else case.reject_note,
                                       at=noon(world.dates[TODAY]))


def _pending_of_the_cell(case: Case) -> list[tuple[str, int]]:
    model = case.model
    return db.session.execute(select(model.new_value, model.requested_by_id).where(
        model.status == "pending")).all()


def test_a_correction_filed_by_another_at_the_same_moment_is_409_and_nothing_is_saved(
        app, case, world, monkeypatch):
    with app.test_request_context():
        pending_filed_behind_the_back(monkeypatch, case.corrections.PENDING, case.model.__table__, {
            "lesson_id": world.lessons[case.past], "student_id": world.students[PETROV],
            "old_value": case.saved, "new_value": case.behind, "reason": case.behind_reason,
            "requested_by_id": world.users["admin"].id,
            "requested_at": noon(world.dates[TODAY]), "status": "pending",
            **case.behind_fields})
        with pytest.raises(DomainError) as refused:
            _file(case, world, "teacher", case.refused)
        assert (refused.value.status, refused.value.message) == (409, case.pending_exists)
        assert _pending_of_the_cell(case) == [(case.behind, world.users["admin"].id)]
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == case.audit_action)) == 0
        assert case.shown(world) == case.saved
        db.session.rollback()


def test_a_decided_correction_does_not_block_a_new_one(app, case, world):
    with app.test_request_context():
        rejected = _file(case, world, "teacher", case.rejected)
        _decide(case, world, rejected.id, approve=False)
        approved = _file(case, world, "teacher", case.approved)
        assert _pending_of_the_cell(case) == [(case.approved, world.users["teacher"].id)]
        _decide(case, world, approved.id, approve=True)
        _file(case, world, "teacher", case.again, case.again_reason)
        db.session.commit()
        assert _pending_of_the_cell(case) == [(case.again, world.users["teacher"].id)]
        assert case.shown(world) == case.approved


def test_the_database_refuses_a_second_pending_correction_of_a_cell(app, case, world):
    """The index itself, whatever writes the row."""
    with app.test_request_context():
        _file(case, world, "teacher", case.indexed)
        db.session.add(case.model(lesson_id=world.lessons[case.past],
                                  student_id=world.students[PETROV], old_value=case.saved,
                                  new_value=case.second, reason="Вторая",
                                  requested_by_id=world.users["admin"].id,
                                  requested_at=noon(world.dates[TODAY]), status="pending"))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
