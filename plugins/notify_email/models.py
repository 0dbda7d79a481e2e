"""A parent's (or a student's) choices about what reaches them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models import UTCDateTime, utcnow

#: which new messages reach a family by mail (and SMS where chosen): every one, only those of a
#: conversation (not letters to many), none
MESSAGE_CHOICES = ("all", "personal", "none")


class Preference(db.Model):
    """``digest_weekday``: 1 (Monday) … 7, or 0 for no digest; absent row: the policy's day.
    ``messages``: one of ``MESSAGE_CHOICES``; ``messages_sms``: an SMS of them too."""

    __tablename__ = "notify_email_preference"

    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), primary_key=True)
    digest_weekday: Mapped[int] = mapped_column(default=5)
    alerts: Mapped[bool] = mapped_column(default=True)
    sms: Mapped[bool] = mapped_column(default=True)
    unsubscribed: Mapped[bool] = mapped_column(default=False)
    messages: Mapped[str] = mapped_column(String(10), default="all", server_default="all")
    messages_sms: Mapped[bool] = mapped_column(default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
