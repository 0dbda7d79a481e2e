"""Grading's reports (``report_providers``): a group's progress for a period with the standard
metrics and the students' final data, the summary progress statement of a year (kept 25 years),
a teacher's results by discipline, a student's marks over the term, and two control reports:
too few marks before the finals and late finals."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.calendar.clock import college_today, college_zone
from core.calendar.models import AcademicYear
from core.calendar.years import months_between
from core.extensions import db
from core.people import signers
from core.people.groups import course_in
from core.people.models import Group, User
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
from plugins.grading import checks, metrics, rules, services
from plugins.grading.models import Final, History, Mark
from plugins.journal import api as journal

TEACHERS = frozenset(ADMINISTRATION | {Role.TEACHER, Role.COMMISSION_HEAD})
CONTROLLERS = frozenset(ADMINISTRATION | {Role.SUPERVISOR, Role.COMMISSION_HEAD, Role.CURATOR})
FAMILY_AND_STAFF = frozenset(ADMINISTRATION | {Role.CURATOR, Role.PARENT, Role.STUDENT})

CATEGORIES = {
    "excellent": _l("Отличники"), "good": _l("Хорошисты"), "one_three": _l("С одной «3»"),
    "satisfactory": _l("Успевающие на «3»"), "failing": _l("Неуспевающие"),
    "none": _l("Без итоговых оценок"),
}


@hookimpl(specname="report_providers")
def providers() -> list[ReportProvider]:
    return [
        ReportProvider.of_group("grading.progress", _l("Итоги успеваемости группы за период"),
                                "progress", group_progress, order=10,
                                description=_l("Абсолютная успеваемость, качество, СОУ и средний "
                                               "балл по дисциплинам; итоговые данные по "
                                               "обучающимся.")),
        ReportProvider.statement("grading.summary",
                                 _l("Сводная ведомость учёта успеваемости"), summary_statement,
                                 keep_years=25, order=20),
        ReportProvider("grading.teacher", _l("Результаты преподавателя по дисциплинам"),
                       "progress", ("teacher", "period"), TEACHERS, teacher_results, order=20),
        ReportProvider("grading.student", _l("Успеваемость обучающегося"), "family",
                       ("student", "period"), FAMILY_AND_STAFF, student_progress, order=20),
        ReportProvider("grading.few_marks", _l("Недостаточно оценок перед аттестацией"),
                       "control", ("period",), CONTROLLERS, few_marks, order=30),
        ReportProvider("grading.late_finals", _l("Несвоевременно выставленные итоговые оценки"),
                       "control", ("period",), CONTROLLERS, late_finals, order=40),
    ]


METRIC_COLUMNS = [_l("N"), "5", "4", "3", "2", _l("н/а"), _l("осв."), _l("Абс. успев., %"),
                  _l("Качество, %"), _l("СОУ, %"), _l("Средний балл")]


def _columns(*first) -> list[str]:
    return [str(c) for c in (*first, *METRIC_COLUMNS)]


def _finals(load_ids, kinds=("term",)) -> dict[tuple[int, int, str], str]:
    """(load, student, kind) -> stored value of the loads' finals."""
    if not load_ids:
        return {}
    return {(load_id, student_id, kind): value for load_id, student_id, kind, value in
            db.session.execute(select(Final.load_id, Final.student_id, Final.kind, Final.value)
                               .where(Final.load_id.in_(list(load_ids)), Final.kind.in_(kinds),
                                      Final.value != ""))}


