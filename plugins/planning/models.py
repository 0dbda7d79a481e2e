"""The КТП's tables: one plan per teaching load, its ordered rows, the history of its states
and the reminders sent before the deadline."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models import UTCDateTime, utcnow

DRAFT, SUBMITTED, APPROVED, RETURNED = "draft", "submitted", "approved", "returned"
STATES = {
    DRAFT: _l("Черновик"),
    SUBMITTED: _l("На утверждении"),
    APPROVED: _l("Утверждён"),
    RETURNED: _l("Возвращён на доработку"),
}


class Plan(db.Model):
    """The КТП of one teaching load (``journal_teaching_load``)."""

    __tablename__ = "planning_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    load_id: Mapped[int] = mapped_column(ForeignKey("journal_teaching_load.id"), unique=True)
    state: Mapped[str] = mapped_column(String(20), default=DRAFT)
    #: the approver's comment when the plan was last returned
    comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class PlanRow(db.Model):
    """A row of a plan: a topic of a section with its hours, in the plan's order."""

    __tablename__ = "planning_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("planning_plan.id"), index=True)
    position: Mapped[int]
    section: Mapped[str] = mapped_column(String(300), default="")
    topic: Mapped[str] = mapped_column(Text)
    hours: Mapped[int]
    #: a ``journal_lesson.work_type`` key
    work_type: Mapped[str] = mapped_column(String(20), default="lecture")
    self_study: Mapped[str] = mapped_column(Text, default="")
    #: the week of the term it is planned for (1 = the term's first), if the teacher says
    week: Mapped[int | None]

    __table_args__ = (UniqueConstraint("plan_id", "position"),)


class Transition(db.Model):
    """A change of a plan's state: who, when, from what to what, with the comment."""

    __tablename__ = "planning_transition"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("planning_plan.id"), index=True)
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    comment: Mapped[str] = mapped_column(Text, default="")


class Reminder(db.Model):
    """A reminder sent to a load's teacher before ``deadline``: once per load and deadline."""

    __tablename__ = "planning_reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    load_id: Mapped[int] = mapped_column(ForeignKey("journal_teaching_load.id"))
    deadline: Mapped[date]
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("load_id", "deadline"),)
