"""The reports that belong to no other plugin: the printed journal of a group's year (from every
plugin's grid cells and columns), the parents' information letter (from every plugin's diary
sections), a subject commission's summary (from every plugin's ``summary_figures``), group fill
rates (наполняемость) and the monthly user activity (KTIS 6.1)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from datetime import datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core import settings
from core.audit import AuditEntry
from core.calendar.clock import college_today, college_zone
from core.calendar.models import AcademicYear
from core.extensions import db
from core.people import scope, signers
from core.people.groups import course_in
from core.people.models import (
    Group,
    GroupMembership,
    Student,
    SubjectCommission,
    User,
    short_names,
)
from core.people.movement import group_on
from core.people.roles import ADMINISTRATION, STAFF, Role, role_title, role_titles
from core.plugins import hook
from core.plugins.types import (
    ReportProvider,
    ReportQuery,
    ReportResult,
    ReportTable,
    Signature,
    SummaryFigures,
)
from plugins.journal import api as journal
from plugins.journal.grid import grid_data

LESSONS_PER_PAGE = 28
#: grid columns that are the journal's working aids, not part of the record
WORKING_COLUMNS = {"minimum"}


def providers() -> list[ReportProvider]:
    return [
        ReportProvider.statement("reports.year_journal",
                                 _l("Журнал группы за учебный год (печать)"), year_journal,
                                 keep_years=5, long=True, order=10,
                                 description=_l("Титульный лист, страницы дисциплин с занятиями "
                                                "и оценками, подписи директора; A4, альбомная "
                                                "ориентация.")),
        ReportProvider("reports.letter", _l("Информационное письмо для родителей"), "family",
                       ("student", "period"),
                       frozenset(ADMINISTRATION | {Role.CURATOR, Role.PARENT, Role.STUDENT}),
                       letter, order=10),
        ReportProvider("reports.commission", _l("Сводка предметно-цикловой комиссии"),
                       "progress", ("commission", "period"),
                       frozenset(ADMINISTRATION | {Role.COMMISSION_HEAD}), commission_summary,
                       description=_l("Успеваемость и посещаемость по дисциплинам комиссии: "
                                      "по группам и преподавателям."), order=30),
        ReportProvider("reports.fill_rates", _l("Наполняемость групп"), "statements",
                       ("period",), frozenset(ADMINISTRATION | {Role.SUPERVISOR}), fill_rates,
                       description=_l("Численность групп на начало и конец периода, прибывшие "
                                      "и выбывшие."), order=40),
        ReportProvider("reports.activity", _l("Активность пользователей за месяц"), "activity",
                       ("month",), frozenset({Role.ADMIN, Role.DIRECTOR, Role.DEPUTY}),
                       activity, description=_l("Входы и записи в журнал по пользователям "
                                                "(КТИС 6.1)."), order=10),
    ]


# --- helpers shared by the reports ------------------------------------------------------------


def group_line(group: Group, year: AcademicYear | None = None) -> str:
    """The group's line of a printout; of ``year``, it names the course it studied then."""
    course = group.course if year is None else course_in(group, year)
    return _("Группа %(group)s, %(course)s курс, специальность %(code)s %(name)s",
             group=group.name, course=course, code=group.specialty.code,
             name=group.specialty.name)


# --- the printed journal (BTT 5.2, KTIS 3.10) ---------------------------------------------------


def year_journal(query: ReportQuery) -> ReportResult:
    group = db.session.get(Group, query.group_id)
    year = db.session.get(AcademicYear, query.year_id)
    loads = journal.group_loads(group.id, year.starts_on, year.ends_on)
    teachers = short_names({load.teacher_id for load in loads} | {group.curator_id})
    tables: list[ReportTable] = []
    for number, load in enumerate(loads, start=1):
        query.progress(number - 1, len(loads) + 1)
        tables += load_pages(load, query.user, teachers)
    tables += summary_tables(query, loads)
    query.progress(len(loads) + 1, len(loads) + 1)
    title_page = [
        _("Журнал учебных занятий"), str(settings.get("college.name")),
        group_line(group, year), _("%(year)s учебный год", year=year.title),
        f"{signers.curator_title()}: {teachers.get(group.curator_id, '—')}",
        _("Дисциплин (журналов): %(count)s", count=len(loads)),
    ]
    return ReportResult(_("Журнал группы %(group)s за %(year)s учебный год", group=group.name,
                          year=year.title),
                        lines=[group_line(group, year)], tables=tables, title_page=title_page,
                        signatures=[signers.director(), signers.deputy()],
                        landscape=True)