def results(loads: list[journal.LoadInfo]) -> tuple[dict[int, dict[int, str]], set[int]]:
    """Each load's term result per student who stayed to the term's end: the final where it is
    entered, else the result the current marks point to (``services.proposed_final``); and the
    loads where some result is such a forecast."""
    finals = _finals({load.id for load in loads})
    found: dict[int, dict[int, str]] = {}
    forecast: set[int] = set()
    for load in loads:
        roster = [s for s in journal.roster(load) if s.member_on(load.term.ends_on)]
        mine: dict[int, str] = {}
        missing = [s.id for s in roster if (load.id, s.id, "term") not in finals]
        marks = services.student_marks(load, set(missing)) if missing else {}
        for student in roster:
            value = finals.get((load.id, student.id, "term"))
            if value is None:
                value = services.proposed_final(load, marks.get(student.id, []))
                forecast.add(load.id)
            mine[student.id] = value
        found[load.id] = mine
    return found, forecast


FORECAST_NOTE = _l("«по текущим»: итоговые оценки выставлены не всем, за них взят округлённый "
                   "взвешенный средний балл текущих оценок (н/а — при недостатке оценок).")


# --- figures for summaries of other plugins (a commission's, ``summary_figures``) ----------------


@hookimpl(specname="summary_figures")
def figures(rows: dict, start: date, end: date) -> SummaryFigures:
    """Each row's term results (``results``: the finals, else what the marks point to) in the
    standard metrics (``metrics``): N, absolute progress, quality and the mean mark."""
    every = {load.id: load for loads in rows.values() for load in loads}
    found, forecast = results(list(every.values()))
    values = {}
    for key, loads in rows.items():
        counted = metrics.of(value for load in loads for value in found[load.id].values())
        values[key] = [counted.total, counted.absolute, counted.quality, counted.mean]
    return SummaryFigures("grading", [_("N"), _("Абс. успев., %"), _("Качество, %"),
                                      _("Средний балл")], values, order=10,
                          note=str(FORECAST_NOTE) if forecast else "")


# --- a group's progress ---------------------------------------------------------------------------


def group_progress(query: ReportQuery) -> ReportResult:
    group = db.session.get(Group, query.group_id)
    loads = journal.group_loads(group.id, query.start, query.end)
    found, forecast = results(loads)
    _groups, teachers = journal.load_labels(loads)
    rows, everything = [], []
    by_student: dict[int, list[str]] = defaultdict(list)
    for load in loads:
        values = list(found[load.id].values())
        everything += values
        for student_id, value in found[load.id].items():
            by_student[student_id].append(value)
        rows.append([load.discipline.title, teachers.get(load.teacher_id, ""),
                     _("по текущим") if load.id in forecast else _("итоговые"),
                     *metrics.of(values).row()])
    students = group_members(group.id, query.start, query.end)
    categories = {sid: metrics.category(by_student.get(sid, [])) for sid, _name in students}
    student_rows = []
    for student_id, name in students:
        mine = metrics.of(by_student.get(student_id, []))
        student_rows.append([name, mine.n5, mine.n4, mine.n3, mine.n2, mine.na, mine.exempt,
                             mine.mean, str(CATEGORIES[categories[student_id]])])
    tally = [[str(title), sum(1 for c in categories.values() if c == key)]
             for key, title in CATEGORIES.items()]
    lines = [_("Группа %(group)s", group=group.name), query.period_line,
             _("N — число результатов по пятибалльной шкале и н/а, без «осв.» и зачётов.")]
    return ReportResult(
        _("Итоги успеваемости группы %(group)s", group=group.name), lines=lines,
        tables=[
            ReportTable(_("По дисциплинам"),
                        _columns(_l("Дисциплина"), _l("Преподаватель"), _l("Оценки")), rows,
                        footer=[[_("По группе"), "", "", *metrics.of(everything).row()]],
                        note=str(FORECAST_NOTE) if forecast else ""),
            ReportTable(_("Итоговые данные по обучающимся"),
                        [_("Обучающийся"), "5", "4", "3", "2", _("н/а"), _("осв."),
                         _("Средний балл"), _("Категория")], student_rows),
            ReportTable(_("Обучающиеся по категориям"), [_("Категория"), _("Человек")], tally),
        ],
        charts=[_monthly_chart(query, group)],
        signatures=[signers.curator(group), signers.deputy()])


