"""The attendance plugin's domain events (``core.events``). Subscribers that do not require
attendance (the notification channels) match them by ``name`` and read these fields (and
``AbsenceMarked``'s of ``plugins.journal.events.StudentLessonEvent``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from core.events import DomainEvent
from plugins.journal.events import StudentLessonEvent


@dataclass(frozen=True)
class AbsenceMarked(StudentLessonEvent):
    """A student was marked absent for ``hours`` of a lesson of ``load_id``; ``reason`` is the
    one already known ("" if none)."""

    name: ClassVar[str] = "absence.marked"
    load_id: int
    hours: int
    reason: str


@dataclass(frozen=True)
class AbsenceReasonSet(DomainEvent):
    """An excuse set the reason of a student's absence from a lesson on ``lesson_day``."""

    name: ClassVar[str] = "absence.reason_set"
    student_id: int
    lesson_id: int
    lesson_day: date
    reason: str
    excuse_id: int


@dataclass(frozen=True)
class AbsenceReasonReported(DomainEvent):
    """A parent reported the reason of their child's absence; the curator decides."""

    name: ClassVar[str] = "absence.reason_reported"
    student_id: int
    excuse_id: int
