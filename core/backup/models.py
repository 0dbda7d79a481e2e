"""One row per destination per backup run: what restic answered, or why it failed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models import UTCDateTime

OK = "ok"
FAILED = "failed"


class BackupRun(db.Model):
    __tablename__ = "core_backup_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the destination's name in ``BACKUP_DESTINATIONS``
    destination: Mapped[str] = mapped_column(String(100), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: ``ok`` or ``failed``
    status: Mapped[str] = mapped_column(String(10))
    #: who asked: ``cli``, ``worker``, ``demo``, ``admin``
    trigger: Mapped[str] = mapped_column(String(20), default="cli")
    snapshot_id: Mapped[str | None] = mapped_column(String(80))
    #: bytes of the copy (database file or dump and manifest), and bytes restic added
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    added_bytes: Mapped[int | None] = mapped_column(BigInteger)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