def _monthly_chart(query: ReportQuery, group: Group) -> ReportChart:
    """The group's mean current mark by month of the period."""
    days = {lesson.id: lesson.date for lesson in
            journal.lessons_between(query.start, query.end, group_ids={group.id})}
    rows = db.session.execute(
        select(Mark.lesson_id, Mark.value)
        .where(Mark.lesson_id.in_(journal.lesson_ids(query.start, query.end,
                                                      group_ids={group.id})),
               Mark.value.in_(("2", "3", "4", "5")))).all()
    sums: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for lesson_id, value in rows:
        day = days[lesson_id]
        cell = sums[(day.year, day.month)]
        cell[0] += int(value)
        cell[1] += 1
    months = months_between(query.start, query.end)
    values = [round(sums[m][0] / sums[m][1], 2) if sums[m][1] else None for m in months]
    return ReportChart(_("Средний балл текущих оценок по месяцам"),
                       [f"{month:02d}.{year}" for year, month in months],
                       [(_("Средний балл"), values)], kind="line")


# --- the summary progress statement (сводная ведомость, kept 25 years) ----------------------------


def summary_statement(query: ReportQuery) -> ReportResult:
    group = db.session.get(Group, query.group_id)
    year = db.session.get(AcademicYear, query.year_id)
    loads = journal.group_loads(group.id, year.starts_on, year.ends_on)
    finals = _finals({load.id for load in loads}, tuple(rules.FINAL_KINDS))
    present_kinds = {(load_id, kind) for (load_id, _sid, kind) in finals}
    columns = []
    for load in loads:
        kinds = ["term", *[k for k in rules.FINAL_KINDS if k != "term"
                           and (load.id, k) in present_kinds]]
        for kind in kinds:
            suffix = f" {rules.FINAL_KINDS[kind]}" if kind != "term" else ""
            code = load.discipline.code or load.discipline.name[:12]
            columns.append((load, kind, f"{code}, {load.term.number} {_('сем.')}{suffix}"))
    legend = sorted({(load.discipline.code, load.discipline.name) for load in loads})
    students = group_members(group.id, year.starts_on, year.ends_on)
    rows = []
    for number, (student_id, name) in enumerate(students, start=1):
        values = [finals.get((load.id, student_id, kind), "") for load, kind, _t in columns]
        rows.append([number, name, *[rules.text_of(v) if v else "" for v in values],
                     metrics.of(values).mean])
    footer = []
    by_column = [[finals.get((load.id, sid, kind), "") for sid, _n in students]
                 for load, kind, _t in columns]
    for title, pick in ((_("Абс. успев., %"), "absolute"), (_("Качество, %"), "quality"),
                        (_("СОУ, %"), "sou"), (_("Средний балл"), "mean")):
        footer.append(["", title, *[getattr(metrics.of(values), pick) for values in by_column],
                       None])
    return ReportResult(
        _("Сводная ведомость учёта успеваемости группы %(group)s за %(year)s учебный год",
          group=group.name, year=year.title),
        lines=[_("Специальность %(code)s %(name)s, %(course)s курс", code=group.specialty.code,
                 name=group.specialty.name, course=course_in(group, year))],
        tables=[ReportTable("", [_("№"), _("Обучающийся"), *[t for _l2, _k, t in columns],
                                 _("Средний балл")], rows, footer=footer, style="grid",
                            label_column=1),
                ReportTable(_("Дисциплины"), [_("Код"), _("Наименование")],
                            [list(pair) for pair in legend])],
        signatures=[signers.director(), signers.curator(group)], landscape=True)


# --- a teacher's results ------------------------------------------------------------------------------


