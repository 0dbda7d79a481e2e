"""Early warning (REQUIREMENTS R8–R9, BTT 2.9, KTIS 2.9): the students at risk in any discipline
of their group, with what puts them there and how that changed since a week ago.

A student is at risk in a journal when, on the day looked at:

- the forecast of its final (``forecasts_for_loads``) is failing («2», «не зачтено») or «н/а»;
- they are short of the preset's minimum of marks (``grades.min_marks``, its required kinds)
  and the timetable leaves no more than ``forecast.warning_lessons_left`` lessons in the term;
- their hours missed without a valid reason in it reach ``forecast.warning_unexcused_hours``;
- its term ended ``forecast.warning_finals_days`` days ago or more and they have no final.

A week ago is the same computation as of seven days earlier (the forecasts, marks and absences
of lessons held by then, the lessons then left; finals as they stand now); nothing is stored,
so the trend always agrees with today's rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.calendar.clock import college_day
from core.calendar.models import AcademicYear
from core.extensions import db
from core.models import utcnow
from core.people.models import Group
from core.policy import policy_value
from plugins.attendance import api as attendance
from plugins.forecast.readiness import members
from plugins.grading import api as grading
from plugins.journal import api as journal

FAILING_FORECAST, NA_FORECAST = "forecast_fail", "forecast_na"
FEW_MARKS, UNEXCUSED, NO_FINAL = "few_marks", "unexcused", "no_final"
#: the kinds of signal, in the order a row lists them
SIGNALS = {
    FAILING_FORECAST: _l("прогноз: неудовлетворительно"),
    NA_FORECAST: _l("прогноз: н/а"),
    FEW_MARKS: _l("мало оценок, занятий почти не осталось"),
    UNEXCUSED: _l("пропуски без уважительной причины"),
    NO_FINAL: _l("нет итоговой оценки после срока"),
}
NEW, WORSE, BETTER, SAME = "new", "worse", "better", "same"
TRENDS = {NEW: _l("новый"), WORSE: _l("хуже"), BETTER: _l("лучше"), SAME: _l("без изменений")}
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Signal:
    kind: str
    load_id: int
    discipline: str
    detail: str

    @property
    def title(self) -> str:
        return str(SIGNALS[self.kind])


@dataclass(frozen=True)
class AtRisk:
    """A student at risk today: their signals, and how many they had a week ago."""

    student_id: int
    name: str
    group_id: int
    group: str
    signals: tuple[Signal, ...]
    week_ago: int

    @property
    def count(self) -> int:
        return len(self.signals)

    @property
    def disciplines(self) -> int:
        return len({s.load_id for s in self.signals})

    @property
    def trend(self) -> str:
        if self.week_ago == 0:
            return NEW
        if self.count > self.week_ago:
            return WORSE
        return BETTER if self.count < self.week_ago else SAME

    @property
    def trend_title(self) -> str:
        return str(TRENDS[self.trend])


@dataclass(frozen=True)
class WarningList:
    rows: tuple[AtRisk, ...]
    #: students at risk a week ago and not any more
    recovered: tuple[tuple[int, str, str], ...]
    day: date
    week_ago_count: int


def _year_start(today: date) -> date:
    start = db.session.scalar(select(AcademicYear.starts_on).where(
        AcademicYear.starts_on <= today, AcademicYear.ends_on >= today))
    return start or today - timedelta(days=183)


def signals_at(group_ids: Iterable[int] | None, at: datetime
               ) -> dict[int, list[Signal]]:
    """``{student_id: [Signal, ...]}`` of the groups' current members on the college day of
    ``at`` (every group: ``None``). A fixed number of queries whatever the groups' size."""
    from plugins.forecast.api import forecasts_for_loads

    today = college_day(at)
    ids = None if group_ids is None else set(group_ids)
    if ids is not None and not ids:
        return {}
    found: dict[int, list[Signal]] = defaultdict(list)
    current = {sid for sid, _name, _group in members(ids, today)}
    if ids is None:
        ids = set(db.session.scalars(select(Group.id)))
    loads = journal.loads_of_groups(ids, _year_start(today), today)
    running = [load for load in loads if load.term.starts_on <= today <= load.term.ends_on]
    days = policy_value("forecast.warning_finals_days")
    ended = [load for load in loads if (today - load.term.ends_on).days >= max(days, 1)]
    rosters = journal.rosters(running + ended)
    forecasts = forecasts_for_loads([load.id for load in running], at=at) if running else {}
    shortfalls = grading.shortfalls_of(running, today)
    excepted = grading.exceptions_of(load.id for load in running)
    ahead = journal.timetable_of(running, today + timedelta(days=1),
                                 max((load.term.ends_on for load in running), default=today))
    held: dict[int, int] = defaultdict(int)
    for lesson in journal.lessons_of({load.id for load in running},
                                     min((ld.term.starts_on for ld in running), default=today),
                                     today):
        held[lesson.load_id] += lesson.hours
    # as the forecast counts them: the timetable's lessons to come, else (no timetable) the
    # load's hours not held yet, a pair (two hours) a lesson
    left = {load.id: len(ahead[load.id]) if ahead.get(load.id)
            else max(0, load.hours_total - held[load.id]) // 2 for load in running}
    lessons_left = policy_value("forecast.warning_lessons_left")
    hours_limit = policy_value("forecast.warning_unexcused_hours")
    missed = attendance.missed_hours([load.id for load in running],
                                     min((ld.term.starts_on for ld in running), default=today),
                                     today) if hours_limit > 0 else {}
    finals = grading.finals_by_kind(load.id for load in ended)
    for load in running:
        title = load.discipline.title
        for student in rosters[load.id]:
            if student.id not in current or not student.member_on(today):
                continue
            forecast = forecasts.get((student.id, load.id))
            if forecast is not None and forecast.risk in ("fail", "na"):
                kind = FAILING_FORECAST if forecast.risk == "fail" else NA_FORECAST
                detail = " ".join(forecast.reasons[:2])
                found[student.id].append(Signal(kind, load.id, title, detail))
            short = shortfalls.get((load.id, student.id)) or grading.shortfall_in(load, [])
            if (not short.ok and (load.id, student.id) not in excepted
                    and left[load.id] <= lessons_left):
                found[student.id].append(Signal(FEW_MARKS, load.id, title, _(
                    "%(problem)s; осталось занятий: %(left)s", problem=short.describe(),
                    left=left[load.id])))
            hours = missed.get((load.id, student.id))
            if hours is not None and hours.unexcused >= hours_limit:
                found[student.id].append(Signal(UNEXCUSED, load.id, title, _(
                    "%(hours)s ч без уважительной причины (порог %(limit)s ч)",
                    hours=hours.unexcused, limit=hours_limit)))
    for load in ended:
        for student in rosters[load.id]:
            if (student.id in current and student.member_on(load.term.ends_on)
                    and not finals.get((load.id, student.id))):
                found[student.id].append(Signal(NO_FINAL, load.id, load.discipline.title, _(
                    "семестр окончен %(day)s", day=load.term.ends_on.strftime("%d.%m.%Y"))))
    order = list(SIGNALS)
    return {sid: sorted(signals, key=lambda s: (order.index(s.kind), s.discipline))
            for sid, signals in found.items()}


def warning_list(group_ids: Iterable[int] | None, at: datetime | None = None) -> WarningList:
    """The students at risk today in the groups (every group: ``None``), each with their
    signals and the number they had a week ago; and who left the list since."""
    at = at or utcnow()
    ids = None if group_ids is None else set(group_ids)
    today = college_day(at)
    now = signals_at(ids, at)
    before = signals_at(ids, at - WEEK)
    people = {sid: (name, group) for sid, name, group in members(ids, today)}
    names = {gid: name for gid, name in db.session.execute(select(Group.id, Group.name))}
    rows = [AtRisk(sid, people[sid][0], people[sid][1], names.get(people[sid][1], ""),
                   tuple(signals), len(before.get(sid, ())))
            for sid, signals in now.items() if sid in people]
    recovered = tuple(sorted((sid, people[sid][0], names.get(people[sid][1], ""))
                             for sid in before if sid not in now and sid in people))
    return WarningList(tuple(sorted(rows, key=lambda r: (-r.count, r.group, r.name))),
                       recovered, today, len(before))


#: the sorts of the list, by the ``sort`` argument of its page
SORTS = {
    "count": lambda r: (-r.count, r.group, r.name),
    "name": lambda r: (r.name, r.group),
    "group": lambda r: (r.group, r.name),
    "trend": lambda r: ([NEW, WORSE, SAME, BETTER].index(r.trend), -r.count, r.name),
    "disciplines": lambda r: (-r.disciplines, r.group, r.name),
}


def sorted_rows(rows: Iterable[AtRisk], sort: str) -> list[AtRisk]:
    return sorted(rows, key=SORTS.get(sort, SORTS["count"]))


def table(listing: WarningList, rows: list[AtRisk]) -> tuple[list[str], list[list]]:
    """The list as an export's header and rows: one row a signal."""
    header = [_("Группа"), _("Обучающийся"), _("Дисциплина"), _("Риск"), _("Подробности"),
              _("Рисков сейчас"), _("Неделю назад"), _("Изменение")]
    body = [[row.group, row.name, signal.discipline, signal.title, signal.detail, row.count,
             row.week_ago, row.trend_title] for row in rows for signal in row.signals]
    return header, body
