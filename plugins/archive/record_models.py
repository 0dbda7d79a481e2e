"""What the archive records about its own upkeep: every verification run of a period (when,
by whom or by the worker, the result and what differed) and every act of destruction (the
retention purge of a period's journals: the files and the record counts removed, the statement
files kept and until when).

Both are append-only: a verification or an act, once written, is never changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models import UTCDateTime, utcnow

#: who started a verification
TRIGGERS = ("cli", "worker", "page")


class ArchiveVerification(db.Model):
    """One verification of one period's archive (``plugins.archive.verify``)."""

    __tablename__ = "archive_verification"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("archive_period.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    trigger: Mapped[str] = mapped_column(String(10))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    ok: Mapped[bool]
    files_checked: Mapped[int] = mapped_column(default=0)
    records_checked: Mapped[int] = mapped_column(default=0)
    #: what differed, each a Russian sentence naming the file or the record
    problems: Mapped[Any] = mapped_column(JSON, default=list)


class DestructionAct(db.Model):
    """An act of destruction (акт о выделении к уничтожению) of a period's journals."""

    __tablename__ = "archive_destruction_act"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the act's number, 1, 2, … in the order they were drawn up
    number: Mapped[int] = mapped_column(unique=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("archive_period.id"), index=True)
    #: what was destroyed: "journal" (journals and detailed records, after
    #: ``archive.journal_retention_years``) or "statement" (the statements, after
    #: ``archive.statement_retention_years``)
    retention: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: the administrator who ran the purge; none when the worker ran it at its due date
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    #: the retention term applied (years) and the last day the files were kept
    years: Mapped[int]
    kept_until: Mapped[str] = mapped_column(String(10))
    #: [{"path", "title", "kind", "sha256", "size"}] of the files removed
    files: Mapped[Any] = mapped_column(JSON, default=list)
    #: [{"plugin", "table", "title", "count"}] of the records removed
    records: Mapped[Any] = mapped_column(JSON, default=list)
    #: [{"path", "title", "kept_until"}] of the statement files kept
    kept: Mapped[Any] = mapped_column(JSON, default=list)

    __table_args__ = (UniqueConstraint("period_id", "retention"),)