def teacher_results(query: ReportQuery) -> ReportResult:
    teacher = db.session.get(User, query.teacher_id)
    # only the journals the reader may see: a ПЦК head, their commission's
    loads = journal.visible_loads(query.user, query.start, query.end, teacher_id=teacher.id)
    found, forecast = results(loads)
    groups, _teachers = journal.load_labels(loads)
    rows, everything = [], []
    for load in sorted(loads, key=lambda ld: (ld.discipline.title, groups.get(ld.group_id, ""))):
        values = list(found[load.id].values())
        everything += values
        rows.append([load.discipline.title, groups.get(load.group_id, ""), load.term.title,
                     _("по текущим") if load.id in forecast else _("итоговые"),
                     *metrics.of(values).row()])
    return ReportResult(
        _("Результаты преподавателя %(name)s", name=teacher.full_name), lines=[query.period_line],
        tables=[ReportTable("", _columns(_l("Дисциплина"), _l("Группа"), _l("Семестр"),
                                         _l("Оценки")), rows,
                            footer=[[_("Всего"), "", "", "", *metrics.of(everything).row()]],
                            note=str(FORECAST_NOTE) if forecast else "")])


# --- a student's marks over the term ---------------------------------------------------------------


def student_progress(query: ReportQuery) -> ReportResult:
    from core.people.models import Student

    student = db.session.get(Student, query.student_id)
    entries = journal.student_loads(student.id, query.start, query.end)
    by_load = {entry.load.id: entry for entry in entries}
    marks = services.dated_marks(student.id, set(by_load), query.start, query.end)
    finals = _finals(set(by_load))
    weights = services.weights()
    per_load = defaultdict(list)
    weeks: dict[date, list[int]] = defaultdict(list)
    for load_id, day, value, kind in marks:
        if not by_load[load_id].covers(day):
            continue
        per_load[load_id].append((value, kind))
        if value in ("2", "3", "4", "5"):
            weeks[day - timedelta(days=day.weekday())].append(int(value))
    rows = []
    for load_id, entry in sorted(by_load.items(), key=lambda i: i[1].load.discipline.title):
        mine = per_load.get(load_id, [])
        average = rules.weighted_average(mine, weights)
        rows.append([entry.load.discipline.title, " ".join(rules.text_of(v) for v, _k in mine),
                     len(mine), None if average is None else round(average, 2),
                     rules.text_of(finals.get((load_id, student.id, "term"), ""))])
    ordered = sorted(weeks)
    chart = ReportChart(_("Средний балл по неделям"), [w.strftime("%d.%m") for w in ordered],
                        [(_("Средний балл"), [round(sum(weeks[w]) / len(weeks[w]), 2)
                                              for w in ordered])], kind="line")
    return ReportResult(_("Успеваемость: %(name)s", name=student.full_name),
                        lines=[query.period_line],
                        tables=[ReportTable("", [_("Дисциплина"), _("Оценки"), _("Оценок"),
                                                 _("Средний балл"), _("Итог за семестр")], rows,
                                            note=_("Средний балл взвешен по видам работ."))],
                        charts=[chart] if ordered else [])


# --- control reports -------------------------------------------------------------------------------


def shortfalls(loads: list[journal.LoadInfo], progress=None
               ) -> list[tuple[journal.LoadInfo, str, rules.Shortfall]]:
    """(journal, student's name, shortfall) of every student below the preset's minimum of
    marks (BTT 4.5.2, KTIS 4.2) in ``loads``: the report and the control finding."""
    found = []
    for number, load in enumerate(loads):
        if progress is not None:
            progress(number, len(loads))
        roster = journal.roster(load)
        marks = services.student_marks(load, {s.id for s in roster})
        exempt = services.exception_ids(load.id)
        for student in roster:
            if student.id in exempt or not student.member_on(load.term.ends_on):
                continue
            short = services.shortfall_of(load, student.id, marks.get(student.id, []))
            if not short.ok:
                found.append((load, student.name, short))
    return found


