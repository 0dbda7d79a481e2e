"""The КТП's control report (``report_providers``): plan against fact of every journal the user
reads — hours planned by the day and held, the lag, the planned topics not held."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.calendar.clock import college_today
from core.people.roles import ADMINISTRATION, Role
from core.plugins import hookimpl
from core.plugins.types import ReportProvider, ReportQuery, ReportResult, ReportTable
from plugins.journal import api as journal
from plugins.planning.models import STATES
from plugins.planning.progress import lag_of_loads

READERS = frozenset(ADMINISTRATION | {Role.SUPERVISOR, Role.COMMISSION_HEAD, Role.TEACHER})


@hookimpl(specname="report_providers")
def providers() -> list[ReportProvider]:
    return [ReportProvider("planning.plan_fact", _l("КТП: план и факт"), "control", ("period",),
                           READERS, plan_fact, order=15,
                           description=_l("Часы и темы по КТП на дату против проведённых, "
                                          "отставание, пропущенные темы — по каждому журналу."))]


def plan_fact(query: ReportQuery) -> ReportResult:
    day = min(query.end, college_today())
    loads = journal.visible_loads(query.user, query.start, query.end)
    groups, teachers = journal.load_labels(loads)
    lags = lag_of_loads(loads, day)
    rows = []
    for load in sorted(loads, key=lambda ld: (groups.get(ld.group_id, ""), ld.discipline.title)):
        lag = lags[load.id]
        rows.append([groups.get(load.group_id, ""), load.discipline.title,
                     teachers.get(load.teacher_id, ""),
                     str(STATES[lag.state]) if lag.state else _("нет плана"),
                     lag.planned_hours_to_date, lag.held_hours, lag.lag_hours,
                     lag.planned_topics_to_date, lag.held_topics,
                     "; ".join(lag.skipped_topics[:5]) + ("…" if len(lag.skipped_topics) > 5
                                                          else "")])
    return ReportResult(_("КТП: план и факт"),
                        lines=[query.period_line,
                               _("На %(day)s.", day=day.strftime("%d.%m.%Y"))],
                        tables=[ReportTable("", [_("Группа"), _("Дисциплина"),
                                                 _("Преподаватель"), _("КТП"),
                                                 _("По плану на дату, ч"), _("Проведено, ч"),
                                                 _("Отставание, ч"), _("Тем по плану"),
                                                 _("Тем пройдено"), _("Не пройдены")], rows)],
                        landscape=True)
