"""The demo's archive: the previous academic year, finished, closed by the administrator (each
of its periods by ``archive.period``) and handed to the worker, which writes it (its printed
journals take about ten seconds of CPU a group: far more than the demo's own few seconds)."""

from __future__ import annotations

import logging

from sqlalchemy import select

from core.extensions import db
from core.people.models import User
from core.worker import enqueue_task
from plugins.archive import api, closing
from plugins.archive.periods import ended_periods

log = logging.getLogger(__name__)


def archive_previous_year(college) -> None:
    """Close every period of the previous year (frozen from now on) and queue its writing for
    the worker; what blocks one is logged, not forced."""
    previous = college.made.get("previous_terms")
    if not previous:
        return
    year_id = previous[0].year_id
    admin = db.session.scalar(select(User).where(User.login == "admin"))
    if admin is None:
        return
    opened: list[int] = []
    for choice in ended_periods(college.today):
        if choice.year_id != year_id:
            continue
        found = closing.blockers(choice, college.today)
        if found:
            log.warning("demo: %s", closing.describe(found))
            continue
        opened.append(closing.open_period(admin, choice, college.today).id)
    if not opened:
        return
    db.session.commit()  # the archive is the last plugin: the demo is complete, the worker reads it
    for period_id in opened:
        enqueue_task(closing.TASK, period_id)
    api.forget()
    college.made["archive_periods"] = opened
