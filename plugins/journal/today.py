"""A teacher's day: the lessons of the timetable today, and whether each is filled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from core.calendar import mode as working_mode
from core.calendar.models import Term
from core.extensions import db
from core.people.models import Group
from plugins.journal.models import Discipline, Lesson, TeachingLoad, TimetableSlot


@dataclass(frozen=True)
class TodayLesson:
    load_id: int
    pair_number: int
    group: str
    discipline: str
    filled: bool
    #: «08:30–10:00» from the year's bells, empty when they are not entered
    time: str = ""


def todays_lessons(teacher_id: int, day: date) -> list[TodayLesson]:
    """The teacher's timetable of ``day`` and the lessons of ``day`` recorded outside it (added
    by hand to the teacher's journal, or taken by them), in pair order; each with its time from
    the bells and marked filled when its topic is set (two queries, and the working mode once
    per request). A slot of the other alternating week, or a day off the working week, has no
    lessons."""
    mode = working_mode.mode_on(day)
    slots = db.session.execute(
        select(TeachingLoad.id, TimetableSlot.pair_number, Group.name, Discipline.code,
               Discipline.name, TimetableSlot.week)
        .join(TeachingLoad, TeachingLoad.id == TimetableSlot.load_id)
        .join(Term, Term.id == TeachingLoad.term_id)
        .join(Group, Group.id == TeachingLoad.group_id)
        .join(Discipline, Discipline.id == TeachingLoad.discipline_id)
        .where(TeachingLoad.teacher_id == teacher_id, TimetableSlot.weekday == day.isoweekday(),
               TimetableSlot.valid_from <= day,
               or_(TimetableSlot.valid_to.is_(None), TimetableSlot.valid_to >= day),
               Term.starts_on <= day, Term.ends_on >= day)
        .order_by(TimetableSlot.pair_number)
    ).all()
    if mode is not None:
        slots = [row for row in slots if mode.runs(day, row.week)]
    recorded = db.session.execute(
        select(Lesson.load_id, Lesson.pair_number, Lesson.topic, Group.name, Discipline.code,
               Discipline.name)
        .join(TeachingLoad, TeachingLoad.id == Lesson.load_id)
        .join(Group, Group.id == TeachingLoad.group_id)
        .join(Discipline, Discipline.id == TeachingLoad.discipline_id)
        .where(Lesson.date == day,
               or_(Lesson.load_id.in_([row[0] for row in slots]),
                   TeachingLoad.teacher_id == teacher_id, Lesson.taught_by_id == teacher_id))
    ).all()
    filled = {(row[0], row[1]) for row in recorded if row[2]}
    bells = mode.bells_on(day) if mode else {}

    def time_of(pair: int) -> str:
        return bells[pair].label if pair in bells else ""

    found = {(load_id, pair): TodayLesson(load_id, pair, group, f"{code} {name}",
                                          (load_id, pair) in filled, time_of(pair))
             for load_id, pair, group, code, name, _week in slots}
    for load_id, pair, topic, group, code, name in recorded:
        found.setdefault((load_id, pair), TodayLesson(load_id, pair, group, f"{code} {name}",
                                                      bool(topic), time_of(pair)))
    return sorted(found.values(), key=lambda lesson: (lesson.pair_number, lesson.group))
