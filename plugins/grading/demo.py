"""Demo marks over the journal's demo lessons: most students 3–5, some failing, some short of
the minimum; term finals for loads whose term is over (н/а for those short of the minimum)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import insert, select

from core.extensions import db
from core.people.models import User
from core.people.roles import Role
from plugins.grading import checks, services
from plugins.grading.models import AssessmentKind, Final, History, Mark
from plugins.journal import api as journal
from plugins.journal.demo import previous_journals

#: a student's level -> chances of 5, 4, 3, 2
LEVELS = {
    "strong": (0.70, 0.27, 0.03, 0.0),
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


#: the demo teacher whose latest overdue written work is left partly unchecked (a late check
#: on their home page, in the reports and the control)
LATE_CHECK_TEACHER = "biriukova.iue"


def _checked_in_time(college, by_load) -> tuple[set[int], int | None]:
    """The lessons of control, laboratory and practical work whose checking is due by now
    (``grading.check_days``: their present students all get a mark), and the one of them the
    demo teacher has not finished checking: their latest."""
    days = checks.check_days()
    if not days:
        return set(), None
    due_before = college.today - timedelta(days=days)
    teacher_id = db.session.scalar(select(User.id).where(User.login == LATE_CHECK_TEACHER))
    due, theirs = set(), []
    for load_key, lessons in by_load.items():
        load = journal.get_load(load_key if isinstance(load_key, int) else load_key.id)
        for lesson in lessons:
            if lesson.work_type in checks.CHECKED_WORK and lesson.date < due_before:
                due.add(lesson.id)
                if load.teacher_id == teacher_id:
                    theirs.append((lesson.date, lesson.pair_number, lesson.id))
    late = max(theirs)[2] if theirs else None
    due.discard(late)
    return due, late


def _checked_value(lesson_id: int, student_id: int, level: str) -> str:
    """The mark of written work the main draw left out: its own seeded draw, so that the
    demo's other draws stay as they were."""
    draw = random.Random(f"checked-{lesson_id}-{student_id}")
    return draw.choices(("5", "4", "3", "2"), weights=LEVELS[level])[0]


def make_marks(college) -> None:
    rng = college.rng
    by_load = college.made.get("lessons_by_load") or {}
    levels: dict[int, str] = college.made.setdefault("student_levels", {})
    absent_minded: set[int] = set()
    mark_rows: list[dict] = []
    finished = []
    checked, _late = _checked_in_time(college, by_load)
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
                    if lesson.id not in checked:
                        continue
                    value = _checked_value(lesson.id, student.id, levels[student.id])
                else:
                    value = rng.choices(("5", "4", "3", "2"),
                                        weights=LEVELS[levels[student.id]])[0]
                at = datetime.combine(lesson.date, time(12, 0), tzinfo=UTC)
                mark_rows.append({"lesson_id": lesson.id, "student_id": student.id,
                                  "position": 0, "mark_type": mark_type, "value": value,
                                  "version": 1, "updated_at": at, "updated_by_id": teacher_id})
        if load.term.ends_on < college.today:
            finished.append(load)
    _insert_marks(mark_rows)
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


# --- the previous academic year, finished ------------------------------------------------------

#: the share of a student's journals of the previous year in which they were rarely asked
RARELY_ASKED = 0.03
#: the share of the first term's unsatisfactory results retaken in February
RETAKEN_IN_FEBRUARY = 0.7
FAILING = ("2", "na")


def make_previous_marks(college) -> None:
    """The previous year's marks and results, complete: current marks in every lesson (each
    student keeps their level of this year), the term final of every student of every load,
    and in the second term the exam or graded credit and the year's result. A few н/а (rarely
    asked) and 2 remain; a failed second term, exam or unretaken first term is an academic
    debt (Д) in the year's result; last year's graduates retook everything before graduating
    (each retake a history row with its reason and the deputy's approval)."""
    journals = previous_journals(college)
    if not journals:
        return
    rng = college.rng
    levels: dict[int, str] = college.made.setdefault("student_levels", {})
    rows: list[dict] = []
    for load, students, lessons in journals:
        for student in students:
            levels.setdefault(student.id, _level(rng))
        rarely = {s.id for s in students if rng.random() < RARELY_ASKED}
        rows += _marks_of(rng, load, lessons, students, levels, rarely)
    _insert_marks(rows)
    loads = [load for load, _students, _lessons in journals]
    for load in loads:
        _term_finals(load)
    _year_results(college, loads, levels)
    college.made["previous_marks_count"] = len(rows)


def _marks_of(rng, load, lessons, students, levels: dict[int, str], rarely: set[int]) -> list[dict]:
    """Rows of the current marks of a load's lessons: most assessed work marked, a fifth of
    the other lessons; the rarely asked get a sixth of that."""
    rows = []
    for number, lesson in enumerate(lessons):
        mark_type = _mark_type(load, lesson, number)
        chance = 0.85 if mark_type in ASSESSED else 0.22
        at = datetime.combine(lesson.date, time(12, 0), tzinfo=UTC)
        for student in students:
            if not student.member_on(lesson.date):
                continue
            if rng.random() >= (chance / 6 if student.id in rarely else chance):
                if lesson.work_type not in checks.CHECKED_WORK:
                    continue
                value = _checked_value(lesson.id, student.id, levels[student.id])
            else:
                value = rng.choices(("5", "4", "3", "2"), weights=LEVELS[levels[student.id]])[0]
            rows.append({"lesson_id": lesson.id, "student_id": student.id, "position": 0,
                         "mark_type": mark_type, "value": value, "version": 1,
                         "updated_at": at, "updated_by_id": load.teacher_id})
    return rows


