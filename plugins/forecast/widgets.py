"""The home page's block of the early warning (a curator: their group's students at risk; the
administration: the count of the whole college by group) and the curator's count in the menu.

The menu is drawn on every page, and the list is a forecast of every journal of the group: the
count is computed at most once per ``COUNT_SECONDS`` per process and group set (the list's
page and the home page refresh it), never more often."""

from __future__ import annotations

import time
from collections import Counter

from flask_babel import lazy_gettext as _l

from core.calendar.clock import college_day
from core.models import utcnow
from core.plugins.types import Widget

COUNT_SECONDS = 600
_COUNTS: dict[frozenset[int], tuple[float, int]] = {}


def remember(groups: set[int], count: int) -> None:
    _COUNTS[frozenset(groups)] = (time.monotonic() + COUNT_SECONDS, count)


def forget() -> None:
    """Drop the remembered counts (a test's new world)."""
    _COUNTS.clear()


def curator_count(groups: set[int]) -> int:
    """How many students of ``groups`` are at risk now (remembered for ``COUNT_SECONDS``)."""
    from plugins.forecast.warning import signals_at

    key = frozenset(groups)
    kept = _COUNTS.get(key)
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    count = len(signals_at(groups, utcnow()))
    remember(groups, count)
    return count


def widgets(user) -> list[Widget]:
    from plugins.forecast.access import warning_groups
    from plugins.forecast.warning import signals_at

    groups = warning_groups(user)
    if groups is not None and not groups:
        return []
    found = signals_at(groups, utcnow())
    if groups is not None:
        remember(groups, len(found))
    if not found:
        return []
    from plugins.forecast.readiness import members

    group_of = {sid: group for sid, _name, group in members(groups, college_day(utcnow()))}
    by_group = Counter(group_of[sid] for sid in found if sid in group_of)
    from sqlalchemy import select

    from core.extensions import db
    from core.people.models import Group

    names = {gid: name for gid, name in db.session.execute(
        select(Group.id, Group.name).where(Group.id.in_(list(by_group))))} if by_group else {}
    from plugins.forecast.warning import SIGNALS

    counted = Counter(s.kind for found_signals in found.values() for s in found_signals)
    signals = [(str(SIGNALS[kind]), counted[kind]) for kind in SIGNALS if counted[kind]]
    return [Widget(_l("Раннее предупреждение"), "forecast/warning_widget.html", {
        "students": len(found), "by_group": sorted((names.get(g, ""), g, n)
                                                   for g, n in by_group.items()),
        "signals": signals, "overseer": groups is None}, order=6)]
