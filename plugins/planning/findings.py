"""The КТП's gaps for the control of the journal (``control_findings``): journals behind their
plan on the check's last day (hours planned by then and not held, topics skipped), and journals
whose plan is not submitted or approved (BTT 2.2, 4.5.2: the plan is the journal's base)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from core.calendar.clock import college_today
from core.plugins import hookimpl
from core.plugins.types import Finding
from plugins.journal import api as journal
from plugins.planning.models import APPROVED, SUBMITTED
from plugins.planning.progress import lag_of_loads

LAG = "planning.lag"
NOT_SUBMITTED = "planning.not_submitted"
#: topics a finding's detail names before «…»
SHOWN_TOPICS = 3


@hookimpl(specname="control_findings")
def findings(teacher_ids, start: date, end: date) -> list[Finding]:
    loads = journal.teachers_loads(teacher_ids, start, end)
    lags = lag_of_loads(loads, min(end, college_today()))
    found = []
    for load in loads:
        lag = lags.get(load.id)
        if lag is None or lag.state not in (SUBMITTED, APPROVED):
            found.append(Finding(kind=NOT_SUBMITTED, label=_("КТП не сдан на утверждение"),
                                 teacher_id=load.teacher_id, load_id=load.id,
                                 group_id=load.group_id))
        if lag is not None and lag.lag_hours:
            skipped = ", ".join(lag.skipped_topics[:SHOWN_TOPICS])
            more = " …" if len(lag.skipped_topics) > SHOWN_TOPICS else ""
            found.append(Finding(
                kind=LAG, label=_("Отставание от КТП"), teacher_id=load.teacher_id,
                load_id=load.id, group_id=load.group_id, count=lag.lag_hours,
                detail=_("по плану к этому дню %(planned)s ч, проведено %(held)s ч",
                         planned=lag.planned_hours_to_date, held=lag.held_hours)
                + (_("; не пройдены: %(topics)s", topics=skipped + more) if skipped else "")))
    return found
