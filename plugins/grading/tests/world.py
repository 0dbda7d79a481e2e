"""A small journal for the grading tests, in any app (the shared BTT app or a KTIS one).

``build(app, hours_per_week=2)`` makes an admin, a deputy director, two teachers, two groups,
four students of ИСП-21 (Смирнова leaves for ИСП-22 the day after the fifth lesson), a term
around today, a discipline with control, laboratory and practical work, the first teacher's load for ИСП-21 with twelve weekly lessons (the
last one today) and the second teacher's load for ИСП-22 with one lesson.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from core.auth.passwords import hash_password
from core.calendar import clock
from core.calendar.models import AcademicYear, Term
from core.extensions import db
from core.people.models import (
    Department,
    Group,
    GroupMembership,
    RoleAssignment,
    Specialty,
    Student,
    User,
)
from core.people.roles import ROLE_SCOPE, Role
from plugins.journal.models import Discipline, Lesson, TeachingLoad

PASSWORD = "secret-pass-1"
#: the discipline's kinds of work: those its lessons have (no written work)
WORK_KINDS = "control,laboratory,practical"
WORK_TYPES = ["lecture", "practical", "lecture", "lecture", "control", "laboratory",
              "lecture", "practical", "lecture", "lecture", "lecture", "lecture"]


def noon(day: date) -> datetime:
    """Midday of a college day, as a UTC instant (well inside the day in any Russian zone)."""
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    lessons: list[int] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)
    students: list[int] = field(default_factory=list)
    transfer_day: date | None = None


def _user(login: str, role: Role, last: str, first: str, middle: str) -> User:
    user = User(login=login, password_hash=hash_password(PASSWORD), last_name=last,
                first_name=first, middle_name=middle)
    user.roles.append(RoleAssignment(role=role, scope_kind=ROLE_SCOPE[role], scope_id=None))
    db.session.add(user)
    return user


def save_on_the_day(app, world: World, save_cells, who: str, cells: list[dict]) -> None:
    """Save grid cells through a plugin's ``save_cells`` as ``who``, each lesson's cells on the
    lesson's own day (inside the edit window: later a change is a correction), other columns
    (finals) now. Commits."""
    from plugins.journal import api as journal

    by_lesson: dict[int | None, list[dict]] = {}
    for change in cells:
        by_lesson.setdefault(change.get("lesson_id"), []).append(change)
    for lesson_id, changes in by_lesson.items():
        at = None if lesson_id is None else noon(world.dates[world.lessons.index(lesson_id)])
        with app.test_request_context():
            user = db.session.get(User, world.users[who].id)
            save_cells(journal.get_load(world.ids["load"]), user, changes, at=at)
            db.session.commit()


def college_today(app) -> date:
    with app.app_context():
        return clock.college_today()


def build(app, hours_per_week: int = 2, prefix: str = "g") -> World:
    world = World()
    today = college_today(app)
    dates = [today - timedelta(weeks=11 - i) for i in range(12)]
    term_start, term_end = dates[0], today + timedelta(days=30)
    transfer_day = dates[4] + timedelta(days=1)
    world.dates, world.transfer_day = dates, transfer_day
    with app.app_context():
        u = world.users
        u["admin"] = _user(f"{prefix}.admin", Role.ADMIN, "Соколова", "Ирина", "Павловна")
        u["deputy"] = _user(f"{prefix}.deputy", Role.DEPUTY, "Лебедева", "Ольга", "Сергеевна")
        u["teacher"] = _user(f"{prefix}.teacher", Role.TEACHER, "Васильев", "Павел", "Андреевич")
        u["other"] = _user(f"{prefix}.other", Role.TEACHER, "Николаева", "Анна", "Юрьевна")
        u["student_user"] = _user(f"{prefix}.student", Role.STUDENT, "Петров", "Алексей",
                                  "Игоревич")
        department = Department(name="Отделение информационных технологий")
        db.session.add(department)
        db.session.flush()
        specialty = Specialty(code="09.02.07", name="Информационные системы и программирование",
                              department_id=department.id)
        db.session.add(specialty)
        db.session.flush()
        g1 = Group(name="ИСП-21", specialty_id=specialty.id, course=2, admission_year=2024)
        g2 = Group(name="ИСП-22", specialty_id=specialty.id, course=2, admission_year=2024)
        year = AcademicYear(title=f"{prefix}-год", starts_on=term_start,
                            ends_on=term_end + timedelta(days=180))
        db.session.add_all([g1, g2, year])
        db.session.flush()
        term = Term(year_id=year.id, number=1, title="1 семестр", starts_on=term_start,
                    ends_on=term_end)
        db.session.add(term)
        names = [("Петров", "Алексей", "Игоревич"), ("Смирнова", "Дарья", "Олеговна"),
                 ("Кузнецов", "Иван", "Дмитриевич"), ("Фёдорова", "Мария", "Андреевна")]
        students = []
        for number, (last, first, middle) in enumerate(names, start=1):
            student = Student(record_book_no=f"{prefix}-24-{number:04d}", last_name=last,
                              first_name=first, middle_name=middle)
            students.append(student)
        students[0].user_id = u["student_user"].id
        db.session.add_all(students)
        db.session.flush()
        for student in students:
            moved = student.last_name == "Смирнова"
            db.session.add(GroupMembership(student_id=student.id, group_id=g1.id,
                                           joined_on=term_start,
                                           left_on=transfer_day - timedelta(days=1) if moved
                                           else None))
            if moved:
                db.session.add(GroupMembership(student_id=student.id, group_id=g2.id,
                                               joined_on=transfer_day))
        discipline = Discipline(code="ОП.04", name="Основы алгоритмизации и программирования",
                                short_name="Алгоритмизация", kind="discipline",
                                work_kinds=WORK_KINDS)
        db.session.add(discipline)
        db.session.flush()
        load = TeachingLoad(teacher_id=u["teacher"].id, group_id=g1.id, discipline_id=discipline.id,
                            term_id=term.id, hours_per_week=hours_per_week,
                            hours_total=hours_per_week * 17)
        other = TeachingLoad(teacher_id=u["other"].id, group_id=g2.id,
                             discipline_id=discipline.id, term_id=term.id, hours_per_week=2,
                             hours_total=34)
        db.session.add_all([load, other])
        db.session.flush()
        lessons = []
        for number, (day, work_type) in enumerate(zip(dates, WORK_TYPES, strict=True)):
            lessons.append(Lesson(load_id=load.id, date=day, pair_number=2, hours=2,
                                  topic=f"Тема {number + 1}: алгоритмы и структуры данных",
                                  work_type=work_type, taught_by_id=u["teacher"].id))
        other_lesson = Lesson(load_id=other.id, date=dates[6], pair_number=3, hours=2,
                              topic="Циклы", work_type="practical", taught_by_id=u["other"].id)
        db.session.add_all([*lessons, other_lesson])
        db.session.commit()
        for user in u.values():
            _ = user.roles
        world.ids.update(g1=g1.id, g2=g2.id, term=term.id, discipline=discipline.id,
                         load=load.id, other_load=other.id, other_lesson=other_lesson.id)
        world.lessons = [lesson.id for lesson in lessons]
        world.students = [student.id for student in students]
    return world
