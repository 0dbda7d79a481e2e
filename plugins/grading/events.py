"""The grading plugin's domain events (``core.events``). Subscribers that do not require
grading (the notification channels) match them by ``name`` and read these fields."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from core.events import DomainEvent


@dataclass(frozen=True)
class GradePosted(DomainEvent):
    """A mark of a lesson's cell was written: ``value`` as stored ("5", "fail", "" when
    removed), ``text`` as the cell shows it ("нз"), ``words`` as a sentence names it
    ("не зачтено"), ``failing`` when it is an unsatisfactory mark."""

    name: ClassVar[str] = "grade.posted"
    mark_id: int
    lesson_id: int
    student_id: int
    value: str
    old_value: str
    text: str
    words: str
    failing: bool
    discipline: str
    lesson_day: date


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
class MarkFlagRaised(DomainEvent):
    """A student or parent (``flagged_by``, their short name) flagged a mark (``mark``, as
    shown) as wrong; ``teacher_ids`` are told."""

    name: ClassVar[str] = "grade.flag.raised"
    flag_id: int
    mark_id: int
    lesson_id: int
    student_id: int
    student_name: str
    teacher_ids: tuple[int, ...]
    flagged_by_id: int
    flagged_by: str
    comment: str
    mark: str
    discipline: str
    lesson_day: date


@dataclass(frozen=True)
class MarkFlagAnswered(DomainEvent):
    """A teacher (``answered_by``) answered a flag: ``answer`` "kept" or "corrected" (to
    ``new_mark``; ``pending`` while the correction waits for approval); ``flagged_by_id`` is
    told."""

    name: ClassVar[str] = "grade.flag.answered"
    flag_id: int
    mark_id: int
    lesson_id: int
    student_id: int
    student_name: str
    flagged_by_id: int
    answer: str
    pending: bool
    new_mark: str
    comment: str
    answered_by: str
    mark: str
    discipline: str
    lesson_day: date
