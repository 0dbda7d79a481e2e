"""The monthly report of the journal's use (KTIS 6.1), from the same counts as the usage page:
sign-ins and active users by role per day, families reached, teachers' filling."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.calendar.clock import college_today
from core.people.roles import role_title
from core.plugins import hookimpl
from core.plugins.types import ReportProvider, ReportQuery, ReportResult, ReportTable
from plugins.monitoring import charts, filling, usage
from plugins.monitoring.rights import USAGE_ROLES


@hookimpl(specname="report_providers")
def providers() -> list[ReportProvider]:
    return [ReportProvider("monitoring.usage", _l("Использование журнала за месяц"), "activity",
                           ("month",), USAGE_ROLES, build, order=5,
                           description=_l("Входы и активные пользователи по ролям по дням, "
                                          "охват семей, заполнение журнала преподавателями "
                                          "(КТИС 6.1)."))]


def build(query: ReportQuery) -> ReportResult:
    days = (query.end - query.start).days + 1
    starts = [query.start + timedelta(days=n) for n in range(days)]
    found = usage.usage("day", starts)
    columns = [_("Дата"), *(role_title(s.role) for s in found.roles), _("Всего входов"),
               _("Всего пользователей")]
    rows = [[day.strftime("%d.%m.%Y"), *(s.sign_ins[n] for s in found.roles),
             found.sign_ins[n], found.active[n]] for n, day in enumerate(starts)]
    month = usage.usage("month", [query.start])
    footer = [[_("За месяц: входов"), *(s.sign_ins[0] for s in month.roles), month.sign_ins[0],
               ""],
              [_("За месяц: разных пользователей"), *(s.active[0] for s in month.roles), "",
               month.active[0]]] if month.roles else []
    reach = usage.families_reached(query.start, query.end)
    teachers = filling.teachers_filling(query.start, query.end, college_today())
    return ReportResult(
        _("Использование журнала за %(month)s", month=query.start.strftime("%m.%Y")),
        lines=[query.period_line],
        charts=charts.usage_charts(found),
        tables=[
            ReportTable(_("Входы по ролям по дням"), columns, rows, footer=footer),
            ReportTable(_("Охват семей"),
                        ["", _("Учётных записей"), _("Входили за месяц"),
                         _("Только открывали ссылку из рассылки"), _("Не охвачены"),
                         _("Не входили ни разу")],
                        [[role_title(r.role), r.accounts, r.signed_in, r.digest_only,
                          r.not_reached, r.never] for r in reach]),
            ReportTable(_("Заполнение журнала преподавателями"),
                        [_("Преподаватель"), _("Занятий"), _("В день занятия"), _("Позже"),
                         _("Не заполнено"), _("Доля в день занятия (в процентах)")],
                        [[t.name, t.lessons, t.on_day, t.later, t.empty, t.on_day_share]
                         for t in teachers],
                        note=_("Тема занятия записана в день занятия, позже или ещё не "
                               "записана; будущие занятия не учтены.")),
        ])
