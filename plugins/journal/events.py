"""What the journal's plugins' events of a student's record in a lesson share (grading's marks,
attendance's absences): subscribers that require none of them match the events by name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from core.events import DomainEvent


@dataclass(frozen=True)
class StudentLessonEvent(DomainEvent):
    """An event of ``student_id``'s record in ``lesson_id``, with what a notification names of
    the lesson: its ``discipline`` (the title) and ``lesson_day``."""

    student_id: int
    lesson_id: int
    discipline: str
    lesson_day: date


@dataclass(frozen=True)
class CorrectionApplied(DomainEvent):
    """A correction of a past lesson's cell took effect (``plugins.journal.corrections``):
    ``kind`` "grade", "attendance" or "lesson" (the administrator's correction of a lesson's
    record: ``student_id`` ``None``, the values ``field: value`` lines), the cell
    (``lesson_id``, ``lesson_day``, ``student_id``), ``old_value`` → ``new_value`` as stored,
    the ``reason``, who filed it (``requested_by_id``) and who applied it (``applied_by_id``,
    the same person when no approval was asked)."""

    name: ClassVar[str] = "journal.correction.applied"
    kind: str
    lesson_id: int
    lesson_day: date
    student_id: int | None
    old_value: str
    new_value: str
    reason: str
    requested_by_id: int
    applied_by_id: int