def few_marks(query: ReportQuery) -> ReportResult:
    """Students below the preset's minimum of marks in the journals of the period the user
    may see, with the days left before the term's end."""
    loads = journal.visible_loads(query.user, query.start, query.end)
    groups, teachers = journal.load_labels(loads)
    today = college_today()
    rows = [[groups.get(load.group_id, ""), load.discipline.title,
             teachers.get(load.teacher_id, ""), name, short.have, short.needed, short.describe(),
             max((load.term.ends_on - today).days, 0)]
            for load, name, short in shortfalls(loads, query.progress)]
    rows.sort(key=lambda r: (r[7], r[0], r[1], r[3]))
    tables = [ReportTable("", [_("Группа"), _("Дисциплина"), _("Преподаватель"),
                               _("Обучающийся"), _("Оценок"), _("Нужно"),
                               _("Чего не хватает"), _("Дней до конца семестра")], rows)]
    late = late_checks_table(loads, groups, teachers, query.start, query.end)
    if late is not None:
        tables.append(late)
    return ReportResult(_("Недостаточно оценок перед аттестацией"), lines=[query.period_line],
                        tables=tables)


def late_checks_table(loads, groups: dict[int, str], teachers: dict[int, str], start: date,
                      end: date) -> ReportTable | None:
    """The lessons of control, laboratory and practical work of ``loads`` not checked within
    ``grading.check_days`` (``checks.late_checks``); ``None`` when the policy keeps no
    deadline."""
    days = checks.check_days()
    if not days:
        return None
    titles = journal.work_type_titles()
    rows = [[late.lesson.date.strftime("%d.%m.%Y"), groups.get(late.load.group_id, ""),
             late.load.discipline.title,
             teachers.get(late.load.teacher_id, ""),
             titles.get(late.lesson.work_type, late.lesson.work_type),
             late.due.strftime("%d.%m.%Y"), len(late.unmarked),
             ", ".join(late.unmarked[:5]) + (" …" if len(late.unmarked) > 5 else "")]
            for late in checks.late_checks(loads, start, end)]
    return ReportTable(_("Работы не проверены в срок (%(days)s дн. после занятия)", days=days),
                       [_("Дата занятия"), _("Группа"), _("Дисциплина"), _("Преподаватель"),
                        _("Вид работы"), _("Срок проверки"), _("Без оценки"),
                        _("Обучающиеся")], rows,
                       note=_("Присутствовавшие на занятии без оценки за работу; отсутствовавшие "
                              "не считаются."))


def late_final_counts(loads: list[journal.LoadInfo]) -> list[tuple[journal.LoadInfo, int, int]]:
    """(journal, students without a term final, finals first entered after the term's last
    day) of each of ``loads`` that has either: the report and the control finding."""
    zone = college_zone()
    finals = _finals({load.id for load in loads})
    by_id = {load.id: load for load in loads}
    # each entered term final with the first moment it was entered (its history's first entry)
    entered = db.session.execute(
        select(Final.load_id, func.min(History.at)).join(History, History.final_id == Final.id)
        .where(Final.load_id.in_(list(by_id)), Final.kind == "term", Final.value != "")
        .group_by(Final.id, Final.load_id)).all() if loads else []
    late_by_load: dict[int, int] = defaultdict(int)
    for load_id, first in entered:
        deadline = datetime.combine(by_id[load_id].term.ends_on + timedelta(days=1), time.min,
                                    zone)
        if first >= deadline:
            late_by_load[load_id] += 1
    found = []
    for load in loads:
        roster = [s for s in journal.roster(load) if s.member_on(load.term.ends_on)]
        missing = sum(1 for s in roster if (load.id, s.id, "term") not in finals)
        if missing or late_by_load[load.id]:
            found.append((load, missing, late_by_load[load.id]))
    return found


def ended_in(loads: list[journal.LoadInfo], start: date, end: date) -> list[journal.LoadInfo]:
    """The journals whose term ended between ``start`` and ``end`` (not after today)."""
    today = college_today()
    return [load for load in loads if start <= load.term.ends_on <= min(end, today)]


