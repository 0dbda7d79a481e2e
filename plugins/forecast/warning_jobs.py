"""The weekly mail of each curator's students at risk (``forecast.warnings.weekly``): the early
warning list of their group as of the job's run, one mail a curator and ISO week (its key)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from core.calendar.clock import college_day
from core.events import emit
from core.extensions import db
from core.models import utcnow
from core.people.models import Group
from plugins.forecast.warning import warning_list
from plugins.forecast.warning_events import WeeklyWarnings


def line_of(row) -> str:
    """A student of the list in one line of a mail."""
    signals = "; ".join(f"{s.discipline}: {s.title}" for s in row.signals)
    change = _("неделю назад: %(n)s", n=row.week_ago)
    return f"{row.name} — {signals} ({change})"


def weekly_warnings(at: datetime | None = None) -> int:
    """Emit each curator's list of their group's students at risk (committed); a curator whose
    group has nobody at risk is not written to. How many curators were told."""
    at = at or utcnow()
    day = college_day(at)
    year, week, _weekday = day.isocalendar()
    told = 0
    for group_id, name, curator_id in db.session.execute(
            select(Group.id, Group.name, Group.curator_id)
            .where(Group.curator_id.is_not(None), Group.graduated.is_(False))
            .order_by(Group.name)):
        listing = warning_list({group_id}, at)
        if not listing.rows:
            continue
        lines = [line_of(row) for row in listing.rows]
        if listing.recovered:
            lines.append(_("вышли из списка за неделю: %(names)s",
                           names=", ".join(name for _id, name, _g in listing.recovered)))
        emit(WeeklyWarnings(recipient_ids=(curator_id,), endpoint="forecast.warnings",
                            values={"group": group_id}, curator_id=curator_id, group=name,
                            day=day.strftime("%d.%m.%Y"), lines=tuple(lines),
                            key=f"forecast-warnings-{group_id}-{curator_id}-{year}-{week:02d}"))
        told += 1
    db.session.commit()
    return told
