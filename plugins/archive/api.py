"""What other plugins ask the archive: whether a day lies in an archived period, and the
archived files of a period (so that its statements are served from the archive, not rebuilt)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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


#: the frozen periods (closing or archived) as the rule reads them: a copy kept in the core's
#: settings, which every request reads once anyway, so that the rule adds no query to a page
#: (``sync_frozen`` writes it whenever a period's state changes; the table stays the truth)
FROZEN_SETTING = "archive.frozen_periods"


def _frozen_rows() -> list[ArchivedPeriodInfo]:
    rows = db.session.scalars(select(ArchivedPeriod)
                              .where(ArchivedPeriod.state.in_(("closing", "archived")))
                              .order_by(ArchivedPeriod.starts_on))
    return [_info(period) for period in rows]


def sync_frozen(actor=None) -> None:
    """Copy the frozen periods into the settings (after a period's state changed; the caller
    commits, so the copy changes with the state in one transaction)."""
    from core import settings

    db.session.flush()
    settings.put(FROZEN_SETTING, [
        {"id": p.id, "title": p.title, "starts_on": p.starts_on.isoformat(),
         "ends_on": p.ends_on.isoformat(), "year_id": p.year_id, "term_id": p.term_id,
         "manifest_sha256": p.manifest_sha256, "state": p.state} for p in _frozen_rows()],
        actor=actor, action="archive.frozen")


def frozen_periods() -> list[ArchivedPeriodInfo]:
    """Every period archived or being written (frozen either way), oldest first, from the
    settings' copy (no query of its own)."""
    from core import settings
    from core.params import to_date

    return [ArchivedPeriodInfo(row["id"], row["title"], to_date(row["starts_on"]),
                               to_date(row["ends_on"]), row["year_id"],
                               row["term_id"], row["manifest_sha256"], row["state"])
            for row in settings.stored().get(FROZEN_SETTING) or ()]


def archived_periods() -> list[ArchivedPeriodInfo]:
    """Every archived (sealed) period, oldest first."""
    return [period for period in frozen_periods() if period.state == "archived"]


def frozen_period_of(day: date) -> ArchivedPeriodInfo | None:
    """The period archived or being written that contains ``day``, if any."""
    return next((period for period in frozen_periods()
                 if period.starts_on <= day <= period.ends_on), None)


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
