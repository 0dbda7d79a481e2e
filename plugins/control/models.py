"""Checks, their remarks and acknowledgements, the term-end checklist's manual ticks, and the
internal control plan.

A check is a draft while its checker works on it; signing freezes it: the findings are kept as
they were (``findings``, JSON), and nothing of it changes afterwards (the services refuse with
409). Acknowledgements are added to a signed check's remarks, never changed.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models import UTCDateTime, utcnow

#: the checkers' roles, in the order a person holding several is offered them
CHECKER_ROLES = ("deputy", "methodist", "supervisor")
REGULAR = "regular"
TERM_END = "term_end"


class Check(db.Model):
    __tablename__ = "control_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    checker_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), index=True)
    #: the role the check is made in (``CHECKER_ROLES``)
    role: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20), default=REGULAR)
    #: the groups checked, as comma-separated ids; "" for every group
    group_ids: Mapped[str] = mapped_column(Text, default="")
    scope_title: Mapped[str] = mapped_column(String(300), default="")
    start: Mapped[date]
    end: Mapped[date]
    remark: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    #: the findings as they were when signed (JSON list of rows)
    findings: Mapped[str] = mapped_column(Text, default="")
    #: what was fixed since the previous check when this one was signed (JSON)
    since: Mapped[str] = mapped_column(Text, default="")
    plan_item_id: Mapped[int | None] = mapped_column(ForeignKey("control_plan_item.id"))

    @property
    def signed(self) -> bool:
        return self.signed_at is not None

    def scope_groups(self) -> set[int] | None:
        return {int(g) for g in self.group_ids.split(",") if g} if self.group_ids else None


class Remark(db.Model):
    """The checker's remark on one row of a check: a teacher's journal (``load_id``), or the
    teacher's own gaps (``load_id`` none, e.g. unanswered messages)."""

    __tablename__ = "control_remark"

    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("control_check.id"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), index=True)
    load_id: Mapped[int | None] = mapped_column(ForeignKey("journal_teaching_load.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("core_group.id"))
    text: Mapped[str] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("check_id", "teacher_id", "load_id"),)


class Acknowledgement(db.Model):
    """A teacher or curator has read a remark of a signed check."""

    __tablename__ = "control_ack"

    id: Mapped[int] = mapped_column(primary_key=True)
    remark_id: Mapped[int] = mapped_column(ForeignKey("control_remark.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("remark_id", "user_id"),)


class Tick(db.Model):
    """A manual item of the term-end checklist ticked by the checker (KTIS 5.3)."""

    __tablename__ = "control_tick"

    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("control_check.id"), index=True)
    item: Mapped[str] = mapped_column(String(40))

    __table_args__ = (UniqueConstraint("check_id", "item"),)


class PlanItem(db.Model):
    """A check of the internal control plan (R12): what, who (a role, or a person), when."""

    __tablename__ = "control_plan_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20), default=REGULAR)
    checker_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    due_on: Mapped[date] = mapped_column(index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
