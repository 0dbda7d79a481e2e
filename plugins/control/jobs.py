"""The weekly mail of each teacher's own open gaps (``control.gaps.weekly``): the findings of
their journals in the current term up to today, one mail a week (its ISO week in the key)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from core.calendar.clock import college_today
from core.calendar.models import Term
from core.events import emit
from core.extensions import db
from plugins.control import services
from plugins.control.events import OpenGaps
from plugins.journal import api as journal


def term_start(today: date) -> date:
    """The first day of the terms running today (four weeks back when none is)."""
    first = db.session.scalar(select(func.min(Term.starts_on)).where(
        Term.starts_on <= today, Term.ends_on >= today))
    return first or today - timedelta(days=27)


def weekly_gaps(today: date | None = None) -> int:
    """Emit each teacher's open gaps (committed); how many teachers were told."""
    today = today or college_today()
    start = term_start(today)
    findings = services.gather(None, start, today)
    loads = journal.loads_by_id({f.load_id for f in findings if f.load_id})
    groups, _teachers = journal.load_labels(loads.values())
    by_teacher: dict[int, list[str]] = defaultdict(list)
    for f in sorted(findings, key=lambda f: (f.teacher_id, f.load_id or 0, f.kind)):
        load = loads.get(f.load_id) if f.load_id else None
        where = (f"{groups.get(load.group_id, '')} · {load.discipline.title}" if load
                 else _("вне журналов"))
        by_teacher[f.teacher_id].append(f"{where}: {f.label} — {f.count}"
                                        + (f" ({f.detail})" if f.detail else ""))
    year, week, _day = today.isocalendar()
    period = f"{start:%d.%m.%Y} – {today:%d.%m.%Y}"
    for teacher_id, lines in by_teacher.items():
        emit(OpenGaps(recipient_ids=(teacher_id,), endpoint="control.index", values={},
                      teacher_id=teacher_id, period=period, lines=tuple(lines),
                      key=f"control-gaps-{teacher_id}-{year}-{week:02d}"))
    db.session.commit()
    return len(by_teacher)
