"""The journal's control reports (``report_providers``): lessons without a topic, and how far
each journal is filled against its plan (BTT 5.2: the deputy director checks the filling weekly)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.calendar.clock import college_today
from core.extensions import db
from core.people.roles import ADMINISTRATION, Role
from core.plugins.types import ReportProvider, ReportQuery, ReportResult, ReportTable
from plugins.journal import api
from plugins.journal.models import Lesson

CONTROLLERS = frozenset(ADMINISTRATION | {Role.SUPERVISOR, Role.COMMISSION_HEAD, Role.CURATOR,
                                          Role.TEACHER})


def providers() -> list[ReportProvider]:
    return [
        ReportProvider("journal.no_topic", _l("Занятия без темы"), "control", ("period",),
                       CONTROLLERS, lessons_without_topic,
                       description=_l("Проведённые занятия, у которых не записана тема."),
                       order=10),
        ReportProvider("journal.filling", _l("Заполнение журналов"), "control", ("period",),
                       CONTROLLERS, filling,
                       description=_l("Проведено часов против плана, занятия без темы, последняя "
                                      "запись — по каждому журналу."), order=5),
    ]


def untitled(load_ids, start: date, end: date) -> list[tuple[int, date, int, int | None]]:
    """(load, date, pair, taught by) of the lessons of ``load_ids`` held from ``start`` to
    ``end`` (not after today) with no topic, by date and pair (one query): the report and the
    control finding «Занятия без темы»."""
    until = min(end, college_today())
    if not load_ids:
        return []
    return [tuple(row) for row in db.session.execute(
        select(Lesson.load_id, Lesson.date, Lesson.pair_number, Lesson.taught_by_id)
        .where(Lesson.load_id.in_(list(load_ids)), Lesson.date >= start,
               Lesson.date <= until, func.trim(Lesson.topic) == "")
        .order_by(Lesson.date, Lesson.pair_number)).all()]


def lessons_without_topic(query: ReportQuery) -> ReportResult:
    loads = {load.id: load for load in api.visible_loads(query.user, query.start, query.end)}
    groups, teachers = api.load_labels(loads.values())
    found = untitled(loads, query.start, query.end)
    rows = [[day.strftime("%d.%m.%Y"), pair, groups.get(loads[load_id].group_id, ""),
             loads[load_id].discipline.title,
             teachers.get(taught_by or loads[load_id].teacher_id, "")]
            for load_id, day, pair, taught_by in found]
    return ReportResult(_("Занятия без темы"), lines=[query.period_line],
                        tables=[ReportTable("", [_("Дата"), _("Пара"), _("Группа"),
                                                 _("Дисциплина"), _("Преподаватель")], rows)])


def filling(query: ReportQuery) -> ReportResult:
    loads = api.visible_loads(query.user, query.start, query.end)
    groups, teachers = api.load_labels(loads)
    until = min(query.end, college_today())
    stats: dict[int, list] = defaultdict(lambda: [0, 0, None])
    if loads:
        for load_id, hours, topic, day in db.session.execute(
                select(Lesson.load_id, Lesson.hours, Lesson.topic, Lesson.date)
                .where(Lesson.load_id.in_([load.id for load in loads]),
                       Lesson.date <= until)):
            entry = stats[load_id]
            entry[0] += hours
            entry[1] += 0 if (topic or "").strip() else 1
            entry[2] = day if entry[2] is None or day > entry[2] else entry[2]
    figures = _other_figures(loads, query.start, query.end)
    rows = []
    for load in sorted(loads, key=lambda ld: (groups.get(ld.group_id, ""), ld.discipline.title)):
        held, untitled, last = stats[load.id]
        share = round(100 * held / load.hours_total, 1) if load.hours_total else None
        rows.append([groups.get(load.group_id, ""), load.discipline.title, load.term.title,
                     teachers.get(load.teacher_id, ""), load.hours_total, held, share, untitled,
                     last.strftime("%d.%m.%Y") if last else "—",
                     *[value for found in figures
                       for value in found.values.get(load.id, [None] * len(found.columns))]])
    return ReportResult(_("Заполнение журналов"),
                        lines=[query.period_line, _("Проведено — на %(day)s.",
                                                 day=until.strftime("%d.%m.%Y"))],
                        tables=[ReportTable("", [_("Группа"), _("Дисциплина"), _("Семестр"),
                                                 _("Преподаватель"), _("Часов по плану"),
                                                 _("Проведено, ч"), _("% плана"),
                                                 _("Без темы"), _("Последнее занятие"),
                                                 *[column for found in figures
                                                   for column in found.columns]], rows,
                                            note=" ".join(found.note for found in figures
                                                          if found.note))])


def _other_figures(loads, start: date, end: date):
    """The other plugins' columns of the report (``filling_figures``), in their order."""
    from core.plugins import hook

    if not loads:
        return []
    found = [figures for figures in hook().filling_figures(loads=loads, start=start, end=end)
             if figures is not None]
    return sorted(found, key=lambda figures: (figures.order, figures.plugin))
