"""Demo absences over the journal's demo lessons: most students rarely absent, a few chronic
absentees, some lateness; sick notes for a few students (reasons set by their curators), a
parent's pending report; attendance recorded on the day for all but a few lessons."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, insert, select

from core.extensions import db
from plugins.attendance.models import Absence, AbsenceHistory, Excuse, Taken
from plugins.journal import api as journal
from plugins.journal.demo import previous_journals

RATES = {"regular": 0.02, "sometimes": 0.07, "chronic": 0.35}
#: how many students of a hundred have each habit
HABITS = (76, 21, 3)


def make_absences(college) -> None:
    rng = college.rng
    by_load = college.made.get("lessons_by_load") or {}
    habits: dict[int, str] = college.made.setdefault("attendance_habits", {})
    rows: list[dict] = []
    taken: list[dict] = []
    for load_key, lessons in by_load.items():
        load = journal.get_load(load_key if isinstance(load_key, int) else load_key.id)
        students = journal.roster(load)
        for student in students:
            habits.setdefault(student.id, rng.choices(list(RATES), weights=HABITS)[0])
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
    """Most absences explained by curators (sick notes, valid reasons), some left unexplained.
    The excuses are flushed together (one flush, not one a day)."""
    from core.people.models import Group

    curators = dict(db.session.execute(select(Group.id, Group.curator_id)).all())
    lessons = {lesson.id: lesson for lesson in journal.lessons_between(date.min, date.max)}
    group_of = {load.id: load.group_id for load in journal.loads()}
    absences = db.session.scalars(
        select(Absence).where(Absence.kind == "absent").order_by(Absence.id)).all()
    by_day: dict[int, dict] = {}  # student -> day -> [absences, the lesson's group]
    for absence in absences:
        lesson = lessons[absence.lesson_id]
        day, group_id = lesson.date, group_of[lesson.load_id]
        by_day.setdefault(absence.student_id, {}).setdefault(day, [[], group_id])[0].append(absence)
    explained: list[tuple[Excuse, list[Absence]]] = []
    for student_id, days in by_day.items():
        for day in sorted(days):
            truant = habits.get(student_id) == "chronic"
            if day > college.today - timedelta(days=3) or rng.random() < (0.6 if truant else 0.35):
                continue  # the recent week is the curator's work still to do
            reason = rng.choices(("illness", "valid", "invalid"),
                                 weights=(10, 10, 80) if truant else (60, 25, 15))[0]
            found, group_id = days[day]
            curator = curators.get(group_id)
            document = f"Справка № {rng.randint(100, 999)} от {day:%d.%m.%Y}" \
                if reason == "illness" else ""
            at = datetime.combine(day + timedelta(days=3), time(15, 0), tzinfo=UTC)
            explained.append((Excuse(student_id=student_id, date_from=day, date_to=day,
                                     reason=reason, document=document, source="curator",
                                     status="accepted", created_by_id=curator, created_at=at,
                                     decided_by_id=curator, decided_at=at), found))
    db.session.add_all(excuse for excuse, _found in explained)
    db.session.flush()
    for excuse, found in explained:
        for absence in found:
            absence.reason, absence.excuse_id = excuse.reason, excuse.id
    _pending_report(college)


#: parents' reports of reasons waiting for one curator (the first group's whose families have
#: accounts)
PENDING_REPORTS = 3
REPORT_TEXTS = ("Болел, была температура. Справку принесёт в понедельник.",
                "Был у стоматолога, талон приложу.",
                "Семейные обстоятельства, просим считать уважительной.")


def _pending_report(college) -> None:
    """Parents' reports of reasons, waiting for the curator of the group with most families
    that have accounts and unexplained absences."""
    from core.people.models import Group, GroupMembership, Guardian, StudentGuardian

    reported = (select(Absence.student_id, GroupMembership.group_id, Guardian.user_id)
                .join(StudentGuardian, StudentGuardian.student_id == Absence.student_id)
                .join(Guardian, Guardian.id == StudentGuardian.guardian_id)
                .join(GroupMembership, GroupMembership.student_id == Absence.student_id)
                .join(Group, Group.id == GroupMembership.group_id)
                .where(Absence.kind == "absent", Absence.reason == "",
                       Guardian.user_id.is_not(None), Group.curator_id.is_not(None))
                .subquery())
    # the group with the most such students, so that the curator has several to answer
    group_id = db.session.scalar(
        select(reported.c.group_id).group_by(reported.c.group_id)
        .order_by(func.count(func.distinct(reported.c.student_id)).desc(), reported.c.group_id)
        .limit(1))
    if group_id is None:
        return
    rows = db.session.execute(
        select(reported.c.student_id, func.min(reported.c.user_id))
        .where(reported.c.group_id == group_id)
        .group_by(reported.c.student_id).order_by(reported.c.student_id)
        .limit(PENDING_REPORTS)).all()
    day = college.today - timedelta(days=1)
    for (student_id, parent_id), text in zip(rows, REPORT_TEXTS, strict=False):
        db.session.add(Excuse(student_id=student_id, date_from=day - timedelta(days=2),
                              date_to=day, reason="illness", source="parent", status="pending",
                              comment=text, created_by_id=parent_id))
    _print_the_curator(college, group_id, min(len(rows), len(REPORT_TEXTS)))


def _print_the_curator(college, group_id: int, waiting: int) -> None:
    """The demo's logins name the curator the parents' reports wait for (their home page and
    menu show them)."""
    from core.people.demo import DEMO_PASSWORD
    from core.people.models import Group, User
    from core.people.roles import Role, role_title

    name, login = db.session.execute(select(Group.name, User.login).join(
        User, User.id == Group.curator_id).where(Group.id == group_id)).one()
    if all(printed != login for _title, printed, _password in college.logins):
        college.add_login(f"{role_title(Role.CURATOR)} {name} (ждут ответа родителям: "
                          f"{waiting})", login, DEMO_PASSWORD)


# --- the previous academic year, finished ------------------------------------------------------

#: the reasons a curator finds for a day's absences: of a chronic absentee, of anyone else
TRUANT_REASONS = (20, 10, 70)
USUAL_REASONS = (60, 25, 15)


def make_previous_absences(college) -> None:
    """The previous year's attendance, complete: every lesson's attendance taken (a few the
    next day), absences and lateness by each student's habit (kept from this year's), and the
    reason of every absent day recorded by the group's curator within days of it — with a
    sick note for an illness."""
    journals = previous_journals(college)
    if not journals:
        return
    rng = college.rng
    habits: dict[int, str] = college.made.setdefault("attendance_habits", {})
    marks, taken = [], []
    days: dict[tuple[int, object], int] = {}  # (student, day) -> group
    for load, students, lessons in journals:
        for student in students:
            habits.setdefault(student.id, rng.choices(list(RATES), weights=HABITS)[0])
        for lesson in lessons:
            at = datetime.combine(lesson.date, time(9, 0), tzinfo=UTC)
            taken.append({"lesson_id": lesson.id, "by_id": load.teacher_id,
                          "at": at + timedelta(days=1) if rng.random() < 0.03 else at})
            for student in students:
                if not student.member_on(lesson.date):
                    continue
                mark = _lesson_mark(rng, RATES[habits[student.id]], lesson, student.id, at,
                                    load.teacher_id)
                if mark is not None:
                    marks.append(mark)
                    if mark["kind"] == "absent":
                        days[(student.id, lesson.date)] = load.group_id
    db.session.execute(insert(Taken.__table__), taken)
    excuses = _previous_excuses(college, rng, habits, days)
    history: dict[tuple[int, int], list[dict]] = {}
    for mark in marks:
        day = mark.pop("day")
        text = f"н{mark['hours']}" if mark["kind"] == "absent" else f"оп{mark['minutes']}"
        steps = [{"at": mark["updated_at"], "actor_id": mark["updated_by_id"], "field": "mark",
                  "old_value": "", "new_value": text, "note": ""}]
        if mark["kind"] == "absent":  # the curator's reason, as ``services`` records it
            excuse = excuses[(mark["student_id"], day)]
            mark.update(reason=excuse["reason"], excuse_id=excuse["id"], version=2,
                        updated_at=excuse["created_at"], updated_by_id=excuse["created_by_id"])
            steps.append({"at": excuse["created_at"], "actor_id": excuse["created_by_id"],
                          "field": "reason", "old_value": "", "new_value": excuse["reason"],
                          "note": excuse["document"]})
        history[(mark["lesson_id"], mark["student_id"])] = steps
    if marks:
        db.session.execute(insert(Absence.__table__), marks)
        _previous_history(history)
    college.made["previous_absences_count"] = len(marks)


def _lesson_mark(rng, rate: float, lesson, student_id: int, at, teacher_id: int) -> dict | None:
    """A student's absence or lateness at a lesson, or ``None`` when present on time."""
    roll = rng.random()
    if roll < rate:
        kind, hours, minutes = "absent", lesson.hours if rng.random() < 0.85 else 1, 0
    elif roll < rate + 0.015:
        kind, hours, minutes = "late", 0, rng.choice((5, 10, 15))
    else:
        return None
    return {"lesson_id": lesson.id, "student_id": student_id, "kind": kind, "hours": hours,
            "minutes": minutes, "reason": "", "excuse_id": None, "version": 1,
            "updated_at": at, "updated_by_id": teacher_id, "day": lesson.date}


