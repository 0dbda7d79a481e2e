"""Grading tables: scales, marks, finals, their history, exceptions, corrections and unlocks.

Nothing is deleted: a removed mark keeps its row with an empty value, and every change of a
mark or a final writes a ``grading_history`` row (who, when, old, new, reason, approved by).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models import UTCDateTime, utcnow


class DisciplineScale(db.Model):
    """The scale of a discipline: "five" (5, 4, 3, 2) or "pass_fail"; absent means "five"."""

    __tablename__ = "grading_discipline_scale"

    discipline_id: Mapped[int] = mapped_column(ForeignKey("journal_discipline.id"),
                                               primary_key=True)
    scale: Mapped[str] = mapped_column(String(20), default="five")


class AssessmentKind(db.Model):
    """A form of certification of a teaching load (экзамен, дифф. зачёт, курсовая, ...): its
    final column appears in the journal beside the term's."""

    __tablename__ = "grading_assessment_kind"

    id: Mapped[int] = mapped_column(primary_key=True)
    load_id: Mapped[int] = mapped_column(ForeignKey("journal_teaching_load.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))

    __table_args__ = (UniqueConstraint("load_id", "kind"),)


class Mark(db.Model):
    """One current mark: the ``position``-th mark of a student in a lesson ("4/3" is two)."""

    __tablename__ = "grading_mark"

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("journal_lesson.id"))
    student_id: Mapped[int] = mapped_column(ForeignKey("core_student.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    mark_type: Mapped[str] = mapped_column(String(20), default="oral")
    #: stored value ("5", "pass", "na", ...); "" once removed (the row and its history stay)
    value: Mapped[str] = mapped_column(String(10), default="")
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    corrected: Mapped[bool] = mapped_column(default=False)

    #: the database checks the version read on every UPDATE (two writers: one gets a
    #: StaleDataError, answered 409); the services move the version themselves
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}
    __table_args__ = (
        UniqueConstraint("lesson_id", "student_id", "position"),
        Index("ix_grading_mark_lesson", "lesson_id"),
    )


class Final(db.Model):
    """A final grade of a student for a teaching load: term, year, exam, зачёт, ..."""

    __tablename__ = "grading_final"

    id: Mapped[int] = mapped_column(primary_key=True)
    load_id: Mapped[int] = mapped_column(ForeignKey("journal_teaching_load.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("core_student.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(10), default="")
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    #: the database checks the version read on every UPDATE (two writers: one gets a
    #: StaleDataError, answered 409); the services move the version themselves
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}
    __table_args__ = (UniqueConstraint("load_id", "student_id", "kind"),)


class History(db.Model):
    """One change of a mark or a final; a removal is a row with an empty ``new_value``."""

    __tablename__ = "grading_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    mark_id: Mapped[int | None] = mapped_column(ForeignKey("grading_mark.id"), index=True)
    final_id: Mapped[int | None] = mapped_column(ForeignKey("grading_final.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    old_value: Mapped[str] = mapped_column(String(10), default="")
    new_value: Mapped[str] = mapped_column(String(10), default="")
    reason: Mapped[str | None] = mapped_column(Text)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))


class MinimumException(db.Model):
    """An administrator's leave to set a final without the minimum number of marks."""

    __tablename__ = "grading_minimum_exception"

    id: Mapped[int] = mapped_column(primary_key=True)
    load_id: Mapped[int] = mapped_column(ForeignKey("journal_teaching_load.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("core_student.id"))
    reason: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("load_id", "student_id"),)


class Correction(db.Model):
    """A change of a mark past the edit window or in a locked period, with its reason: pending
    until a deputy director or an administrator other than its author approves it (when the
    policy asks for approval), or approved at once when an administrator files it without."""

    __tablename__ = "grading_correction"

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("journal_lesson.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("core_student.id"))
    position: Mapped[int] = mapped_column(default=0)
    old_value: Mapped[str] = mapped_column(String(10), default="")
    new_value: Mapped[str] = mapped_column(String(10), default="")
    reason: Mapped[str] = mapped_column(Text)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: "pending", "approved" or "rejected"
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(Text)

    #: one pending correction a cell: the database refuses a second one filed at the same
    #: moment (answered 409 by ``file_correction``), decided ones do not count
    __table_args__ = (
        Index("ix_grading_correction_one_pending", "lesson_id", "student_id", unique=True,
              sqlite_where=text("status = 'pending'"),
              postgresql_where=text("status = 'pending'")),
    )


class Unlock(db.Model):
    """An administrator's unlock of a load whose finals are set: ``active`` until locked again by
    hand, and never past ``until`` (the last college day it is open; ``None`` only on unlocks
    made before unlocks had an end)."""

    __tablename__ = "grading_unlock"

    id: Mapped[int] = mapped_column(primary_key=True)
    load_id: Mapped[int] = mapped_column(ForeignKey("journal_teaching_load.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    active: Mapped[bool] = mapped_column(default=True)
    until: Mapped[date | None]


class MarkFlag(db.Model):
    """A student's or parent's report that a mark was entered in error (BTT 4.3.2: the student
    tells the teacher), and the answer of whoever writes the journal: the mark kept, with a
    comment, or corrected through a correction with its reason (``correction_id``; pending while
    it waits for approval). The flag keeps the value it was about: the mark may change later."""

    __tablename__ = "grading_mark_flag"

    id: Mapped[int] = mapped_column(primary_key=True)
    mark_id: Mapped[int] = mapped_column(ForeignKey("grading_mark.id"), index=True)
    value: Mapped[str] = mapped_column(String(10))
    flagged_by_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    comment: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: "open", "kept" or "corrected"
    status: Mapped[str] = mapped_column(String(10), default="open")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    answer_comment: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    correction_id: Mapped[int | None] = mapped_column(ForeignKey("grading_correction.id"))

    #: one open flag a mark: the database refuses a second one raised at the same moment
    #: (answered 409 by ``flags.raise_flag``); answered ones do not count
    __table_args__ = (
        Index("ix_grading_mark_flag_one_open", "mark_id", unique=True,
              sqlite_where=text("status = 'open'"),
              postgresql_where=text("status = 'open'")),
    )
