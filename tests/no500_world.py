"""A small college in which every role reaches something, for the no-500 test.

``build(app)`` makes one user per role, a group with its
curator, two students (one the student's own, both the parent's children), a current year and
term around ``TODAY``, a discipline, a teacher's load with a timetable slot and two lessons
(today's and last week's), and one row of every kind a route names by id: corrections, a parent's
absence report, a substitution, an outbox message, each user's report job. ``World.path`` holds a valid
value for each path argument (by argument name, or ``"<endpoint>.<argument>"`` where two tables
share a name), ``World.query`` one for each query parameter or form field that names a row, ``World.json_body``
a valid grid save.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from core.auth.passwords import hash_password
from core.calendar.models import AcademicYear, Term
from core.extensions import db
from core.outbox import OutboxMessage
from core.people.models import (
    Department,
    Group,
    GroupMembership,
    Guardian,
    RoleAssignment,
    Specialty,
    Student,
    StudentGuardian,
    SubjectCommission,
    User,
)
from core.people.roles import ROLE_SCOPE, Role
from plugins.attendance.models import Correction as AbsenceCorrection
from plugins.attendance.models import Excuse
from plugins.grading.models import Correction as MarkCorrection
from plugins.journal.models import Discipline, Lesson, TeachingLoad, TimetableSlot
from plugins.notify_email.services import report_token, unsubscribe_token
from plugins.reports.models import ReportJob
from plugins.substitutions.models import Substitution

PASSWORD = "secret-pass-1"
#: a Wednesday in term time, 12:00 in Moscow
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 25)


@dataclass
class World:
    users: dict[Role, User] = field(default_factory=dict)
    path: dict[str, object] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    jobs: dict[Role, int] = field(default_factory=dict)  # each user's own report job
    json_body: dict = field(default_factory=dict)  # a grid save of one cell


def _user(login: str, role: Role | None, scope_id: int | None = None) -> User:
    user = User(login=login, password_hash=hash_password(PASSWORD), last_name="Тестова",
                first_name="Анна", middle_name="Сергеевна", email=f"{login}@example.org")
    if role is not None:
        user.roles.append(RoleAssignment(role=role, scope_kind=ROLE_SCOPE[role],
                                         scope_id=scope_id))
    db.session.add(user)
    db.session.flush()
    return user


def build(app) -> World:
    """The world, committed; its users detached with their roles loaded."""
    world = World()
    with app.app_context():
        department = Department(name="Отделение информационных технологий")
        commission = SubjectCommission(name="ПЦК информатики")
        db.session.add_all([department, commission])
        db.session.flush()
        specialty = Specialty(code="09.02.07", name="Информационные системы и программирование",
                              department_id=department.id)
        year = AcademicYear(title="2026/2027", starts_on=date(2026, 9, 1),
                            ends_on=date(2027, 6, 30), is_current=True)
        db.session.add_all([specialty, year])
        db.session.flush()
        term = Term(year_id=year.id, number=1, title="1 семестр", starts_on=date(2026, 9, 1),
                    ends_on=date(2026, 12, 28))
        db.session.add(term)
        u = world.users
        u[Role.CURATOR] = _user("w.curator", Role.CURATOR)
        group = Group(name="ИСП-21", specialty_id=specialty.id, course=2, admission_year=2025,
                      year_id=year.id, curator_id=u[Role.CURATOR].id)
        db.session.add(group)
        db.session.flush()
        u[Role.CURATOR].roles[0].scope_id = group.id
        scopes = {Role.SUPERVISOR: department.id, Role.COMMISSION_HEAD: commission.id}
        for other in Role:
            if other not in u:
                u[other] = _user(f"w.{other}", other, scopes.get(other))
        spare = _user("w.spare", Role.TEACHER)  # the staff row that routes by user id change
        students = [Student(record_book_no=f"25-{n:04d}", last_name=f"Студентов{n}",
                            first_name="Иван", middle_name="Петрович", birth_date=date(2008, 1, n))
                    for n in (1, 2)]
        students[0].user_id = u[Role.STUDENT].id
        db.session.add_all(students)
        db.session.flush()
        guardian = Guardian(last_name="Студентова", first_name="Мария", middle_name="Ивановна",
                            user_id=u[Role.PARENT].id, email="parent@example.org")
        db.session.add(guardian)
        db.session.flush()
        for student in students:
            db.session.add(GroupMembership(student_id=student.id, group_id=group.id,
                                           joined_on=date(2026, 9, 1)))
            db.session.add(StudentGuardian(student_id=student.id, guardian_id=guardian.id,
                                           relation="мать"))
        discipline = Discipline(code="ОП.04", name="Основы алгоритмизации", kind="discipline",
                                commission_id=commission.id, work_kinds="control,practical")
        db.session.add(discipline)
        db.session.flush()
        teacher = u[Role.TEACHER]
        load = TeachingLoad(teacher_id=teacher.id, group_id=group.id, discipline_id=discipline.id,
                            term_id=term.id, hours_per_week=2, hours_total=34)
        db.session.add(load)
        db.session.flush()
        slot = TimetableSlot(load_id=load.id, weekday=TODAY.isoweekday(), pair_number=2,
                             hours=2, valid_from=date(2026, 9, 1), valid_to=None)
        lessons = [Lesson(load_id=load.id, date=day, pair_number=2, hours=2, topic="Циклы",
                          work_type="practical", taught_by_id=teacher.id)
                   for day in (TODAY - timedelta(days=7), TODAY)]
        db.session.add_all([slot, *lessons])
        db.session.flush()
        past, today = lessons
        student = students[0]
        rows = {
            "grading.correction_id": MarkCorrection(
                lesson_id=past.id, student_id=student.id, new_value="5", reason="Ошибка",
                requested_by_id=teacher.id),
            "attendance.correction_id": AbsenceCorrection(
                lesson_id=past.id, student_id=student.id, new_value="н", reason="Ошибка",
                requested_by_id=teacher.id),
            "excuse_id": Excuse(student_id=student.id, date_from=TODAY, date_to=TODAY,
                                reason="illness", source="parent", status="pending",
                                created_by_id=u[Role.PARENT].id),
            "sub_id": Substitution(kind="replacement", absent_id=teacher.id, substitute_id=spare.id,
                                   load_id=load.id, date_from=TODAY, date_to=TODAY,
                                   created_by_id=u[Role.DEPUTY].id),
            "message_id": OutboxMessage(channel="email", recipient="parent@example.org",
                                        idempotency_key="no500", student_id=student.id,
                                        status="failed", subject="Оценка"),
        }
        jobs = {role: ReportJob(user_id=user.id, report="reports.activity",
                                params={"month": "2026-11"}, file_format="pdf", status="done",
                                filename="activity.pdf", content=b"%PDF")
                for role, user in u.items()}
        db.session.add_all([*rows.values(), *jobs.values()])
        db.session.commit()
        world.path = {
            "load_id": load.id, "lesson_id": today.id, "group_id": group.id,
            "student_id": student.id, "discipline_id": discipline.id, "year_id": year.id,
            "slot_id": slot.id, "guardian_id": guardian.id, "user_id": spare.id,
            **{key: row.id for key, row in rows.items()},
            "notify_email.unsubscribe.token": unsubscribe_token(u[Role.PARENT].id),
            "notify_email.report_absence.token": report_token(u[Role.PARENT].id, student.id),
            "journal.save_cells.plugin": "grading",
        }
        world.jobs = {role: job.id for role, job in jobs.items()}
        world.json_body = {"cells": [{"lesson_id": today.id, "student_id": student.id,
                                      "value": "", "version": None}]}
        world.query = {
            "group": group.id, "student": student.id, "teacher": teacher.id,
            "commission": commission.id, "year": year.id, "term": term.id,
            "lesson_id": today.id, "student_id": student.id, "absent": teacher.id,
            "back": student.id, "run": "1",
        }
        world.query = {name: str(value) for name, value in world.query.items()}
        for user in u.values():
            _ = user.roles
            db.session.expunge(user)
    return world
