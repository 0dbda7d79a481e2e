"""Substitutions' report (``report_providers``): lessons taught by another teacher with no
substitution recorded, and substitutions whose lessons were left unfilled (BTT 5.3, KTIS 5.3:
«правильность записи замещённых занятий»)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.people.models import short_names
from core.people.roles import ADMINISTRATION
from core.plugins.types import Finding, ReportProvider, ReportQuery, ReportResult, ReportTable
from plugins.journal import api as journal
from plugins.substitutions import services


def providers() -> list[ReportProvider]:
    return [ReportProvider("substitutions.unrecorded", _l("Замещения, не оформленные в журнале"),
                           "control", ("period",), frozenset(ADMINISTRATION), check,
                           description=_l("Занятия, проведённые не своим преподавателем без "
                                          "записи о замещении, и незаполненные замещённые "
                                          "занятия."), order=50)]


def check(query: ReportQuery) -> ReportResult:
    unrecorded = services.unrecorded(query.start, query.end)
    unfilled = [row for row in services.register(query.start, query.end)
                if row.unfilled and row.sub.withdrawn_at is None]
    loads = journal.loads(ids={item.load_id for item in unrecorded})
    by_id = {load.id: load for load in loads}
    groups, _teachers = journal.load_labels(loads)
    ids = ({i.teacher_id for i in unrecorded} | {i.taught_by_id for i in unrecorded}
           | {r.sub.absent_id for r in unfilled} | {r.sub.substitute_id for r in unfilled})
    names = short_names(ids)
    first = [[item.date.strftime("%d.%m.%Y"), item.pair,
              groups.get(by_id[item.load_id].group_id, ""),
              by_id[item.load_id].discipline.title, names.get(item.teacher_id, ""),
              names.get(item.taught_by_id, "")] for item in unrecorded]
    second = [[f"{row.sub.date_from:%d.%m.%Y} – {row.sub.date_to:%d.%m.%Y}",
               names.get(row.sub.absent_id, ""), names.get(row.sub.substitute_id, "—"),
               row.unfilled] for row in unfilled]
    return ReportResult(
        _("Замещения, не оформленные в журнале"), lines=[query.period_line],
        tables=[ReportTable(_("Проведены другим преподавателем без записи о замещении"),
                            [_("Дата"), _("Пара"), _("Группа"), _("Дисциплина"),
                             _("Преподаватель по нагрузке"), _("Провёл")], first),
                ReportTable(_("Замещённые занятия не заполнены"),
                            [_("Период"), _("Отсутствующий"), _("Замещающий"),
                             _("Не заполнено занятий")], second)])


def findings(teacher_ids, start, end) -> list[Finding]:
    """The report's lessons taught by another teacher with no substitution recorded
    (``services.unrecorded``), one finding per journal of the load's teacher."""
    by_load: dict[int, list[services.Unrecorded]] = {}
    for item in services.unrecorded(start, end):
        if teacher_ids is None or item.teacher_id in teacher_ids:
            by_load.setdefault(item.load_id, []).append(item)
    loads = journal.loads_by_id(by_load)
    names = short_names({i.taught_by_id for items in by_load.values() for i in items})
    found = []
    for load_id, items in by_load.items():
        detail = ", ".join(f"{i.date:%d.%m} ({names.get(i.taught_by_id, '')})"
                           for i in items[:5]) + (" …" if len(items) > 5 else "")
        found.append(Finding(kind="substitutions.unrecorded",
                             label=_("Замещения не оформлены"),
                             teacher_id=items[0].teacher_id, load_id=load_id,
                             group_id=loads[load_id].group_id, day=items[0].date,
                             count=len(items), detail=detail))
    return found
