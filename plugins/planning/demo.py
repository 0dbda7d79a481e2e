"""Demo КТП: a plan for most of the demo's journals (this year's and last year's), most of them
approved, a few of them ahead of their journals (a lag); one teacher's plans late (drafts after the deadline), one plan waiting whose hours do
not add up, some journals without a plan. Written in bulk, without notifications."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import insert

from core.extensions import db
from core.people.roles import Role
from plugins.journal import api as journal
from plugins.planning.models import APPROVED, DRAFT, SUBMITTED, Plan, PlanRow, Transition

SECTIONS = ("Введение", "Основные понятия", "Практическое применение", "Итоговое повторение")
WORK_CYCLE = ("lecture", "lecture", "practical", "lecture", "laboratory", "combined")
SELF_STUDY = ("Конспект по теме", "", "Подготовить отчёт по работе", "", "Решить задачи",
              "Повторить материал раздела")


def _rows(load: journal.LoadInfo, held: list[journal.LessonInfo], short: int = 0,
          ahead: int = 0) -> list[dict]:
    """Two-hour topics adding up to the load's hours (``short`` fewer); the held lessons' topics
    first. ``ahead``: the plan's weeks run that many weeks before the timetable's (the journal
    lags behind its plan)."""
    topics = list(dict.fromkeys(lesson.topic for lesson in held if lesson.topic.strip()))
    count = max(1, (load.hours_total - short) // 2)
    per_week = max(1, load.hours_per_week)
    rows = []
    for number in range(count):
        topic = topics[number] if number < len(topics) else (
            f"{load.discipline.name}: тема {number + 1}")
        rows.append({"position": number + 1, "section": SECTIONS[number * len(SECTIONS) // count],
                     "topic": topic, "hours": 2, "work_type": WORK_CYCLE[number % len(WORK_CYCLE)],
                     "self_study": SELF_STUDY[number % len(SELF_STUDY)],
                     "week": max(1, -(-2 * (number + 1) // per_week) - ahead) if ahead else None})
    if (load.hours_total - short) % 2:
        rows[-1]["hours"] += 1
    return rows


def make_plans(college) -> None:
    made = college.made.get("loads") or []
    if not made:
        return
    staff = college.made.get("staff") or {}
    deputy = (staff.get(Role.DEPUTY) or staff.get(Role.DIRECTOR) or [None])[0]
    if deputy is None:
        return
    loads = list(journal.loads_by_id(load.id for load in made).values())
    lessons = college.made.get("lessons_by_load", {})
    previous = college.made.get("previous_loads") or []
    previous_lessons = college.made.get("previous_lessons_by_load", {})
    year_start = min(load.term.starts_on for load in loads)
    submitted_on = datetime.combine(year_start + timedelta(days=6), time(9), tzinfo=UTC)
    approved_on = submitted_on + timedelta(days=2)
    late_teacher = loads[-1].teacher_id
    plans: list[tuple[journal.LoadInfo, str, list[dict]]] = []
    mismatch_done = False
    for index, load in enumerate(sorted(loads, key=lambda ld: ld.id)):
        if load.teacher_id == late_teacher:
            state = DRAFT if index % 2 else None  # late: a draft, or no plan at all
        elif not mismatch_done and index % 5 == 3:
            state, mismatch_done = "mismatch", True
        else:
            state = APPROVED
        if state is None:
            continue
        held = lessons.get(load.id, [])
        if state == "mismatch":
            plans.append((load, SUBMITTED, _rows(load, held, short=4)))
        else:
            plans.append((load, state, _rows(load, held, ahead=2 if index % 6 == 1 else 0)))
    for load in previous:
        plans.append((load, APPROVED, _rows(load, previous_lessons.get(load.id, []))))
    rows, moves = [], []
    for load, state, plan_rows in plans:
        plan = Plan(load_id=load.id, state=state,
                    submitted_at=submitted_on if state != DRAFT else None,
                    approved_at=approved_on if state == APPROVED else None,
                    approved_by_id=deputy.id if state == APPROVED else None,
                    updated_at=submitted_on)
        db.session.add(plan)
        db.session.flush()
        rows.extend({**row, "plan_id": plan.id} for row in plan_rows)
        if state != DRAFT:
            moves.append({"plan_id": plan.id, "from_state": DRAFT, "to_state": SUBMITTED,
                          "actor_id": load.teacher_id, "at": submitted_on, "comment": ""})
        if state == APPROVED:
            moves.append({"plan_id": plan.id, "from_state": SUBMITTED, "to_state": APPROVED,
                          "actor_id": deputy.id, "at": approved_on, "comment": ""})
    db.session.execute(insert(PlanRow.__table__), rows)
    if moves:
        db.session.execute(insert(Transition.__table__), moves)
    db.session.flush()
