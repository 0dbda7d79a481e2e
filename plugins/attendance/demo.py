"""Demo absences over the journal's demo lessons: most students rarely absent, a few chronic
absentees, some lateness; sick notes for a few students (reasons set by their curators), a
parent's pending report; attendance recorded on the day for all but a few lessons."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import insert, select

from core.extensions import db
from plugins.attendance.models import Absence, AbsenceHistory, Excuse, Taken
from plugins.journal import api as journal

RATES = {"regular": 0.02, "sometimes": 0.07, "chronic": 0.25}


def make_absences(college) -> None:
    rng = college.rng
    by_load = college.made.get("lessons_by_load") or {}
    habits: dict[int, str] = {}
    rows: list[dict] = []
    taken: list[dict] = []
    for load_key, lessons in by_load.items():
        load = journal.get_load(load_key if isinstance(load_key, int) else load_key.id)
        students = journal.roster(load)
        for student in students:
            habits.setdefault(student.id, rng.choices(list(RATES), weights=(75, 20, 5))[0])
        for lesson in lessons:
            if lesson.date > college.today:
                continue
            at = datetime.combine(lesson.date, time(9, 0), tzinfo=UTC)
            if rng.random() < 0.97 or lesson.date == college.today:  # a few left unmarked
                late_day = rng.random() < 0.05
                taken.append({"lesson_id": lesson.id, "by_id": load.teacher_id,
                              "at": at + timedelta(days=1) if late_day else at})
            for student in students:
                if not student.member_on(lesson.date):
                    continue
                roll = rng.random()
                if roll < RATES[habits[student.id]]:
                    hours = lesson.hours if rng.random() < 0.85 else 1
                    rows.append({"lesson_id": lesson.id, "student_id": student.id,
                                 "kind": "absent", "hours": hours, "minutes": 0, "reason": "",
                                 "version": 1, "updated_at": at,
                                 "updated_by_id": load.teacher_id})
                elif roll < RATES[habits[student.id]] + 0.015:
                    rows.append({"lesson_id": lesson.id, "student_id": student.id,
                                 "kind": "late", "hours": 0, "minutes": rng.choice((5, 10, 15)),
                                 "reason": "", "version": 1, "updated_at": at,
                                 "updated_by_id": load.teacher_id})
    if not rows:
        return
    db.session.execute(insert(Absence), rows)
    db.session.execute(insert(Taken), taken)
    db.session.flush()
    made = db.session.execute(select(Absence.id, Absence.kind, Absence.hours, Absence.minutes,
                                     Absence.updated_at, Absence.updated_by_id)).all()
    db.session.execute(insert(AbsenceHistory), [
        {"absence_id": a.id, "at": a.updated_at, "actor_id": a.updated_by_id, "field": "mark",
         "old_value": "", "new_value": f"н{a.hours}" if a.kind == "absent" else f"оп{a.minutes}"}
        for a in made])
    _reasons(college, rng, habits)
    college.made["absences_count"] = len(rows)


def _reasons(college, rng, habits: dict[int, str]) -> None:
    """Most absences explained by curators (sick notes, valid reasons), some left unexplained."""
    from core.people.models import Group
    from plugins.journal.models import Lesson

    curators = dict(db.session.execute(select(Group.id, Group.curator_id)).all())
    absences = db.session.execute(
        select(Absence, Lesson.date).join(Lesson, Lesson.id == Absence.lesson_id)
        .where(Absence.kind == "absent")).all()
    excused_days: dict[int, set] = {}
    for absence, day in absences:
        excused_days.setdefault(absence.student_id, set()).add(day)
    from core.people.movement import group_on

    for student_id, days in excused_days.items():
        for day in sorted(days):
            truant = habits.get(student_id) == "chronic"
            if day > college.today - timedelta(days=3) or rng.random() < (0.6 if truant else 0.35):
                continue  # the recent week is the curator's work still to do
            reason = rng.choices(("illness", "valid", "invalid"),
                                 weights=(10, 10, 80) if truant else (60, 25, 15))[0]
            group_id = group_on(student_id, day)
            curator = curators.get(group_id)
            document = f"Справка № {rng.randint(100, 999)} от {day:%d.%m.%Y}" \
                if reason == "illness" else ""
            at = datetime.combine(day + timedelta(days=3), time(15, 0), tzinfo=UTC)
            excuse = Excuse(student_id=student_id, date_from=day, date_to=day, reason=reason,
                            document=document, source="curator", status="accepted",
                            created_by_id=curator, created_at=at, decided_by_id=curator,
                            decided_at=at)
            db.session.add(excuse)
            db.session.flush()
            for absence, absence_day in absences:
                if absence.student_id == student_id and absence_day == day:
                    absence.reason, absence.excuse_id = reason, excuse.id
    _pending_report(college)


def _pending_report(college) -> None:
    """A parent's report of a reason, waiting for the curator."""
    from core.people.models import Guardian, StudentGuardian

    row = db.session.execute(
        select(Absence.student_id, Guardian.user_id)
        .join(StudentGuardian, StudentGuardian.student_id == Absence.student_id)
        .join(Guardian, Guardian.id == StudentGuardian.guardian_id)
        .where(Absence.kind == "absent", Absence.reason == "", Guardian.user_id.is_not(None))
        .limit(1)).first()
    if row is None:
        return
    day = college.today - timedelta(days=1)
    db.session.add(Excuse(student_id=row.student_id, date_from=day - timedelta(days=2),
                          date_to=day, reason="illness", source="parent", status="pending",
                          comment="Болел, была температура. Справку принесёт в понедельник.",
                          created_by_id=row.user_id))
