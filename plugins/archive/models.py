"""What the archive keeps in the database: the archived periods, the files written for each
(the files themselves live in the archive's storage, never only here) and the addenda.

Nothing here is rewritten once a period is archived: a correction is a new ``ArchiveAddendum``
with a file of its own, chained to the manifest and to the addendum before it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import UTCDateTime, utcnow

#: states of a period's archive: being written by the worker, written and sealed, failed
STATES = ("closing", "archived", "failed")
#: what a file of the archive is
KINDS = ("journal_pdf", "statement_pdf", "data_csv", "data_json", "manifest", "addendum")
#: how long a file is kept: ``archive.journal_retention_years`` or ``statement_retention_years``
RETENTION_CLASSES = ("journal", "statement")


class ArchivedPeriod(db.Model):
    """A term (``term_id`` set) or a whole academic year (``term_id`` empty) and its archive."""

    __tablename__ = "archive_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("core_academic_year.id"), index=True)
    term_id: Mapped[int | None] = mapped_column(ForeignKey("core_term.id"))
    #: «2025/2026» or «2025/2026, 1 семестр», as it was when the period was closed
    title: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    state: Mapped[str] = mapped_column(String(20), default="closing")
    #: the worker's progress: steps done of total
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: the storage path of the manifest, its SHA-256 and its seal (``audit_key.mac``)
    manifest_path: Mapped[str] = mapped_column(String(300), default="")
    manifest_sha256: Mapped[str] = mapped_column(String(64), default="")
    seal: Mapped[str] = mapped_column(String(64), default="")
    #: the audit chain's head when the archive was written (last entry id and its hash)
    audit_head_id: Mapped[int | None]
    audit_head_hash: Mapped[str] = mapped_column(String(64), default="")

    files: Mapped[list[ArchiveFile]] = relationship(back_populates="period",
                                                    order_by="ArchiveFile.id")

    __table_args__ = (UniqueConstraint("starts_on", "ends_on"),)


class ArchiveFile(db.Model):
    """One file of a period's archive, as the manifest lists it."""

    __tablename__ = "archive_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("archive_period.id"), index=True)
    #: the path in the archive's storage (``storage.Storage``), relative to its root
    path: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("core_group.id"))
    #: what the file is for a person («Сводная ведомость, группа ТМ-21»)
    title: Mapped[str] = mapped_column(String(300), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    retention: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: set when the retention purge removed the file (the row stays for the act of destruction)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    period: Mapped[ArchivedPeriod] = relationship(back_populates="files")


class ArchiveAddendum(db.Model):
    """A correction made after the period was archived, recorded as its own sealed file."""

    __tablename__ = "archive_addendum"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("archive_period.id"), index=True)
    #: 1, 2, … within the period
    number: Mapped[int]
    #: what was corrected, as a person reads it («Оценка Иванова И. за 12.03.2026: 3 → 4»)
    summary: Mapped[str] = mapped_column(String(500))
    reason: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    file_id: Mapped[int] = mapped_column(ForeignKey("archive_file.id"))
    #: the SHA-256 of the file before it in the chain: the manifest, or the previous addendum
    previous_sha256: Mapped[str] = mapped_column(String(64))
    seal: Mapped[str] = mapped_column(String(64))

    file: Mapped[ArchiveFile] = relationship()

    __table_args__ = (UniqueConstraint("period_id", "number"),)