def late_finals(query: ReportQuery) -> ReportResult:
    """Journals whose term ended in the period without every final, and finals first entered
    after the term's last day."""
    loads = ended_in(journal.visible_loads(query.user, query.start, query.end), query.start,
                     query.end)
    groups, teachers = journal.load_labels(loads)
    rows = [[groups.get(load.group_id, ""), load.discipline.title,
             teachers.get(load.teacher_id, ""), load.term.ends_on.strftime("%d.%m.%Y"),
             missing, late] for load, missing, late in late_final_counts(loads)]
    rows.sort(key=lambda r: (r[0], r[1]))
    return ReportResult(_("Несвоевременно выставленные итоговые оценки"), lines=[query.period_line],
                        tables=[ReportTable("", [_("Группа"), _("Дисциплина"), _("Преподаватель"),
                                                 _("Конец семестра"), _("Нет итоговой оценки"),
                                                 _("Выставлено после конца семестра")], rows)])


@hookimpl(specname="control_findings")
def findings(teacher_ids, start: date, end: date) -> list[Finding]:
    """The control reports' gaps by journal: students short of marks (``shortfalls``) and
    finals missing or late (``late_final_counts``)."""
    loads = journal.teachers_loads(teacher_ids, start, end)
    short: dict[int, list[str]] = defaultdict(list)
    by_id = {load.id: load for load in loads}
    for load, name, _short in shortfalls(loads):
        short[load.id].append(name)
    found = [Finding(kind="grading.few_marks", label=_("Недостаточно оценок"),
                     teacher_id=by_id[load_id].teacher_id, load_id=load_id,
                     group_id=by_id[load_id].group_id, count=len(names),
                     detail=", ".join(names[:5]) + (" …" if len(names) > 5 else ""))
             for load_id, names in short.items()]
    for load, missing, late in late_final_counts(ended_in(loads, start, end)):
        found.append(Finding(kind="grading.late_finals",
                             label=_("Итоговые оценки не выставлены в срок"),
                             teacher_id=load.teacher_id, load_id=load.id, group_id=load.group_id,
                             day=load.term.ends_on, count=missing + late, severity="error",
                             detail=_("нет оценки: %(missing)s, выставлено позже: %(late)s",
                                      missing=missing, late=late)))
    found += late_check_findings(loads, start, end)
    return found


def late_check_findings(loads: list[journal.LoadInfo], start: date, end: date) -> list[Finding]:
    """One finding per journal with lessons of written work not checked in time."""
    by_load: dict[int, list[checks.LateCheck]] = defaultdict(list)
    for late in checks.late_checks(loads, start, end):
        by_load[late.load.id].append(late)
    found = []
    for lates in by_load.values():
        load = lates[0].load
        shown = ", ".join(late.lesson.date.strftime("%d.%m") for late in lates[:6])
        found.append(Finding(kind=checks.FINDING, label=_("Работы не проверены в срок"),
                             teacher_id=load.teacher_id, load_id=load.id, group_id=load.group_id,
                             day=lates[0].lesson.date, count=len(lates), severity="error",
                             detail=shown + (" …" if len(lates) > 6 else "")))
    return found


@hookimpl(specname="filling_figures")
def filling_figures(loads: list[journal.LoadInfo], start: date, end: date) -> SummaryFigures | None:
    """«Заполнение журналов»: each journal's lessons of written work not checked within
    ``grading.check_days`` (none when the policy keeps no deadline)."""
    days = checks.check_days()
    if not days:
        return None
    counts = checks.counts_by_load(checks.late_checks(loads, start, end))
    return SummaryFigures("grading", [_("Работы не проверены в срок")],
                          {load.id: [counts.get(load.id, 0)] for load in loads}, order=10,
                          note=_("«Работы не проверены в срок» — занятия с контрольной, "
                                 "лабораторной или практической работой, где через %(days)s дн. "
                                 "у присутствовавших нет оценок.", days=days))
