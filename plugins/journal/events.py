"""What the journal's plugins' events of a student's record in a lesson share (grading's marks,
attendance's absences): subscribers that require none of them match the events by name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.events import DomainEvent


@dataclass(frozen=True)
class StudentLessonEvent(DomainEvent):
    """An event of ``student_id``'s record in ``lesson_id``, with what a notification names of
    the lesson: its ``discipline`` (the title) and ``lesson_day``."""

    student_id: int
    lesson_id: int
    discipline: str
    lesson_day: date
