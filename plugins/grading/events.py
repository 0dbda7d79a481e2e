"""The grading plugin's domain events (``core.events``). Subscribers that do not require
grading (the notification channels) match them by ``name`` and read these fields, and those
of ``plugins.journal.events.StudentLessonEvent``: ``student_id``, ``lesson_id``,
``discipline``, ``lesson_day``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.events import DomainEvent
from plugins.journal.events import StudentLessonEvent


@dataclass(frozen=True)
class GradePosted(StudentLessonEvent):
    """A mark of a lesson's cell was written: ``value`` as stored ("5", "fail", "" when
    removed), ``text`` as the cell shows it ("нз"), ``words`` as a sentence names it
    ("не зачтено"), ``failing`` when it is an unsatisfactory mark."""

    name: ClassVar[str] = "grade.posted"
    mark_id: int
    value: str
    old_value: str
    text: str
    words: str
    failing: bool


@dataclass(frozen=True)
class FinalPosted(DomainEvent):
    """A final (term, exam, ...) of a student in a load was written; ``text`` as shown."""

    name: ClassVar[str] = "final.posted"
    final_id: int
    load_id: int
    student_id: int
    kind: str
    value: str
    old_value: str
    text: str
    discipline: str


@dataclass(frozen=True)
class MarkFlagEvent(StudentLessonEvent):
    """What both events of a mark flag carry: the flag, the mark (``mark``, as shown), the
    student's full name and who flagged it."""

    flag_id: int
    mark_id: int
    mark: str
    student_name: str
    flagged_by_id: int
    comment: str


@dataclass(frozen=True)
class MarkFlagRaised(MarkFlagEvent):
    """A student or parent (``flagged_by``, their short name) flagged a mark as wrong, with
    ``comment``; ``teacher_ids`` are told."""

    name: ClassVar[str] = "grade.flag.raised"
    teacher_ids: tuple[int, ...]
    flagged_by: str


@dataclass(frozen=True)
class MarkFlagAnswered(MarkFlagEvent):
    """A teacher (``answered_by``) answered a flag with ``comment``: ``answer`` "kept" or
    "corrected" (to ``new_mark``; ``pending`` while the correction waits for approval); the
    family member who flagged it is told."""

    name: ClassVar[str] = "grade.flag.answered"
    answer: str
    pending: bool
    new_mark: str
    answered_by: str