def _insert_marks(rows: list[dict]) -> None:
    """The marks and the history row of each, in two bulk inserts (Core's executemany, about
    twice as fast as the ORM's bulk path or RETURNING for tens of thousands of rows)."""
    if not rows:
        return
    db.session.execute(insert(Mark.__table__), rows)
    ids = {(lesson_id, student_id, position): mark_id
           for mark_id, lesson_id, student_id, position in db.session.execute(
               select(Mark.id, Mark.lesson_id, Mark.student_id, Mark.position)
               .where(Mark.lesson_id.in_({row["lesson_id"] for row in rows})))}
    db.session.execute(insert(History.__table__), [
        {"mark_id": ids[(row["lesson_id"], row["student_id"], row["position"])],
         "final_id": None, "at": row["updated_at"], "actor_id": row["updated_by_id"],
         "old_value": "", "new_value": row["value"], "reason": None, "approved_by_id": None}
        for row in rows])


def _year_results(college, loads, levels: dict[int, str]) -> None:
    """Retakes, then the second term's exam (or graded credit) and the year's result."""
    rng = college.rng
    graduated = {g.id for g in college.made.get("graduated_groups", [])}
    deputy = college.made["staff"][Role.DEPUTY][0].id
    finals = {(f.load_id, f.student_id): f for f in db.session.scalars(
        select(Final).where(Final.load_id.in_([load.id for load in loads]),
                            Final.kind == "term"))}
    first_of = {(load.group_id, load.discipline.id): load for load in loads
                if load.term.number == 1}
    rows, history = [], []
    for load in loads:
        if load.term.number == 1:
            continue
        first = first_of.get((load.group_id, load.discipline.id))
        exam = "exam" if load.discipline.kind == "mdk" else rng.choice(("exam", "diff_credit"))
        db.session.add_all([AssessmentKind(load_id=load.id, kind=exam),
                            AssessmentKind(load_id=load.id, kind="year")])
        february = datetime.combine(load.term.starts_on + timedelta(days=rng.randrange(20, 40)),
                                    time(15, 0), tzinfo=UTC)
        # on the term's last day: its finals at 15:00, a graduate's retake, the exam's
        # statement, then the year's result
        last_day = load.term.ends_on
        before_graduation, exam_at, year_at = (datetime.combine(last_day, time(hour, 30), tzinfo=UTC)
                                               for hour in (15, 16, 17))
        for student in journal.roster(load):
            term2 = finals.get((load.id, student.id))
            term1 = finals.get((first.id, student.id)) if first else None
            if term2 is None or term1 is None:
                continue
            chance = 1.0 if load.group_id in graduated else RETAKEN_IN_FEBRUARY
            if term1.value in FAILING and rng.random() < chance:
                history.append(_retake(term1, first, deputy, february))
            if term2.value in FAILING and load.group_id in graduated:
                history.append(_retake(term2, load, deputy, before_graduation))
            result = _exam_result(rng, term2.value, levels[student.id],
                                  graduating=load.group_id in graduated)
            rows.append(_final_row(load, student.id, exam, result, exam_at))
            rows.append(_final_row(load, student.id, "year",
                                   _year_value(term1.value, term2.value, result), year_at))
    if rows:
        db.session.execute(insert(Final.__table__), rows)
        made = db.session.execute(select(Final.id, Final.value, Final.updated_at, Final.updated_by_id)
                                  .where(Final.load_id.in_({row["load_id"] for row in rows}),
                                         Final.kind != "term")).all()
        history += [_history_row(f.id, f.updated_at, f.updated_by_id, "", f.value) for f in made]
    if history:
        db.session.execute(insert(History.__table__), history)


def _retake(final: Final, load, deputy_id: int, at: datetime) -> dict:
    """A retaken unsatisfactory term result: the final becomes 3 and its history says why."""
    old, final.value, final.version, final.updated_at = final.value, "3", final.version + 1, at
    return _history_row(final.id, at, load.teacher_id, old, "3", approved_by_id=deputy_id,
                        reason=f"Ликвидация академической задолженности, ведомость пересдачи "
                               f"№ {final.id % 900 + 100} от {at:%d.%m.%Y}")


def _history_row(final_id: int, at: datetime, actor_id: int, old: str, new: str,
                 reason: str | None = None, approved_by_id: int | None = None) -> dict:
    return {"mark_id": None, "final_id": final_id, "at": at, "actor_id": actor_id,
            "old_value": old, "new_value": new, "reason": reason, "approved_by_id": approved_by_id}


def _exam_result(rng, term_value: str, level: str, graduating: bool) -> str:
    """The exam's mark: a student without a term result is not admitted (н/а); else a mark of
    their level, at most one away from the term's, a 2 only for the failing (and never for
    one who graduated)."""
    if term_value in FAILING:
        return "na" if term_value == "na" else "2"
    drawn = int(rng.choices(("5", "4", "3", "2"), weights=LEVELS[level])[0])
    term = int(term_value)
    lowest = term - 1 if level == "failing" and not graduating else max(3, term - 1)
    return str(max(lowest, min(term + 1, drawn)))


def _year_value(term1: str, term2: str, exam: str) -> str:
    """The year's result: Д while a term or the exam is unsatisfactory, else the mean of the
    two terms' results rounded towards the second."""
    if FAILING_OR_DEBT.intersection((term1, term2, exam)):
        return "debt"
    first, second = int(term1), int(term2)
    return str((first + second + (1 if second > first else 0)) // 2)


FAILING_OR_DEBT = frozenset({"2", "na", "debt"})


def _final_row(load, student_id: int, kind: str, value: str, at: datetime) -> dict:
    return {"load_id": load.id, "student_id": student_id, "kind": kind, "value": value,
            "version": 1, "updated_at": at, "updated_by_id": load.teacher_id}