def load_pages(load: journal.LoadInfo, user: User, teachers: dict[int, str]) -> list[ReportTable]:
    """A journal in the customary layout: marks by lesson date (in pages of
    ``LESSONS_PER_PAGE`` lessons, the results on the last), then the record of the lessons."""
    data = grid_data(load, user)
    heading = _("%(discipline)s · %(term)s · преподаватель %(teacher)s",
                discipline=load.discipline.title, term=load.term.title,
                teacher=teachers.get(load.teacher_id, "—"))
    columns = [c for c in data.columns if c.key not in WORKING_COLUMNS]
    chunks = [data.lessons[i:i + LESSONS_PER_PAGE]
              for i in range(0, len(data.lessons), LESSONS_PER_PAGE)] or [[]]
    tables = []
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        header = [_("Обучающийся"), *[lesson.date.strftime("%d.%m") for lesson in chunk]]
        if last:
            header += [str(column.title) for column in columns]
        rows = []
        for student in data.students:
            row = [student.short_name]
            for lesson in chunk:
                texts = [source.cells[(lesson.id, student.id)].text
                         for source in data.sources if (lesson.id, student.id) in source.cells]
                row.append(" ".join(text for text in texts if text))
            if last:
                row += [column.cells[student.id].text if student.id in column.cells else ""
                        for column in columns]
            rows.append(row)
        tables.append(ReportTable(heading if index == 0 else heading + " " + _("(продолжение)"),
                                  header, rows, page_break=True, style="grid"))
    record = [[lesson.date.strftime("%d.%m.%Y"), lesson.pair_number, lesson.hours,
               lesson.topic, lesson.tasks_done, lesson.homework,
               teachers.get(lesson.taught_by_id, "") if lesson.taught_by_id != load.teacher_id
               else ""] for lesson in data.lessons]
    hours = sum(lesson.hours for lesson in data.lessons)
    tables.append(ReportTable(
        _("Записи о проведённых занятиях: %(discipline)s", discipline=load.discipline.title),
        [_("Дата"), _("Пара"), _("Часы"), _("Тема занятия"), _("Выполненные задания"),
         _("Домашнее задание"), _("Провёл (замещение)")], record,
        footer=[[_("Итого"), "", hours, _("по плану: %(hours)s ч", hours=load.hours_total), "",
                 "", ""]], page_break=True))
    return tables


def summary_tables(query: ReportQuery, loads: list[journal.LoadInfo]) -> list[ReportTable]:
    """The summary statement of another plugin ("grading.summary"), when one is enabled, printed
    after the journals (reached through the hook: no import of that plugin)."""
    from plugins.reports.registry import providers as all_providers

    summary = all_providers().get("grading.summary")
    if summary is None or not loads:
        return []
    result = summary.build(query)
    return [replace(table, title=table.title or result.title, page_break=True)
            for table in result.tables]


# --- the parents' information letter -------------------------------------------------------------


def letter(query: ReportQuery) -> ReportResult:
    student = db.session.get(Student, query.student_id)
    group_id = group_on(student.id, min(query.end, college_today()))
    group = db.session.get(Group, group_id) if group_id else None
    entries = journal.student_loads(student.id, query.start, query.end)
    sections = sorted((section for batch in hook().diary_sections(
        student_id=student.id, student_loads=entries, start=query.start, end=query.end,
        user=query.user) for section in batch or ()), key=lambda s: (s.order, s.title))
    lines = [_("Уважаемые родители (законные представители) обучающегося %(name)s!",
               name=student.full_name)]
    if group is not None:
        lines.append(group_line(group))
    lines += [_("Сообщаем результаты учёбы за период с %(start)s по %(end)s.",
                start=query.start.strftime("%d.%m.%Y"), end=query.end.strftime("%d.%m.%Y"))]
    summary = [line for batch in hook().summary_lines(student_id=student.id, start=query.start,
                                                      end=query.end) for line in batch or ()]
    if summary:
        lines.append(_("Кратко: %(lines)s.", lines="; ".join(summary)))
    tables = [ReportTable(section.title, section.columns, section.rows, note=section.note)
              for section in sections]
    return ReportResult(_("Информационное письмо"), lines=lines, tables=tables,
                        signatures=[signers.curator(group), signers.deputy()])


