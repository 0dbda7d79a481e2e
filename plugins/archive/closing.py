"""Closing a period: what blocks it (asked of every plugin through ``archive_blockers``), and
starting the worker's job that writes its archive (``writer.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from core import audit
from core.errors import Conflict, DomainError
from core.extensions import db
from core.people.models import User
from core.plugins import hook
from core.plugins.types import ArchiveBlocker
from core.worker import enqueue_task
from plugins.archive import api
from plugins.archive.models import ArchivedPeriod
from plugins.archive.periods import PeriodChoice, calendar_periods

TASK = "archive.write_period"


@dataclass(frozen=True)
class PeriodState:
    """A period of the calendar on the archive page: its archive row if any, and what blocks
    closing it now (empty once it may be closed)."""

    choice: PeriodChoice
    archived: ArchivedPeriod | None
    blockers: tuple[ArchiveBlocker, ...]

    @property
    def closable(self) -> bool:
        return not self.blockers and (self.archived is None or self.archived.state == "failed")


def find_choice(starts_on: date, ends_on: date) -> PeriodChoice | None:
    """The calendar's period with these dates (under the current ``archive.period``)."""
    return next((choice for choice in calendar_periods()
                 if (choice.starts_on, choice.ends_on) == (starts_on, ends_on)), None)


def record_of(choice: PeriodChoice) -> ArchivedPeriod | None:
    return db.session.scalar(select(ArchivedPeriod).where(
        ArchivedPeriod.starts_on == choice.starts_on, ArchivedPeriod.ends_on == choice.ends_on))


def blockers(choice: PeriodChoice, today: date) -> list[ArchiveBlocker]:
    """What keeps ``choice`` from being closed on ``today``: a period still running or one
    whose archive exists or is being written, and whatever the plugins name."""
    if choice.ends_on >= today:
        return [ArchiveBlocker(_("Период ещё не закончился: он завершается %(day)s",
                                 day=choice.ends_on.strftime("%d.%m.%Y")), 1)]
    found = record_of(choice)
    if found is not None and found.state == "archived":
        return [ArchiveBlocker(_("Период уже сдан в архив"), 1)]
    if found is not None and found.state == "closing":
        return [ArchiveBlocker(_("Архив периода уже записывается"), 1)]
    return [blocker for answer in hook().archive_blockers(start=choice.starts_on,
                                                          end=choice.ends_on)
            for blocker in answer or ()]


def period_states(today: date) -> list[PeriodState]:
    """Every period of the calendar, newest first, with its archive and its blockers."""
    return [PeriodState(choice, record_of(choice), tuple(blockers(choice, today)))
            for choice in reversed(calendar_periods())]


def describe(found: list[ArchiveBlocker]) -> str:
    """The blockers in one Russian sentence, for a refusal."""
    parts = []
    for blocker in found:
        named = f": {', '.join(blocker.examples)}" if blocker.examples else ""
        parts.append(f"{blocker.title} ({blocker.count}){named}")
    return _("Период нельзя закрыть. %(what)s", what="; ".join(parts))


def open_period(user: User, choice: PeriodChoice, today: date) -> ArchivedPeriod:
    """Record the period as being closed (flushed, not committed). ``Conflict`` naming what
    blocks it when it cannot be closed."""
    found = blockers(choice, today)
    if found:
        raise Conflict(describe(found))
    period = record_of(choice)
    if period is None:
        period = ArchivedPeriod(year_id=choice.year_id, term_id=choice.term_id,
                                title=choice.title, starts_on=choice.starts_on,
                                ends_on=choice.ends_on, created_by=user.id)
        db.session.add(period)
    else:  # a failed attempt, tried again: its files were removed when it failed
        period.state, period.error, period.done, period.total = "closing", "", 0, 0
        period.created_by = user.id
    db.session.flush()
    audit.record("archive.close", period, after={"title": choice.title,
                                                 "starts_on": choice.starts_on.isoformat(),
                                                 "ends_on": choice.ends_on.isoformat()},
                 actor=user)
    return period


def start(user: User, choice: PeriodChoice, today: date) -> ArchivedPeriod:
    """:func:`open_period`, committed, and the writing handed to the worker."""
    period_id = open_period(user, choice, today).id
    db.session.commit()  # the worker reads it (and, in this process, must be able to write)
    enqueue_task(TASK, period_id)
    api.forget()
    return db.session.get(ArchivedPeriod, period_id)


def require_choice(starts_on: date | None, ends_on: date | None) -> PeriodChoice:
    """The period named by a form's dates; 422 for one the calendar has not got."""
    choice = find_choice(starts_on, ends_on) if starts_on and ends_on else None
    if choice is None:
        raise DomainError(_("Такого периода нет в календаре."))
    return choice
