"""A file uploaded for a preview and kept until its owner confirms it (the year's import): in
the database, so that the confirmation may reach any app server behind the balancer, and for a
day at most."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models import UTCDateTime, utcnow

#: how long an unconfirmed upload is kept
KEEP = timedelta(days=1)
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class PendingUpload(db.Model):
    __tablename__ = "core_pending_upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id", ondelete="CASCADE"),
                                         index=True)
    meta: Mapped[Any] = mapped_column(JSON)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


def stash(user_id: int, content: bytes, meta: dict) -> str:
    """Keep ``content`` for ``user_id`` (committed: the preview answers right after) and drop
    the uploads older than a day; the random token that names it."""
    now = utcnow()
    db.session.execute(delete(PendingUpload).where(PendingUpload.created_at < now - KEEP))
    token = secrets.token_urlsafe(24)
    db.session.add(PendingUpload(token=token, user_id=user_id, meta=meta, content=content,
                                 created_at=now))
    db.session.commit()
    return token


def stashed(user_id: int, token: str) -> tuple[bytes, dict] | None:
    """The file and its details for ``token``, only for the user who uploaded it and within
    the day; ``None`` otherwise."""
    if not TOKEN_RE.match(token or ""):
        return None
    row = db.session.scalar(select(PendingUpload).where(
        PendingUpload.token == token, PendingUpload.user_id == user_id,
        PendingUpload.created_at >= utcnow() - KEEP))
    return None if row is None else (row.content, dict(row.meta))


def drop(token: str) -> None:
    """Forget the upload (confirmed or refused); the caller's transaction commits it."""
    db.session.execute(delete(PendingUpload).where(PendingUpload.token == token))
