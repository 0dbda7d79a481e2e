"""The group's forecast as a report (issue #22, item 2): for a group and a period (a term), the
expected distribution of the finals per discipline and the expected absolute progress, quality,
СОУ and mean beside the current ones — the progress report's figures, by its own formulas
(``plugins.grading.api.metrics``) over its own results (``term_results``: the finals where set,
else the rounded current averages)."""

from __future__ import annotations

from datetime import datetime, time

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.calendar.clock import college_zone
from core.extensions import db
from core.models import utcnow
from core.people import signers
from core.people.models import Group
from core.plugins import hookimpl
from core.plugins.types import ReportChart, ReportProvider, ReportQuery, ReportResult, ReportTable


@hookimpl(specname="report_providers")
def providers() -> list[ReportProvider]:
    return [ReportProvider.of_group(
        "forecast.group", _l("Прогноз успеваемости группы"), "progress", group_forecast,
        order=15, description=_l("Ожидаемое распределение итоговых оценок по дисциплинам, "
                                 "ожидаемые абсолютная успеваемость, качество, СОУ и средний "
                                 "балл рядом с текущими."))]


def expected_value(found, pass_fail: bool = False) -> str:
    """A student's expected term result as the progress report counts results: н/а when the
    forecast says «н/а» or has nothing to go on, else the expected mark (on the pass/fail
    scale: «не зачтено» when it is the risk, else «зачтено»)."""
    if pass_fail and found is not None and found.risk != "na":
        return "fail" if found.risk == "fail" else "pass"
    if found is None or found.risk == "na" or found.expected is None:
        return "na"
    return str(found.expected)


def expected_results(loads, at: datetime | None = None):
    """(current results, expected results, forecasts, loads not final yet): both results by
    load and student, over the progress report's students."""
    from plugins.forecast import api
    from plugins.grading import api as grading

    current, open_loads = grading.term_results(loads)
    finals = grading.finals_of_loads([load.id for load in loads])
    forecasts = api.forecasts_for_loads([load.id for load in loads], at=at)
    pass_fail = grading.pass_fail_disciplines({load.discipline.id for load in loads})
    expected = {}
    for load in loads:
        mine = {}
        for student_id in current[load.id]:
            final = finals.get((load.id, student_id))
            mine[student_id] = final if final is not None else expected_value(
                forecasts.get((student_id, load.id)), load.discipline.id in pass_fail)
        expected[load.id] = mine
    return current, expected, forecasts, open_loads


def _pair(now, then) -> list:
    return [now.absolute, then.absolute, now.quality, then.quality, now.sou, then.sou,
            now.mean, then.mean]


def group_forecast(query: ReportQuery) -> ReportResult:
    from plugins.forecast.views import expected_text, risk_title
    from plugins.grading.api import metrics
    from plugins.journal import api as journal

    group = db.session.get(Group, query.group_id)
    loads = journal.group_loads(group.id, query.start, query.end)
    end = datetime.combine(query.end, time(23, 59), tzinfo=college_zone())
    at = min(utcnow(), end)
    current, expected, forecasts, _open = expected_results(loads, at)
    rows, everything_now, everything_then = [], [], []
    for load in loads:
        now = metrics.of(current[load.id].values())
        then = metrics.of(expected[load.id].values())
        everything_now += current[load.id].values()
        everything_then += expected[load.id].values()
        rows.append([load.discipline.title, then.total, then.n5, then.n4, then.n3, then.n2,
                     then.na, *_pair(now, then)])
    now, then = metrics.of(everything_now), metrics.of(everything_then)
    columns = [_("Дисциплина"), _("N"), _("Прогноз: 5"), _("Прогноз: 4"), _("Прогноз: 3"),
               _("Прогноз: 2"), _("Прогноз: н/а"), _("Абс. успев., % сейчас"),
               _("Абс. успев., % прогноз"), _("Качество, % сейчас"), _("Качество, % прогноз"),
               _("СОУ, % сейчас"), _("СОУ, % прогноз"), _("Ср. балл сейчас"),
               _("Ср. балл прогноз")]
    names = {student.id: student.name for roster in journal.rosters(loads).values()
             for student in roster}
    titles = {load.id: load.discipline.title for load in loads}
    risky = sorted(((names.get(sid, ""), titles[lid], found) for (sid, lid), found
                    in forecasts.items() if found.risk != "none" and lid in titles
                    and sid in current.get(lid, {})), key=lambda row: (row[0], row[1]))
    risk_rows = [[name, title, expected_text(found), risk_title(found.risk),
                  " ".join(found.reasons)] for name, title, found in risky]
    labels = [load.discipline.code or load.discipline.title[:12] for load in loads]  # short
    lines = [_("Группа %(group)s", group=group.name), query.period_line,
             _("Прогноз на %(day)s: ожидаемые итоговые оценки по текущим оценкам, их видам и "
               "динамике, недостающим до минимума оценкам, оставшимся занятиям и пропускам. "
               "«Сейчас» — как в отчёте «Итоги успеваемости группы»: выставленные итоговые "
               "оценки, иначе округлённый средний балл (н/а при недостатке оценок).",
               day=at.astimezone(college_zone()).strftime("%d.%m.%Y"))]
    return ReportResult(
        _("Прогноз успеваемости группы %(group)s", group=group.name), lines=lines,
        tables=[
            ReportTable(_("По дисциплинам: прогноз и текущие показатели"), [str(c) for c in columns],
                        rows, footer=[[_("По группе"), then.total, then.n5, then.n4, then.n3,
                                       then.n2, then.na, *_pair(now, then)]],
                        note=_("N — число результатов по пятибалльной шкале и н/а, без «осв.» "
                               "и зачётов."), style="grid"),
            ReportTable(_("Обучающиеся с риском «2» или «н/а»"),
                        [_("Обучающийся"), _("Дисциплина"), _("Прогноз (диапазон)"), _("Риск"),
                         _("Почему")], risk_rows, label_column=0),
        ],
        charts=[
            ReportChart(_("Качество знаний по дисциплинам: сейчас и прогноз"), labels,
                        [(_("Сейчас"), [row[9] for row in rows]),
                         (_("Прогноз"), [row[10] for row in rows])], unit="%"),
            ReportChart(_("Итоговые оценки группы: сейчас и прогноз"),
                        ["5", "4", "3", "2", _("н/а")],
                        [(_("Сейчас"), [now.n5, now.n4, now.n3, now.n2, now.na]),
                         (_("Прогноз"), [then.n5, then.n4, then.n3, then.n2, then.na])]),
        ],
        signatures=[signers.curator(group), signers.deputy()], landscape=True)
