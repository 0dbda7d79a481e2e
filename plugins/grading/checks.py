"""Deadlines for checking written work (BTT 4.5.2: «своевременно выставлять оценки за
контрольные, лабораторные и практические работы в соответствии с нормативами»; KTIS 3.13: «с
учётом ... сроков проверки работ»): a lesson of such a kind must have the marks of the students
present within ``grading.check_days`` calendar days after it. A lesson past that with a present
student unmarked is a late check: in the control reports, the control findings and the
teacher's home page.

A student marked absent at the lesson (any hour of it: they may have missed the work) is not
expected to have a mark; a late arrival is presence. The day of the lesson is day 0: with 3
days, a Monday's control work is due by Thursday and late from Friday."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from core.calendar.clock import college_today
from core.extensions import db
from core.policy import policy_value
from plugins.grading.models import Mark
from plugins.journal import api as journal

#: the control finding's kind
FINDING = "grading.late_checks"
#: the lessons' kinds of work whose marks have a checking deadline (``Lesson.work_type``)
CHECKED_WORK = ("control", "laboratory", "practical")


@dataclass(frozen=True)
class LateCheck:
    """A lesson whose work is not checked in time: the students present without a mark."""

    load: journal.LoadInfo
    lesson: journal.LessonInfo
    due: date
    unmarked: tuple[str, ...]


def check_days() -> int:
    """The policy's days for checking (0: no deadline is kept)."""
    return max(0, int(policy_value("grading.check_days") or 0))


def _absent(lesson_ids: list[int]) -> dict[int, set[int]]:
    """Who missed each lesson (``lesson_absentees``); with no attendance kept, nobody."""
    from core.plugins import hook

    found: dict[int, set[int]] = {}
    for answer in hook().lesson_absentees(lesson_ids=lesson_ids):
        for lesson_id, students in (answer or {}).items():
            found.setdefault(lesson_id, set()).update(students)
    return found


def late_checks(loads: list[journal.LoadInfo], start: date, end: date,
                today: date | None = None) -> list[LateCheck]:
    """The late checks of ``loads`` among their lessons dated ``start``–``end`` whose deadline
    has passed by ``today``, by date and pair: five queries at most, whatever the number of
    journals and lessons."""
    days = check_days()
    if not days or not loads:
        return []
    today = today or college_today()
    until = min(end, today - timedelta(days=days + 1))
    if until < start:
        return []
    by_id = {load.id: load for load in loads}
    lessons = [lesson for lesson in journal.lessons_of(set(by_id), start, until)
               if lesson.work_type in CHECKED_WORK]
    if not lessons:
        return []
    ids = [lesson.id for lesson in lessons]
    marked: dict[int, set[int]] = defaultdict(set)
    for lesson_id, student_id in db.session.execute(
            select(Mark.lesson_id, Mark.student_id).distinct()
            .where(Mark.lesson_id.in_(ids), Mark.value != "")):
        marked[lesson_id].add(student_id)
    absent = _absent(ids)
    rosters = journal.rosters(by_id[load_id] for load_id in {lesson.load_id for lesson in lessons})
    found = []
    for lesson in lessons:
        load = by_id[lesson.load_id]
        missing = tuple(student.name for student in rosters[load.id]
                        if student.member_on(lesson.date)
                        and student.id not in marked[lesson.id]
                        and student.id not in absent.get(lesson.id, ()))
        if missing:
            found.append(LateCheck(load, lesson, lesson.date + timedelta(days=days), missing))
    return found


def counts_by_load(found: list[LateCheck]) -> dict[int, int]:
    """How many late-checked lessons each journal has."""
    counts: dict[int, int] = defaultdict(int)
    for late in found:
        counts[late.load.id] += 1
    return dict(counts)