def _previous_excuses(college, rng, habits: dict[int, str],
                      days: dict[tuple[int, object], int]) -> dict[tuple[int, object], dict]:
    """The curator's reason for each absent day (one bulk insert of accepted excuses);
    returns (student, day) -> the excuse's row with its ``id``."""
    curators = {g.id: g.curator_id for g in college.made["previous_groups"]}
    rows = []
    for (student_id, day), group_id in sorted(days.items(), key=lambda item: (item[0][1], item[0][0])):
        weights = TRUANT_REASONS if habits[student_id] == "chronic" else USUAL_REASONS
        reason = rng.choices(("illness", "valid", "invalid"), weights=weights)[0]
        at = datetime.combine(day + timedelta(days=rng.randrange(1, 5)), time(15, 0), tzinfo=UTC)
        curator = curators.get(group_id)
        rows.append({"student_id": student_id, "date_from": day, "date_to": day,
                     "reason": reason, "source": "curator", "status": "accepted",
                     "document": f"Справка № {rng.randint(100, 999)} от {day:%d.%m.%Y}"
                     if reason == "illness" else "", "comment": "", "decision_comment": "",
                     "created_by_id": curator, "created_at": at, "decided_by_id": curator,
                     "decided_at": at})
    if not rows:
        return {}
    db.session.execute(insert(Excuse.__table__), rows)
    year = college.made["previous_year"]
    found = {(student_id, day): excuse_id for excuse_id, student_id, day in db.session.execute(
        select(Excuse.id, Excuse.student_id, Excuse.date_from).where(
            Excuse.date_from >= year.starts_on, Excuse.date_from <= year.ends_on))}
    return {(row["student_id"], row["date_from"]): {**row, "id": found[(row["student_id"],
                                                                         row["date_from"])]}
            for row in rows}


def _previous_history(history: dict[tuple[int, int], list[dict]]) -> None:
    """Each absence's history: the teacher's mark on the day, the curator's reason after."""
    lesson_ids = {lesson_id for lesson_id, _student in history}
    rows = []
    for absence_id, lesson_id, student_id in db.session.execute(
            select(Absence.id, Absence.lesson_id, Absence.student_id)
            .where(Absence.lesson_id.in_(lesson_ids))):
        rows += [{"absence_id": absence_id, **step}
                 for step in history.get((lesson_id, student_id), ())]
    db.session.execute(insert(AbsenceHistory.__table__), rows)
