"""A student's diary week: the days with their lessons (recorded ones and those the timetable
still plans), each with the plugins' notes, and the sections under the week."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from core.calendar import mode as working_mode
from core.calendar.clock import college_today
from core.extensions import db
from core.people.models import Group
from core.plugins import hook
from core.plugins.types import DiaryNote, DiarySection, Widget
from plugins.journal import api as journal
from plugins.journal import services as lessons_service

if TYPE_CHECKING:
    from core.people.models import User


@dataclass
class DiaryLesson:
    date: date
    pair: int
    discipline: str
    topic: str = ""
    homework: str = ""
    homework_due: date | None = None
    work_type: str = ""
    lesson_id: int | None = None
    notes: list[DiaryNote] = field(default_factory=list)
    tasks_done: str = ""
    #: «08:30–10:00» from the year's bells (BTT 4.1.1), empty when they are not entered
    time: str = ""


@dataclass
class DiaryWeek:
    start: date
    days: list[tuple[date, list[DiaryLesson]]]
    sections: list[DiarySection]
    groups: list[str]
    #: other plugins' blocks above the week (``diary_widgets``)
    widgets: list[Widget] = field(default_factory=list)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def build(student_id: int, start: date, user: User) -> DiaryWeek:
    """The working week from Monday ``start`` (to Friday or Saturday, by the year's working
    mode) for ``student_id`` as ``user`` sees it; a day off the working week is shown only when a
    lesson was recorded on it."""
    end = start + timedelta(days=5)
    mine = journal.student_loads(student_id, start, end)
    by_load = {entry.load.id: entry for entry in mine}
    recorded = [lesson for lesson in journal.lessons_of(set(by_load), start, end)
                if by_load[lesson.load_id].covers(lesson.date)]
    relay = hook()
    notes: dict[int, list[DiaryNote]] = {}
    for answer in relay.diary_lesson_notes(student_id=student_id, lessons=recorded, user=user):
        for lesson_id, found in (answer or {}).items():
            notes.setdefault(lesson_id, []).extend(found)
    rows: dict[date, list[DiaryLesson]] = {day: [] for day in working_mode.working_days(start)}
    for lesson in recorded:
        rows.setdefault(lesson.date, [])
    seen = set()
    for lesson in recorded:
        load = by_load[lesson.load_id].load
        seen.add((lesson.load_id, lesson.date, lesson.pair_number))
        rows[lesson.date].append(DiaryLesson(
            lesson.date, lesson.pair_number, load.discipline.title, lesson.topic, lesson.homework,
            lesson.homework_due, lesson.work_type, lesson.id, notes.get(lesson.id, []),
            tasks_done=lesson.tasks_done))
    today = college_today()
    planned = lessons_service.timetable_of([entry.load for entry in mine], max(start, today), end)
    for entry in mine:  # the timetable's lessons not recorded yet: today's and the coming days'
        for day, pair, _hours in planned.get(entry.load.id, []):
            if entry.covers(day) and (entry.load.id, day, pair) not in seen:
                rows.setdefault(day, []).append(DiaryLesson(day, pair, entry.load.discipline.title))
    for day, found in rows.items():
        mode = working_mode.mode_on(day)
        bells = mode.bells_on(day) if mode else {}
        for lesson in found:
            if lesson.pair in bells:
                lesson.time = bells[lesson.pair].label
        found.sort(key=lambda lesson: lesson.pair)
    term_start = min((entry.load.term.starts_on for entry in mine), default=start)
    term_end = max((entry.load.term.ends_on for entry in mine), default=end)
    term_loads = journal.student_loads(student_id, term_start, term_end) if mine else []
    sections = [section for batch in relay.diary_sections(
        student_id=student_id, student_loads=term_loads, start=term_start, end=term_end,
        user=user) for section in batch or ()]
    sections.sort(key=lambda section: (section.order, section.title))
    groups = sorted(set(db.session.scalars(select(Group.name).where(
        Group.id.in_({entry.load.group_id for entry in mine})))))
    widgets = [widget for batch in relay.diary_widgets(student_id=student_id, user=user)
               for widget in batch or ()]
    widgets.sort(key=lambda widget: (widget.order, widget.title))
    return DiaryWeek(start, sorted(rows.items()), sections, groups, widgets)

