"""A request to the administration and its history. A request is never rewritten quietly: every
status change, answer, reopening and application is a ``RequestEntry`` row (and an audit row).
``details`` holds what a kind carries: the new phone and e-mail of a data change with the values
they replace, the student, order, date and group of a movement."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models import UTCDateTime, utcnow

HELP = "help"
DATA_CHANGE = "data_change"
MOVEMENT = "movement"
PROBLEM = "problem"
KINDS = (HELP, DATA_CHANGE, MOVEMENT, PROBLEM)

NEW = "new"
IN_WORK = "in_work"
ANSWERED = "answered"
CLOSED = "closed"
STATUSES = (NEW, IN_WORK, ANSWERED, CLOSED)
#: the statuses in which the administration owes an answer
OPEN = (NEW, IN_WORK)


class HelpRequest(db.Model):
    __tablename__ = "helpdesk_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=NEW)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    #: the incident number of the error page a problem was reported from
    incident: Mapped[str | None] = mapped_column(String(32))
    #: a data change: the author's guardian record it changes
    guardian_id: Mapped[int | None] = mapped_column(ForeignKey("core_guardian.id"))
    #: a movement: the student it is about
    student_id: Mapped[int | None] = mapped_column(ForeignKey("core_student.id"))
    details: Mapped[Any] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: since when the administration owes an answer (filed or reopened); overdue is counted
    #: from here
    waiting_since: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    #: the administration changed it since its author last opened it (the author's menu counter)
    unseen_by_author: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_helpdesk_request_status", "status", "waiting_since"),)


class RequestEntry(db.Model):
    """One step of a request: filed, a status change (with the answer given), applied,
    reopened."""

    __tablename__ = "helpdesk_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("helpdesk_request.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: "filed", "status", "applied", "reopened"
    action: Mapped[str] = mapped_column(String(20))
    status_from: Mapped[str | None] = mapped_column(String(20))
    status_to: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