# --- a subject commission's summary (BTT 2.7) -------------------------------------------------------


def commission_rows(loads: list[journal.LoadInfo]) -> dict[tuple, list[journal.LoadInfo]]:
    """The journals each row of the summary sums up: a group with one teacher, a teacher, a group
    and the whole commission (``("all",)``)."""
    rows: dict[tuple, list[journal.LoadInfo]] = defaultdict(list)
    for load in loads:
        for key in (("pair", load.group_id, load.teacher_id), ("teacher", load.teacher_id),
                    ("group", load.group_id), ("all",)):
            rows[key].append(load)
    return dict(rows)


def commission_summary(query: ReportQuery) -> ReportResult:
    """Progress and attendance of the commission's disciplines in the period by group and
    teacher; the numbers are the plugins' own (``summary_figures``: grading's metrics,
    attendance's tallies)."""
    commission = db.session.get(SubjectCommission, query.commission_id)
    loads = journal.visible_loads(query.user, query.start, query.end,
                                  commission_id=commission.id)
    groups, teachers = journal.load_labels(loads)
    rows = commission_rows(loads)
    found: list[SummaryFigures] = sorted(
        (f for f in hook().summary_figures(rows=rows, start=query.start, end=query.end)
         if f is not None), key=lambda f: (f.order, f.plugin))
    titles = [title for figures in found for title in figures.columns]

    def values(key: tuple) -> list:
        return [value for figures in found
                for value in figures.values.get(key, [None] * len(figures.columns))]

    def disciplines(key: tuple) -> str:
        return ", ".join(sorted({load.discipline.title for load in rows[key]}))

    pairs = sorted((key for key in rows if key[0] == "pair"),
                   key=lambda k: (groups.get(k[1], ""), teachers.get(k[2], "")))
    by_teacher = sorted((key for key in rows if key[0] == "teacher"),
                        key=lambda k: teachers.get(k[1], ""))
    by_group = sorted((key for key in rows if key[0] == "group"),
                      key=lambda k: groups.get(k[1], ""))
    total = [_("Всего по комиссии"), *values(("all",))]
    note = " ".join(f.note for f in found if f.note)
    tables = [
        ReportTable(_("По группам и преподавателям"),
                    [_("Группа"), _("Преподаватель"), _("Дисциплины"), *titles],
                    [[groups.get(k[1], ""), teachers.get(k[2], ""), disciplines(k), *values(k)]
                     for k in pairs],
                    footer=[[total[0], "", "", *total[1:]]] if loads else [], note=note),
        ReportTable(_("По преподавателям"), [_("Преподаватель"), _("Дисциплины"), *titles],
                    [[teachers.get(k[1], ""), disciplines(k), *values(k)] for k in by_teacher]),
        ReportTable(_("По группам"), [_("Группа"), _("Дисциплины"), *titles],
                    [[groups.get(k[1], ""), disciplines(k), *values(k)] for k in by_group]),
    ]
    head = short_names([commission.head_id]).get(commission.head_id, "") \
        if commission.head_id else ""
    return ReportResult(
        _("Сводка комиссии «%(name)s»", name=commission.name),
        lines=[query.period_line,
               _("Журналов дисциплин комиссии: %(count)s", count=len(loads)),
               _("Успеваемость — по итоговым оценкам семестров, пересекающих период; пропуски — "
                 "академические часы занятий периода.")],
        tables=tables, signatures=[Signature(role_title(Role.COMMISSION_HEAD), head)])


# --- group fill rates (наполняемость групп) ------------------------------------------------------


