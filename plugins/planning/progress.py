"""Plan against fact: what a load's КТП plans by a day (hours and topics) against the lessons
held, the lag, the topics skipped; and the next planned topic for a lesson being recorded.

A row's week is the one the teacher gave, else the week in which its hours fall at the load's
hours per week (rows in order). "Planned by today" is every row of the weeks of the term
(seven days from its first day) that have ended by today; a topic is held when a held lesson's topic is the same text (case and spaces
aside)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from plugins.journal import api as journal
from plugins.planning.models import APPROVED, SUBMITTED
from plugins.planning.rows import Row, norm
from plugins.planning.services import plans_of, rows_by_plan


@dataclass(frozen=True)
class PlanLag:
    """A load's plan against fact on a day; ``state`` is ``None`` when it has no plan."""

    load_id: int
    state: str | None
    submitted: bool
    approved: bool
    planned_hours: int
    planned_hours_to_date: int
    held_hours: int
    planned_topics_to_date: int
    held_topics: int
    skipped_topics: tuple[str, ...] = field(default=())

    @property
    def lag_hours(self) -> int:
        """Hours planned by the day and not held (0 when ahead)."""
        return max(0, self.planned_hours_to_date - self.held_hours)


def week_of(term_start: date, day: date) -> int:
    """The week of the term ``day`` falls in (1: the term's first)."""
    return (day - term_start).days // 7 + 1


def planned_weeks(rows: list[Row], hours_per_week: int) -> list[int]:
    weeks, total = [], 0
    per_week = max(1, hours_per_week)
    for row in rows:
        total += row.hours
        weeks.append(row.week or -(-total // per_week))
    return weeks


def _lag(load: journal.LoadInfo, state: str | None, rows: list[Row],
         held: list[journal.LessonInfo], today: date) -> PlanLag:
    # the weeks of the term that have ended by ``today`` (a week is due once it is over, so
    # a lesson later this week is not a lag yet)
    ended = week_of(load.term.starts_on, today + timedelta(days=1)) - 1
    due = [row for row, week in zip(rows, planned_weeks(rows, load.hours_per_week), strict=True)
           if week <= ended]
    held_topics = {norm(lesson.topic) for lesson in held if lesson.topic.strip()}
    skipped = tuple(row.topic for row in due if norm(row.topic) not in held_topics)
    return PlanLag(
        load_id=load.id, state=state, submitted=state in (SUBMITTED, APPROVED),
        approved=state == APPROVED, planned_hours=sum(row.hours for row in rows),
        planned_hours_to_date=sum(row.hours for row in due),
        held_hours=sum(lesson.hours for lesson in held),
        planned_topics_to_date=len(due), held_topics=len(due) - len(skipped),
        skipped_topics=skipped)


def lag_of_loads(loads: list[journal.LoadInfo], today: date) -> dict[int, PlanLag]:
    """Plan against fact of each of ``loads`` on ``today`` (four queries whatever their number)."""
    if not loads:
        return {}
    plans = plans_of(load.id for load in loads)
    rows = rows_by_plan(plan.id for plan in plans.values())
    start = min(load.term.starts_on for load in loads)
    held: dict[int, list[journal.LessonInfo]] = {load.id: [] for load in loads}
    for lesson in journal.lessons_of({load.id for load in loads}, start, today):
        held[lesson.load_id].append(lesson)
    found = {}
    for load in loads:
        plan = plans.get(load.id)
        found[load.id] = _lag(load, plan.state if plan else None,
                              rows.get(plan.id, []) if plan else [], held[load.id], today)
    return found


def next_row(load: journal.LoadInfo, lesson_date: date) -> tuple[int, Row] | None:
    """The first row (its number and itself) whose topic no lesson of the load before
    ``lesson_date`` (or on it) has held yet; ``None`` when there is no plan or all are held."""
    plan = plans_of([load.id]).get(load.id)
    if plan is None:
        return None
    rows = rows_by_plan([plan.id])[plan.id]
    held = {norm(lesson.topic) for lesson in journal.lessons_of(
        {load.id}, load.term.starts_on, lesson_date) if lesson.topic.strip()}
    for number, row in enumerate(rows, 1):
        if norm(row.topic) not in held:
            return number, row
    return None
