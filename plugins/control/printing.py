"""The PDF «Справка по итогам проверки» of a signed check, laid out by the reports' print
template and xhtml2pdf (``plugins.reports``: the shipped fonts only)."""

from __future__ import annotations

from flask_babel import gettext as _

from core import settings
from core.calendar.clock import college_day
from core.people.models import short_names
from core.plugins.types import ReportResult, ReportTable, Signature
from core.policy import policy_value
from plugins.control import rules, services
from plugins.control.models import TERM_END, Check
from plugins.reports import pdf
from plugins.reports.render import print_html


def findings_text(row: services.Row) -> str:
    if not row.findings:
        return _("нарушений не выявлено")
    return "; ".join(f"{f['label']}: {f['count']}" + (f" ({f['detail']})" if f["detail"] else "")
                     for f in row.findings)


def statement(check: Check) -> ReportResult:
    rows = services.rows_of(check)
    checker = short_names([check.checker_id]).get(check.checker_id, "")
    lines = [str(settings.get("college.name") or ""),
             services.title_of(check),
             _("Проверяющий: %(role)s %(name)s", role=rules.role_label(check.role), name=checker),
             _("Охват: %(scope)s", scope=check.scope_title),
             _("Подписана: %(date)s", date=college_day(check.signed_at).strftime("%d.%m.%Y"))]
    with_gaps = [row for row in rows if row.findings]
    lines.append(_("Журналов проверено: %(all)s, с нарушениями: %(bad)s", all=len(rows),
                   bad=len(with_gaps)))
    tables = [ReportTable(_("Результаты по преподавателям и журналам"),
                          [_("Преподаватель"), _("Группа"), _("Дисциплина"), _("Выявлено"),
                           _("Замечание")],
                          [[r.teacher, r.group, r.discipline, findings_text(r), r.remark]
                           for r in rows])]
    since = services.since_previous(check)
    if since is not None:
        day = college_day(since.previous.signed_at).strftime("%d.%m.%Y")
        lines.append(_("С проверки %(date)s устранено: %(fixed)s, не устранено: %(remaining)s",
                       date=day, fixed=since.fixed_count, remaining=since.remaining))
        if since.fixed:
            tables.append(ReportTable(
                _("Устранено после проверки %(date)s", date=day),
                [_("Преподаватель"), _("Группа"), _("Дисциплина"), _("Устранено")],
                [[item.teacher, item.group, item.discipline, "; ".join(item.labels)]
                 for item in since.fixed]))
    if check.kind == TERM_END:
        tables.append(ReportTable(_("Перечень проверки по итогам семестра (КТИС 5.3)"),
                                  [_("Пункт"), _("Отметка")],
                                  [[item.title, _("да") if item.ticked else _("нет")]
                                   for item in services.checklist(check, rows)]))
    if check.remark:
        tables.append(ReportTable(_("Общее замечание и предложения"), [""], [[check.remark]]))
    signatures = [Signature(rules.role_label(check.role), checker)]
    if policy_value("control.report_results_to_director"):
        director = str(settings.get("college.director") or "")
        signatures.append(Signature(_("С результатами ознакомлен: директор"), director))
    return ReportResult(_("Справка по итогам проверки"), lines=lines, tables=tables,
                        signatures=signatures, landscape=True)


def render(check: Check) -> bytes:
    return pdf.render(print_html(statement(check)))
