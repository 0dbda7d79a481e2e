"""Attendance tables. Nothing is deleted: a cleared absence keeps its row with an empty kind, and
every change writes an ``attendance_history`` row (who, when, old, new, note, approver); a
change after the lesson's day is an ``attendance_correction``."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models import UTCDateTime, utcnow


class Absence(db.Model):
    """A student's absence from a lesson (``kind`` "absent", with the academic hours missed) or
    lateness ("late", with minutes); "" once cleared. ``reason`` is the curator's: "illness",
    "valid", "invalid" or "" (not yet known)."""

    __tablename__ = "attendance_absence"

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("journal_lesson.id"))
    student_id: Mapped[int] = mapped_column(ForeignKey("core_student.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="")
    hours: Mapped[int] = mapped_column(default=0)
    minutes: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str] = mapped_column(String(10), default="")
    excuse_id: Mapped[int | None] = mapped_column(ForeignKey("attendance_excuse.id"))
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    #: the database checks the version read on every UPDATE (two writers: one gets a
    #: StaleDataError, answered 409); the services move the version themselves
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}
    __table_args__ = (
        UniqueConstraint("lesson_id", "student_id"),
        Index("ix_attendance_absence_lesson", "lesson_id"),
    )


class AbsenceHistory(db.Model):
    """One change of an absence: the mark ("н2", "оп10", "") or its reason."""

    __tablename__ = "attendance_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    absence_id: Mapped[int] = mapped_column(ForeignKey("attendance_absence.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    field: Mapped[str] = mapped_column(String(10))
    old_value: Mapped[str] = mapped_column(String(20), default="")
    new_value: Mapped[str] = mapped_column(String(20), default="")
    note: Mapped[str] = mapped_column(String(300), default="")
    #: who approved a correction of the mark after the lesson's day (its author when the policy
    #: asks for no approval); ``note`` is then the correction's reason
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))


class Taken(db.Model):
    """Attendance of a lesson was recorded (by marking an absence or «все присутствуют»)."""

    __tablename__ = "attendance_taken"

    lesson_id: Mapped[int] = mapped_column(ForeignKey("journal_lesson.id"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))


class Excuse(db.Model):
    """A reason for a student's absences over a date range: a sick note entered by the curator
    (accepted at once) or a parent's report (pending until the curator accepts or rejects it)."""

    __tablename__ = "attendance_excuse"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("core_student.id"), index=True)
    date_from: Mapped[date]
    date_to: Mapped[date]
    reason: Mapped[str] = mapped_column(String(10))
    document: Mapped[str] = mapped_column(String(200), default="")
    comment: Mapped[str] = mapped_column(String(1000), default="")
    source: Mapped[str] = mapped_column(String(10))  # "curator" or "parent"
    status: Mapped[str] = mapped_column(String(10))  # "pending", "accepted", "rejected"
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_comment: Mapped[str] = mapped_column(String(1000), default="")


class Correction(db.Model):
    """A change of a past lesson's attendance mark (old → new) with its reason, filed by whoever
    could write the cell on the day: pending until a deputy director or an administrator other
    than its author decides it (``attendance.correction_approval``), else applied at once."""

    __tablename__ = "attendance_correction"

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("journal_lesson.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("core_student.id"))
    old_value: Mapped[str] = mapped_column(String(20), default="")
    new_value: Mapped[str] = mapped_column(String(20), default="")
    reason: Mapped[str] = mapped_column(String(300))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: "pending", "approved" or "rejected"
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str] = mapped_column(Text, default="")

    #: one pending correction a cell: the database refuses a second one filed at the same
    #: moment (answered 409 by ``file_correction``), decided ones do not count
    __table_args__ = (
        Index("ix_attendance_correction_one_pending", "lesson_id", "student_id", unique=True,
              sqlite_where=text("status = 'pending'"),
              postgresql_where=text("status = 'pending'")),
    )
