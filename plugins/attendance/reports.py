"""Attendance's reports (``report_providers``): a group's attendance for a period (hours by
reason, lateness, chronic absentees, a chart by month), the summary attendance statement of a
year, and the control report of lessons whose attendance was not marked on the day."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.calendar.clock import college_day, college_today
from core.calendar.models import AcademicYear
from core.calendar.years import months_between
from core.extensions import db
from core.people import scope, signers
from core.people.models import Group, short_names
from core.people.movement import group_members
from core.people.roles import ADMINISTRATION, Role
from core.plugins import hookimpl
from core.plugins.types import (
    Finding,
    ReportChart,
    ReportProvider,
    ReportQuery,
    ReportResult,
    ReportTable,
    SummaryFigures,
)
from plugins.attendance import services
from plugins.journal import api as journal

CONTROLLERS = frozenset(ADMINISTRATION | {Role.SUPERVISOR, Role.CURATOR})


@hookimpl(specname="report_providers")
def providers() -> list[ReportProvider]:
    return [
        ReportProvider.of_group("attendance.group", _l("Посещаемость группы за период"),
                                "attendance", group_attendance, order=10,
                                description=_l("Пропущенные часы по причинам, опоздания, "
                                               "систематически пропускающие; график по месяцам.")),
        ReportProvider.statement("attendance.summary",
                                 _l("Сводная ведомость учёта посещаемости"), summary_statement,
                                 keep_years=5, order=30),
        ReportProvider("attendance.unmarked", _l("Посещаемость не отмечена в день занятия"),
                       "control", ("period",), CONTROLLERS, unmarked, order=20),
    ]


def _months(start, end) -> list[str]:
    return [f"{year}-{month:02d}" for year, month in months_between(start, end)]


def _label(month: str) -> str:
    year, number = month.split("-")
    return f"{number}.{year}"


def group_attendance(query: ReportQuery) -> ReportResult:
    group = db.session.get(Group, query.group_id)
    students = group_members(group.id, query.start, query.end)
    found = services.details([sid for sid, _n in students], query.start, query.end, group.id)
    tallies = services.tallies(found)
    chronic = services.chronic(found)
    rows = []
    for student_id, name in students:
        tally = tallies.get(student_id, services.Tally())
        rows.append([name, tally.total, tally.by_reason.get("illness", 0),
                     tally.by_reason.get("valid", 0), tally.by_reason.get("invalid", 0),
                     tally.by_reason.get("", 0), tally.late,
                     _("да") if student_id in chronic else ""])
    totals = [sum(row[i] for row in rows) for i in range(1, 7)]
    average = round(totals[0] / len(rows), 1) if rows else None
    months = _months(query.start, query.end)
    excused = [sum(t.by_month.get(m, 0) for t in tallies.values()) for m in months]
    unexcused = [sum(t.unexcused_by_month.get(m, 0) for t in tallies.values()) for m in months]
    chart = ReportChart(_("Пропущено часов по месяцам"), [_label(m) for m in months],
                        [(_("всего"), [float(v) for v in excused]),
                         (_("без уважительной причины"), [float(v) for v in unexcused])],
                        unit=" " + _("ч"))
    return ReportResult(
        _("Посещаемость группы %(group)s", group=group.name),
        lines=[query.period_line, _("В среднем на обучающегося: %(hours)s ч",
                                 hours=str(average or 0).replace(".", ","))],
        tables=[ReportTable("", [_("Обучающийся"), _("Пропущено, ч"), _("Б"), _("УП"), _("НП"),
                                 _("Причина не указана"), _("Опозданий"),
                                 _("Систематически пропускает")], rows,
                            footer=[[_("Итого"), *totals, len(chronic)]],
                            note=_("Часы академические; опоздание часов не добавляет. "
                                   "Систематически пропускающие — по порогу политики колледжа."))],
        charts=[chart], signatures=[signers.curator(group)])


def summary_statement(query: ReportQuery) -> ReportResult:
    group = db.session.get(Group, query.group_id)
    year = db.session.get(AcademicYear, query.year_id)
    students = group_members(group.id, year.starts_on, year.ends_on)
    found = services.details([sid for sid, _n in students], year.starts_on, year.ends_on,
                             group.id)
    tallies = services.tallies(found)
    months = _months(year.starts_on, year.ends_on)
    rows = []
    for number, (student_id, name) in enumerate(students, start=1):
        tally = tallies.get(student_id, services.Tally())
        cells = [_cell(tally.by_month.get(m, 0), tally.unexcused_by_month.get(m, 0))
                 for m in months]
        rows.append([number, name, *cells, tally.total, tally.unexcused])
    month_totals = [_cell(sum(t.by_month.get(m, 0) for t in tallies.values()),
                          sum(t.unexcused_by_month.get(m, 0) for t in tallies.values()))
                    for m in months]
    return ReportResult(
        _("Сводная ведомость учёта посещаемости группы %(group)s за %(year)s учебный год",
          group=group.name, year=year.title),
        lines=[_("В ячейке: пропущено часов всего / из них без уважительной причины.")],
        tables=[ReportTable("", [_("№"), _("Обучающийся"), *[_label(m) for m in months],
                                 _("Всего, ч"), _("Без ув. причины, ч")], rows,
                            footer=[["", _("Итого"), *month_totals,
                                     sum(r[-2] for r in rows), sum(r[-1] for r in rows)]],
                            style="grid", label_column=1)],
        signatures=[signers.director(), signers.curator(group)], landscape=True)


def _cell(total: int, unexcused: int) -> str:
    return f"{total}/{unexcused}" if total else ""


def unmarked(query: ReportQuery) -> ReportResult:
    visible = scope.group_ids(query.user)
    found = services.not_marked_on_the_day(query.start, query.end, visible)
    names = short_names(row.teacher_id for row in found)
    rows = [[row.date.strftime("%d.%m.%Y"), row.pair, row.group, row.discipline,
             names.get(row.teacher_id, ""),
             college_day(row.taken_at).strftime("%d.%m.%Y") if row.taken_at else _("не отмечена")]
            for row in found]
    return ReportResult(_("Посещаемость не отмечена в день занятия"), lines=[query.period_line],
                        tables=[ReportTable("", [_("Дата"), _("Пара"), _("Группа"),
                                                 _("Дисциплина"), _("Преподаватель"),
                                                 _("Отмечена")], rows)])


@hookimpl(specname="control_findings")
def findings(teacher_ids, start: date, end: date) -> list[Finding]:
    """The report's lessons not marked on their day (``services.not_marked_on_the_day``), one
    finding per journal; up to yesterday: today's lessons may still be marked today."""
    until = min(end, college_today() - timedelta(days=1))
    if until < start:
        return []
    by_load: dict[int, list[services.Unmarked]] = defaultdict(list)
    for row in services.not_marked_on_the_day(start, until):
        if teacher_ids is None or row.teacher_id in teacher_ids:
            by_load[row.load_id].append(row)
    loads = journal.loads_by_id(by_load)
    found = []
    for load_id, rows in by_load.items():
        days = [row.date for row in rows]
        never = sum(1 for row in rows if row.taken_at is None)
        found.append(Finding(
            kind="attendance.unmarked", label=_("Посещаемость не отмечена в день занятия"),
            teacher_id=rows[0].teacher_id, load_id=load_id, group_id=loads[load_id].group_id,
            day=days[0], count=len(rows), severity="error" if never else "warning",
            detail=_("%(days)s; не отмечена совсем: %(never)s",
                     days=", ".join(d.strftime("%d.%m") for d in days[:6])
                     + (" …" if len(days) > 6 else ""), never=never)))
    return found


@hookimpl(specname="summary_figures")
def figures(rows: dict, start: date, end: date) -> SummaryFigures:
    """Each row's hours missed in its journals' lessons of the period, and of them without a
    valid reason (``services.details`` and ``services.tallies``, as every attendance report)."""
    every = {load.id: load for loads in rows.values() for load in loads}
    load_of = {lesson.id: lesson.load_id for lesson in journal.lessons_of(set(every), start, end)}
    students = {student.id for load in every.values() for student in journal.roster(load)}
    by_load: dict[int, list[services.AbsenceDetail]] = defaultdict(list)
    for row in services.details(students, start, end):
        if row.lesson_id in load_of:
            by_load[load_of[row.lesson_id]].append(row)
    values = {}
    for key, loads in rows.items():
        tallies = services.tallies([row for load in loads for row in by_load[load.id]])
        values[key] = [sum(t.total for t in tallies.values()),
                       sum(t.unexcused for t in tallies.values())]
    return SummaryFigures("attendance", [_("Пропущено, ч"), _("Без ув. причины, ч")], values,
                          order=20)
