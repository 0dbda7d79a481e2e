"""Demo marks over the journal's demo lessons: most students 3–5, some failing, some short of
the minimum; term finals for loads whose term is over (н/а for those short of the minimum)."""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlalchemy import insert, select

from core.extensions import db
from plugins.grading import services
from plugins.grading.models import AssessmentKind, Final, History, Mark
from plugins.journal import api as journal

#: a student's level -> chances of 5, 4, 3, 2
LEVELS = {
    "strong": (0.55, 0.35, 0.10, 0.0),
    "good": (0.25, 0.50, 0.22, 0.03),
    "average": (0.08, 0.35, 0.47, 0.10),
    "failing": (0.0, 0.10, 0.45, 0.45),
}
ASSESSED = {"control", "laboratory", "practical", "written"}


def _level(rng) -> str:
    return rng.choices(list(LEVELS), weights=(20, 40, 32, 8))[0]


def _assessment(load, rng) -> str:
    """The customary form of certification: a ПМ ends with a qualification exam, a МДК with an
    exam, practice with a дифф. зачёт, the rest with an exam or a (дифф.) зачёт."""
    kind = load.discipline.kind
    if kind == "pm":
        return "qual_exam"
    if kind == "mdk":
        return "exam"
    if kind in ("up", "pp"):
        return "diff_credit"
    return rng.choice(("exam", "diff_credit", "credit"))


def _mark_type(load, lesson, number: int) -> str:
    """A lesson's marks' type: fixed by its type of work, else chosen by the teacher: in a
    journal with written work every fourth such lesson is a written test (no random draw, so the
    demo's other draws stay as they were)."""
    fixed = services.fixed_mark_type(lesson.work_type)
    if fixed:
        return fixed
    return "written" if "written" in load.work_kinds and number % 4 == 3 else "oral"


def make_marks(college) -> None:
    rng = college.rng
    by_load = college.made.get("lessons_by_load") or {}
    levels: dict[int, str] = {}
    absent_minded: set[int] = set()
    mark_rows: list[dict] = []
    finished = []
    for load_key, lessons in by_load.items():
        load = journal.get_load(load_key if isinstance(load_key, int) else load_key.id)
        teacher_id = load.teacher_id
        students = journal.roster(load)
        for student in students:
            if student.id not in levels:
                levels[student.id] = _level(rng)
                if rng.random() < 0.08:
                    absent_minded.add(student.id)  # rarely asked: short of the minimum
        past = [lesson for lesson in lessons if lesson.date <= college.today]
        for number, lesson in enumerate(past):
            mark_type = _mark_type(load, lesson, number)
            assessed = mark_type in ASSESSED
            for student in students:
                if not (student.joined_on <= lesson.date
                        and (student.left_on is None or lesson.date <= student.left_on)):
                    continue
                chance = 0.85 if assessed else 0.22
                if student.id in absent_minded:
                    chance /= 6
                if rng.random() >= chance:
                    continue
                value = rng.choices(("5", "4", "3", "2"), weights=LEVELS[levels[student.id]])[0]
                at = datetime.combine(lesson.date, time(12, 0), tzinfo=UTC)
                mark_rows.append({"lesson_id": lesson.id, "student_id": student.id,
                                  "position": 0, "mark_type": mark_type, "value": value,
                                  "version": 1, "updated_at": at, "updated_by_id": teacher_id})
        if load.term.ends_on < college.today:
            finished.append(load)
    if mark_rows:
        db.session.execute(insert(Mark), mark_rows)
        db.session.flush()
        made = db.session.execute(
            select(Mark.id, Mark.value, Mark.updated_at, Mark.updated_by_id)
            .where(Mark.lesson_id.in_({row["lesson_id"] for row in mark_rows}))
        ).all()
        db.session.execute(insert(History), [
            {"mark_id": m.id, "at": m.updated_at, "actor_id": m.updated_by_id,
             "old_value": "", "new_value": m.value} for m in made])
    for load_key in by_load:
        load = journal.get_load(load_key if isinstance(load_key, int) else load_key.id)
        db.session.add(AssessmentKind(load_id=load.id, kind=_assessment(load, rng)))
    for load in finished:
        _term_finals(load)
    college.made["marks_count"] = len(mark_rows)


def _term_finals(load) -> None:
    """Term finals of a finished load: the rounded weighted average, н/а when short."""
    marks = services.student_marks(load)
    at = datetime.combine(load.term.ends_on, time(15, 0), tzinfo=UTC)
    rows = []
    for student in journal.roster(load):
        if student.left_on is not None and student.left_on < load.term.ends_on:
            continue
        value = services.proposed_final(load, marks.get(student.id, []))
        rows.append({"load_id": load.id, "student_id": student.id, "kind": "term",
                     "value": value, "version": 1, "updated_at": at,
                     "updated_by_id": load.teacher_id})
    if rows:
        db.session.execute(insert(Final), rows)
        db.session.flush()
        made = db.session.execute(select(Final.id, Final.value).where(Final.load_id == load.id))
        db.session.execute(insert(History), [
            {"final_id": f.id, "at": at, "actor_id": load.teacher_id, "old_value": "",
             "new_value": f.value} for f in made])
