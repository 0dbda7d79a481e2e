"""The journal's gaps for the control of its filling (``control_findings``): lessons held
without a topic (the report «Занятия без темы», one computation) and lessons of the timetable
that were never recorded (BTT 4.5.2: the journal is filled on the lesson's day)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from core.calendar.clock import college_today
from core.extensions import db
from core.plugins.types import Finding
from plugins.journal import api
from plugins.journal.models import Lesson
from plugins.journal.reports import untitled
from plugins.journal.services import timetable_of

NO_TOPIC = "journal.no_topic"
NOT_RECORDED = "journal.not_recorded"
#: days a finding's detail lists before «…»
SHOWN_DAYS = 6


def days_line(days: list[date]) -> str:
    """«03.11, 05.11, 10.11 …»: the first days of a finding."""
    shown = ", ".join(day.strftime("%d.%m") for day in days[:SHOWN_DAYS])
    return shown + (" …" if len(days) > SHOWN_DAYS else "")


def findings(teacher_ids, start: date, end: date) -> list[Finding]:
    loads = api.teachers_loads(teacher_ids, start, end)
    by_id = {load.id: load for load in loads}
    found: list[Finding] = []
    untitled_days: dict[int, list[date]] = defaultdict(list)
    for load_id, day, _pair, _taught_by in untitled(by_id, start, end):
        untitled_days[load_id].append(day)
    for load_id, days in untitled_days.items():
        load = by_id[load_id]
        found.append(Finding(kind=NO_TOPIC, label=_("Занятия без темы"),
                             teacher_id=load.teacher_id, load_id=load.id,
                             group_id=load.group_id, day=days[0], count=len(days),
                             detail=days_line(days)))
    found += not_recorded(loads, start, end)
    return found


def not_recorded(loads: list[api.LoadInfo], start: date, end: date) -> list[Finding]:
    """Lessons of each journal's timetable up to yesterday (the day of the lesson is the
    teacher's to fill it) with no lesson recorded at that date and pair (three queries)."""
    until = min(end, college_today() - timedelta(days=1))
    if not loads or until < start:
        return []
    planned = timetable_of(loads, start, until)
    held = {(load_id, day, pair) for load_id, day, pair in db.session.execute(
        select(Lesson.load_id, Lesson.date, Lesson.pair_number).where(
            Lesson.load_id.in_([load.id for load in loads]), Lesson.date >= start,
            Lesson.date <= until))}
    found = []
    for load in loads:
        days = [day for day, pair, _hours in planned.get(load.id, ())
                if (load.id, day, pair) not in held]
        if days:
            found.append(Finding(kind=NOT_RECORDED, label=_("Занятия по расписанию не записаны"),
                                 teacher_id=load.teacher_id, load_id=load.id,
                                 group_id=load.group_id, day=days[0], count=len(days),
                                 severity="error", detail=days_line(days)))
    return found
