"""The sign-ins and digest opens recorded as they happen: the core's ``auth.signed_in`` and the
mail channel's ``notify_email.digest_opened`` (matched by name: monitoring runs without the
mail channel), one row each in the transaction of the event."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from core.calendar.clock import college_day
from core.events import DomainEvent
from core.extensions import db
from plugins.monitoring.models import DigestOpen, SignIn


def week_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def month_of(day: date) -> date:
    return day.replace(day=1)


def record_sign_in(user_id: int, at: datetime) -> SignIn:
    day = college_day(at)
    row = SignIn(user_id=user_id, at=at, day=day, week=week_of(day), month=month_of(day))
    db.session.add(row)
    return row


def record_digest_open(user_id: int, at: datetime) -> DigestOpen:
    row = DigestOpen(user_id=user_id, at=at, day=college_day(at))
    db.session.add(row)
    return row


def on_signed_in(event: DomainEvent) -> None:
    record_sign_in(event.user_id, event.at)


def on_digest_opened(event: DomainEvent) -> None:
    record_digest_open(event.user_id, event.at)
