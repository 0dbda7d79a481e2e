"""A self-study task of a teaching load (or of one of its lessons), the students an individual
task is for, each student's work on it (done, handed in, marked) and the files handed in.

Nothing is deleted: a removed task keeps its row (``deleted_at``) and an audit entry. A load
deleted as entered by mistake takes its tasks with it (``ON DELETE CASCADE``). The mark itself
lives in the grading plugin's tables: a work keeps only the mark's id and the lesson it went to.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models import UTCDateTime, utcnow
from core.uploads import StoredFile

#: how a consultation on a task is held
CONSULTATIONS = {
    "distance": _l("дистанционно"),
    "in_person": _l("очно"),
}


class Task(db.Model):
    __tablename__ = "selfstudy_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    load_id: Mapped[int] = mapped_column(
        ForeignKey("journal_teaching_load.id", ondelete="CASCADE"), index=True)
    #: the lesson it was set at; none: set on the journal as a whole
    lesson_id: Mapped[int | None] = mapped_column(ForeignKey("journal_lesson.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    #: Markdown, shown through ``core.markup.render``
    description: Mapped[str] = mapped_column(Text, default="")
    set_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    #: for the chosen students only (``Assignee``); otherwise the whole group (subgroup)
    individual: Mapped[bool] = mapped_column(Boolean, default=False)
    #: a ``CONSULTATIONS`` key, or none when no consultation is offered
    consultation: Mapped[str | None] = mapped_column(String(20))
    consultation_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: the distance consultation's address (http/https), or the room of an in-person one
    consultation_place: Mapped[str] = mapped_column(String(500), default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    @property
    def consultation_title(self) -> str:
        return str(CONSULTATIONS.get(self.consultation or "", ""))


class Assignee(db.Model):
    """A student an individual task is for."""

    __tablename__ = "selfstudy_assignee"

    task_id: Mapped[int] = mapped_column(
        ForeignKey("selfstudy_task.id", ondelete="CASCADE"), primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("core_student.id"), primary_key=True,
                                            index=True)


class Work(db.Model):
    """One student's work on a task: done or handed in (a text, files), then marked."""

    __tablename__ = "selfstudy_work"
    __table_args__ = (UniqueConstraint("task_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(
        ForeignKey("selfstudy_task.id", ondelete="CASCADE"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("core_student.id"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    handed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: who recorded the hand-in: the student, or the teacher for work handed in on paper
    handed_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    #: the grading plugin's mark (``grading_mark.id``) and the lesson whose cell holds it
    mark_id: Mapped[int | None]
    mark_lesson_id: Mapped[int | None] = mapped_column(ForeignKey("journal_lesson.id"))
    marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class WorkFile(StoredFile, db.Model):
    """A file handed in, kept in the database like the materials' files."""

    __tablename__ = "selfstudy_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(
        ForeignKey("selfstudy_work.id", ondelete="CASCADE"), index=True)
