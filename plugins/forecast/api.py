"""The forecast's public interface for other plugins (early warning, readiness, reports).

Both functions read a constant number of queries whatever the number of loads or students:
the journals, rosters, lessons and timetable through ``plugins.journal.api``, the marks through
``plugins.grading.api``, the absences through ``plugins.attendance.api``; the statistics are
``plugins.forecast.model``'s.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select

from core.calendar.clock import college_day
from core.extensions import db
from core.models import utcnow
from core.people.models import GroupMembership
from plugins.forecast import model

__all__ = ["Forecast", "RISKS", "families_see", "forecasts_for_loads", "forecasts_for_students"]

#: the risks a forecast names, and how the pages call them
RISKS = ("none", "fail", "na")


@dataclass(frozen=True)
class Forecast:
    student_id: int
    load_id: int            # the teaching load (journal) it is for
    expected: int | None    # expected final mark 2..5 (or None when there is nothing to go on)
    low: int | None         # range of the expected final
    high: int | None
    risk: str               # "none" | "fail" (likely 2) | "na" (likely «н/а»: too few marks / absences)
    reasons: tuple[str, ...]  # Russian sentences: the marks/absences/missing kinds that drove it
    current: float | None   # current weighted average


def families_see() -> bool:
    """``forecast.visible_to_families``: whether students and parents see forecasts (the diary);
    staff always do."""
    from core.policy import policy_value

    return bool(policy_value("forecast.visible_to_families"))


def forecasts_for_loads(load_ids: Iterable[int], at: datetime | None = None
                        ) -> dict[tuple[int, int], Forecast]:
    """(student id, load id) -> the forecast of every student of each load of ``load_ids`` on
    the college day of ``at`` (now by default); unknown ids are left out."""
    from plugins.journal import api as journal

    day = college_day(at or utcnow())
    loads = list(journal.loads_by_id(load_ids).values())
    return {key: found for key, found in _forecasts(loads, day).items()}


def forecasts_for_students(student_ids: Iterable[int], at: datetime | None = None
                           ) -> dict[tuple[int, int], Forecast]:
    """(student id, load id) -> the forecast of each of ``student_ids`` in every journal of
    their group of the term running on the college day of ``at`` (now by default)."""
    from plugins.journal import api as journal

    day = college_day(at or utcnow())
    ids = set(student_ids)
    if not ids:
        return {}
    groups = set(db.session.scalars(
        select(GroupMembership.group_id).where(
            GroupMembership.student_id.in_(ids), GroupMembership.joined_on <= day,
            or_(GroupMembership.left_on.is_(None), GroupMembership.left_on >= day))))
    loads = [load for load in journal.loads_of_groups(groups, day, day)]
    return _forecasts(loads, day, ids, context=loads)


def inputs_for(loads, day: date, student_ids: set[int] | None = None, context=None):
    """(student id, load id) -> ``model.Inputs`` of the loads' students on ``day`` (the data
    the forecast is made of; the bench and the pages reuse it)."""
    from plugins.attendance import api as attendance
    from plugins.grading import api as grading
    from plugins.journal import api as journal

    if not loads:
        return {}
    if context is None:  # the students' other journals of the same terms: the prior
        terms = {load.term.id for load in loads}
        context = [other for other in journal.loads_of_groups(
            {load.group_id for load in loads}, min(load.term.starts_on for load in loads),
            max(load.term.ends_on for load in loads)) if other.term.id in terms]
    by_id = {load.id: load for load in context}
    by_id.update({load.id: load for load in loads})
    rosters = journal.rosters(loads)
    start = min(load.term.starts_on for load in by_id.values())
    lessons = [lesson for lesson in journal.lessons_of(set(by_id), start, day)
               if lesson.date <= by_id[lesson.load_id].term.ends_on]
    lessons_by_load: dict[int, list] = defaultdict(list)
    for lesson in lessons:
        lessons_by_load[lesson.load_id].append(lesson)
    lesson_day = {lesson.id: (lesson.load_id, lesson.date) for lesson in lessons}
    weights = grading.weights()
    marks: dict[tuple[int, int], list[model.MarkPoint]] = defaultdict(list)
    for row in grading.load_marks([lesson.id for lesson in lessons]):
        if row.value:
            load_id, on = lesson_day[row.lesson_id]
            marks[(row.student_id, load_id)].append(model.MarkPoint(row.value, row.mark_type, on))
    students = {student.id for roster in rosters.values() for student in roster}
    if student_ids is not None:
        students &= student_ids
    own_lessons = {lesson.id for load in loads for lesson in lessons_by_load[load.id]}
    absences = [row for row in attendance.details(students, start, day)
                if row.lesson_id in own_lessons and row.kind == "absent"]
    unexcused: dict[tuple[int, int], int] = defaultdict(int)
    by_month: dict[tuple[int, str], int] = defaultdict(int)
    for row in absences:
        if row.reason in attendance.UNEXCUSED:
            load_id = lesson_day[row.lesson_id][0]
            hours = attendance.hours_missed(row.kind, row.hours)
            unexcused[(row.student_id, load_id)] += hours
            by_month[(row.student_id, row.date.strftime("%Y-%m"))] += hours
    threshold = attendance.chronic_threshold()
    timetable = journal.timetable_of(loads, day + timedelta(days=1),
                                     max(load.term.ends_on for load in loads))
    tiers, required = grading.min_marks(), grading.required_kinds_policy()
    titles = {key: str(title) for key, title in grading.MARK_TYPES.items()}
    # the prior: each student's weighted average over their other journals of the same term
    prior_sum: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for (student_id, load_id), points in marks.items():
        term_id = by_id[load_id].term.id
        for point in points:
            if point.value in model.FIVE_POINT:
                weight = float(weights.get(point.mark_type, 1.0))
                cell = prior_sum[(student_id, term_id)]
                cell[0] += int(point.value) * weight
                cell[1] += weight
                cell[2] += 1
    result = {}
    for load in loads:
        held_lessons = lessons_by_load[load.id]
        left_slots = [slot for slot in timetable.get(load.id, ()) if slot[0] > day]
        if left_slots:
            left = len(left_slots)
        else:
            held_hours = sum(lesson.hours for lesson in held_lessons)
            left = (max(0, load.hours_total - held_hours) // 2 if day < load.term.ends_on
                    else 0)
        needed = grading.rules.min_marks_for(tiers, load.hours_per_week)
        kinds = [kind for kind in required if kind in set(load.work_kinds)]
        for student in rosters.get(load.id, ()):
            if student.id not in students or student.joined_on > day:
                continue
            if student.left_on is not None and student.left_on < min(day, load.term.ends_on):
                continue
            mine = [lesson for lesson in held_lessons if student.member_on(lesson.date)]
            own = marks.get((student.id, load.id), [])
            total = prior_sum.get((student.id, load.term.id))
            prior = prior_count = None
            if total is not None:
                own_w = sum(float(weights.get(p.mark_type, 1.0)) for p in own
                            if p.value in model.FIVE_POINT)
                own_s = sum(int(p.value) * float(weights.get(p.mark_type, 1.0)) for p in own
                            if p.value in model.FIVE_POINT)
                own_n = sum(1 for p in own if p.value in model.FIVE_POINT)
                if total[1] - own_w > 0 and total[2] - own_n >= 3:
                    prior = (total[0] - own_s) / (total[1] - own_w)
                    prior_count = total[2] - own_n
            months = [hours for (sid, _month), hours in by_month.items() if sid == student.id]
            result[(student.id, load.id)] = model.Inputs(
                marks=own, day=min(day, load.term.ends_on), term_end=load.term.ends_on,
                weights=weights, needed=needed, required_kinds=kinds, kind_titles=titles,
                lessons_held=len(mine), lessons_left=left,
                hours_held=sum(lesson.hours for lesson in mine),
                unexcused_hours=unexcused.get((student.id, load.id), 0),
                unexcused_month_max=max(months, default=0), chronic_threshold=threshold,
                prior=prior, prior_count=prior_count or 0)
    return result


def _forecasts(loads, day: date, student_ids: set[int] | None = None, context=None
               ) -> dict[tuple[int, int], Forecast]:
    result = {}
    for (student_id, load_id), data in inputs_for(loads, day, student_ids, context).items():
        found = model.forecast(data)
        result[(student_id, load_id)] = Forecast(student_id, load_id, found.expected, found.low,
                                                 found.high, found.risk, found.reasons,
                                                 found.current)
    return result
