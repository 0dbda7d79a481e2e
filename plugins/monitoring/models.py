"""Sign-ins and digest opens, one row each, with the college day, week and month they fall in
(fixed at the moment, in the college's zone) so that counts per day, week or month are a plain
GROUP BY on every database."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models import UTCDateTime


class SignIn(db.Model):
    """One sign-in with a password (``core.auth.events.SignedIn``)."""

    __tablename__ = "monitoring_sign_in"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    day: Mapped[date]
    #: the Monday of the week
    week: Mapped[date]
    #: the first day of the month
    month: Mapped[date]

    __table_args__ = (Index("ix_monitoring_sign_in_day", "day", "user_id"),
                      Index("ix_monitoring_sign_in_user", "user_id", "at"))


class DigestOpen(db.Model):
    """One follow of a weekly digest's diary link (``notify_email.digest_opened``)."""

    __tablename__ = "monitoring_digest_open"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    day: Mapped[date]

    __table_args__ = (Index("ix_monitoring_digest_open_day", "day", "user_id"),)
