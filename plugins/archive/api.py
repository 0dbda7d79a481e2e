"""What other plugins ask the archive: whether a day lies in an archived period, and the
archived files of a period (so that its statements are served from the archive, not rebuilt)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import g, has_app_context
from sqlalchemy import select

from core.extensions import db
from plugins.archive.models import ArchivedPeriod


@dataclass(frozen=True)
class ArchivedPeriodInfo:
    """An archived period (or one being written: ``state`` "closing"): its dates, title and
    the SHA-256 of its manifest."""

    id: int
    title: str
    starts_on: date
    ends_on: date
    year_id: int
    term_id: int | None
    manifest_sha256: str
    state: str = "archived"


def _info(period: ArchivedPeriod) -> ArchivedPeriodInfo:
    return ArchivedPeriodInfo(period.id, period.title, period.starts_on, period.ends_on,
                              period.year_id, period.term_id, period.manifest_sha256,
                              period.state)


_CACHE = "archive.periods"


def frozen_periods() -> list[ArchivedPeriodInfo]:
    """Every period archived or being written (frozen either way), oldest first; read once per
    app context (a grid's cells each ask the freezing rule), until :func:`forget`."""
    if has_app_context() and _CACHE in g:
        return g.get(_CACHE)
    rows = db.session.scalars(select(ArchivedPeriod)
                              .where(ArchivedPeriod.state.in_(("closing", "archived")))
                              .order_by(ArchivedPeriod.starts_on))
    periods = [_info(period) for period in rows]
    if has_app_context():
        setattr(g, _CACHE, periods)
    return periods


def archived_periods() -> list[ArchivedPeriodInfo]:
    """Every archived (sealed) period, oldest first."""
    return [period for period in frozen_periods() if period.state == "archived"]


def frozen_period_of(day: date) -> ArchivedPeriodInfo | None:
    """The period archived or being written that contains ``day``, if any."""
    return next((period for period in frozen_periods()
                 if period.starts_on <= day <= period.ends_on), None)


def forget() -> None:
    """Drop the periods read in this context (after a period was archived)."""
    if has_app_context():
        g.pop(_CACHE, None)


def archived_period_of(day: date) -> ArchivedPeriodInfo | None:
    """The archived period containing ``day``, if any."""
    return next((period for period in archived_periods()
                 if period.starts_on <= day <= period.ends_on), None)


def is_archived(day: date) -> bool:
    """Whether ``day`` lies in an archived period (its journal is read-only)."""
    return archived_period_of(day) is not None


def kept_until(period: ArchivedPeriodInfo, retention: str) -> date:
    """The last day a file of ``retention`` (``"journal"`` or ``"statement"``) of the period is
    kept: the period's end plus ``archive.journal_retention_years`` or
    ``archive.statement_retention_years``."""
    from core.policy import policy_value

    years = (policy_value("archive.statement_retention_years") if retention == "statement"
             else policy_value("archive.journal_retention_years"))
    end = period.ends_on
    try:
        return end.replace(year=end.year + years)
    except ValueError:  # 29 February
        return end.replace(year=end.year + years, day=28)
