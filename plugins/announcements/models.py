"""An announcement or an event: its audience (``college``, ``course`` + ``course``, ``group`` +
``group_id``, ``staff``), when it is shown (``publish_at`` ≤ now < ``expires_at``), for an event
its time and place. Times are stored in UTC; they are entered and shown in the college's zone.
Nothing is deleted: a withdrawn announcement keeps its row (``withdrawn_at``) and its audit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models import UTCDateTime, utcnow

NOTICE = "notice"
EVENT = "event"


class Announcement(db.Model):
    __tablename__ = "announcements_announcement"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), index=True)
    #: ``NOTICE`` (объявление) or ``EVENT`` (мероприятие)
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    #: Markdown, rendered by ``core.markup.render``
    body: Mapped[str] = mapped_column(Text, default="")
    #: "college", "course", "group" or "staff"
    audience: Mapped[str] = mapped_column(String(10))
    course: Mapped[int | None]
    group_id: Mapped[int | None] = mapped_column(ForeignKey("core_group.id"), index=True)
    #: an event's start and (optional) end
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(200), default="")
    publish_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: e-mail it to its audience once published; ``mailed_at``: when that was queued
    email: Mapped[bool] = mapped_column(default=False)
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: the author and the administration may edit at once: a stale edit is refused
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_announcements_announcement_shown", "expires_at", "publish_at"),)

    @property
    def is_event(self) -> bool:
        return self.kind == EVENT