def fill_rates(query: ReportQuery) -> ReportResult:
    visible = scope.group_ids(query.user)
    groups = db.session.scalars(select(Group).where(Group.graduated.is_(False))
                                .order_by(Group.course, Group.name)).all()
    groups = [g for g in groups if visible is None or g.id in visible]
    stays = db.session.execute(
        select(GroupMembership.group_id, GroupMembership.joined_on, GroupMembership.left_on)
        .where(GroupMembership.group_id.in_([g.id for g in groups]))).all()
    before = query.start - timedelta(days=1)
    counts: dict[int, Counter] = {g.id: Counter() for g in groups}
    for group_id, joined, left in stays:
        tally = counts[group_id]
        if joined <= before and (left is None or left > before):
            tally["start"] += 1
        if query.start <= joined <= query.end:
            tally["arrived"] += 1
        if left is not None and query.start <= left <= query.end:
            tally["left"] += 1
        if joined <= query.end and (left is None or left > query.end):
            tally["end"] += 1
    rows = [[g.name, g.specialty.code, g.course, g.form_of_study, counts[g.id]["start"],
             counts[g.id]["arrived"], counts[g.id]["left"], counts[g.id]["end"]] for g in groups]
    total = [sum(row[i] for row in rows) for i in range(4, 8)]
    return ReportResult(
        _("Наполняемость групп"), lines=[query.period_line],
        tables=[ReportTable("", [_("Группа"), _("Специальность"), _("Курс"), _("Форма обучения"),
                                 _("На начало"), _("Прибыло"), _("Выбыло"), _("На конец")],
                            rows, footer=[[_("Итого"), "", "", "", *total]],
                            note=_("Выбывший в последний день периода на конец не считается."))])


# --- user activity (KTIS 6.1) --------------------------------------------------------------------


def activity(query: ReportQuery) -> ReportResult:
    zone = college_zone()
    since = datetime.combine(query.start, time.min, zone)
    until = datetime.combine(query.end + timedelta(days=1), time.min, zone)
    rows = db.session.execute(
        select(AuditEntry.actor_id, AuditEntry.action, func.count(), func.max(AuditEntry.at))
        .where(AuditEntry.at >= since, AuditEntry.at < until, AuditEntry.actor_id.is_not(None))
        .group_by(AuditEntry.actor_id, AuditEntry.action)).all()
    per_user: dict[int, Counter] = {}
    last: dict[int, datetime] = {}
    for actor_id, action, count, latest in rows:
        if action.startswith("auth.") and action != "auth.login":
            continue  # logouts, password changes: neither work in the journal nor a sign-in
        tally = per_user.setdefault(actor_id, Counter())
        kind = ("logins" if action == "auth.login" else "reads" if action.endswith(".view")
                else "changes")
        tally[kind] += count
        last[actor_id] = max(last.get(actor_id, latest), latest)
    users = db.session.scalars(select(User).order_by(User.last_name, User.first_name)).all()
    staff = [user for user in users if user.role_set() & STAFF]  # roles come with the users
    table_rows = []
    role_names = role_titles()
    for user in staff:
        tally = per_user.get(user.id, Counter())
        seen = last.get(user.id)
        titles = ", ".join(sorted(str(role_names[role]) for role in user.role_set()))
        table_rows.append([user.full_name, titles, tally["logins"], tally["changes"],
                           tally["reads"],
                           seen.astimezone(zone).strftime("%d.%m.%Y %H:%M") if seen else "—"])
    idle = sum(1 for row in table_rows if row[2] == 0 and row[3] == 0)
    families = [user for user in users if not user.role_set() & STAFF]
    family_logins = sum(per_user.get(u.id, Counter())["logins"] for u in families)
    family_active = sum(1 for u in families if per_user.get(u.id, Counter())["logins"])
    return ReportResult(
        _("Активность пользователей за %(month)s", month=query.start.strftime("%m.%Y")),
        lines=[query.period_line,
               _("Сотрудников без входов и записей: %(count)s", count=idle),
               _("Обучающиеся и родители: входили %(active)s из %(all)s, входов %(logins)s",
                 active=family_active, all=len(families), logins=family_logins)],
        tables=[ReportTable("", [_("Сотрудник"), _("Роли"), _("Входов"), _("Записей"),
                                 _("Просмотров персональных данных"), _("Последнее действие")],
                            table_rows,
                            footer=[[_("Итого"), "", sum(r[2] for r in table_rows),
                                     sum(r[3] for r in table_rows),
                                     sum(r[4] for r in table_rows), ""]])])
