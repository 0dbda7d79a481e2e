"""The college's clock: its time zone, today at the college, the day and local time of an instant.

Every stored time is UTC (``core.models.utcnow``); what a person sees and what a rule counts in
days (the edit window, answer deadlines, quiet hours) is the college's own time, config
``TIMEZONE``. Core and plugins ask these functions, never ``ZoneInfo`` themselves.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from core.models import utcnow


def college_zone() -> ZoneInfo:
    """The college's time zone (config ``TIMEZONE``, e.g. ``Europe/Moscow``)."""
    return ZoneInfo(current_app.config["TIMEZONE"])


def college_time(at: datetime) -> datetime:
    """The instant ``at`` on the college's clock; a naive ``at`` is read as UTC, as stored."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(college_zone())


def college_day(at: datetime) -> date:
    """The college's calendar day of the instant ``at``."""
    return college_time(at).date()


def college_today() -> date:
    """Today at the college."""
    return college_day(utcnow())


def college_zone_label(at: datetime | None = None) -> str:
    """How a page names the college's clock once, beside its times: «UTC+03:00»."""
    offset = college_time(at or utcnow()).strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"
