"""A small college for the journal's tests: ``build(app, students=4, lessons=6)``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

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
    SubjectCommission,
    User,
)
from core.people.roles import ROLE_SCOPE, Role
from plugins.journal.models import Discipline, Lesson, TeachingLoad

TERM_START = date(2026, 9, 1)
TERM_END = date(2026, 12, 28)


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    students: list[int] = field(default_factory=list)
    lessons: list[int] = field(default_factory=list)


def _user(key: str, role: Role, prefix: str, scope_id: int | None = None) -> User:
    user = User(login=f"{prefix}.{key}", password_hash=hash_password("secret-pass-1"),
                last_name="Сотрудникова", first_name="Анна", active=True)
    user.roles.append(RoleAssignment(role=role, scope_kind=ROLE_SCOPE[role], scope_id=scope_id))
    db.session.add(user)
    return user


def build(app, students: int = 4, lessons: int = 6, prefix: str = "j") -> World:
    world = World()
    with app.app_context():
        department = Department(name=f"Отделение {prefix}")
        commission = SubjectCommission(name=f"ПЦК информатики {prefix}")
        db.session.add_all([department, commission])
        db.session.flush()
        specialty = Specialty(code=f"09.02.{prefix}", name="Информационные системы",
                              department_id=department.id)
        db.session.add(specialty)
        db.session.flush()
        u = world.users
        u["teacher"] = _user("teacher", Role.TEACHER, prefix)
        u["other"] = _user("other", Role.TEACHER, prefix)
        u["curator"] = _user("curator", Role.CURATOR, prefix)
        u["head"] = _user("head", Role.COMMISSION_HEAD, prefix, scope_id=commission.id)
        u["supervisor"] = _user("supervisor", Role.SUPERVISOR, prefix, scope_id=department.id)
        u["deputy"] = _user("deputy", Role.DEPUTY, prefix)
        u["parent"] = _user("parent", Role.PARENT, prefix)
        u["admin"] = _user("admin", Role.ADMIN, prefix)
        db.session.flush()
        group = Group(name=f"ИСП-{prefix}1", specialty_id=specialty.id, course=2,
                      admission_year=2025, curator_id=u["curator"].id)
        other_group = Group(name=f"ИСП-{prefix}2", specialty_id=specialty.id, course=2,
                            admission_year=2025)
        year = AcademicYear(title=f"2026/2027-{prefix}", starts_on=TERM_START,
                            ends_on=date(2027, 6, 30))
        db.session.add_all([group, other_group, year])
        db.session.flush()
        term = Term(year_id=year.id, number=1, title="1 семестр", starts_on=TERM_START,
                    ends_on=TERM_END)
        discipline = Discipline(code="ОП.04", name=f"Основы алгоритмизации {prefix}",
                                kind="discipline", commission_id=commission.id)
        db.session.add_all([term, discipline])
        db.session.flush()
        for number in range(students):
            student = Student(record_book_no=f"{prefix}-{number:04d}", last_name=f"Студентов{number:03d}",
                              first_name="Иван", middle_name="Петрович")
            db.session.add(student)
            db.session.flush()
            db.session.add(GroupMembership(student_id=student.id, group_id=group.id,
                                           joined_on=TERM_START))
            world.students.append(student.id)
        load = TeachingLoad(teacher_id=u["teacher"].id, group_id=group.id,
                            discipline_id=discipline.id, term_id=term.id, hours_per_week=2,
                            hours_total=34)
        other_load = TeachingLoad(teacher_id=u["other"].id, group_id=other_group.id,
                                  discipline_id=discipline.id, term_id=term.id, hours_per_week=2,
                                  hours_total=34)
        db.session.add_all([load, other_load])
        db.session.flush()
        for number in range(lessons):
            lesson = Lesson(load_id=load.id, date=TERM_START + timedelta(days=number),
                            pair_number=1, hours=2, topic=f"Тема {number + 1}",
                            work_type="lecture", taught_by_id=u["teacher"].id)
            db.session.add(lesson)
            db.session.flush()
            world.lessons.append(lesson.id)
        db.session.commit()
        for user in u.values():
            _ = user.roles
        world.ids.update(group=group.id, other_group=other_group.id, term=term.id,
                         discipline=discipline.id, load=load.id, other_load=other_load.id,
                         commission=commission.id, department=department.id)
    return world


def college_today(app) -> date:
    with app.app_context():
        return clock.college_today()


def include_day(app, world: World, day: date) -> None:
    """Stretch the world's term and its students' stays so that ``day`` lies within them
    (tests that fill "today's" lesson must not depend on the date they run)."""
    from sqlalchemy import select

    with app.app_context():
        term = db.session.get(Term, world.ids["term"])
        term.starts_on, term.ends_on = min(term.starts_on, day), max(term.ends_on, day)
        for membership in db.session.scalars(select(GroupMembership).where(
                GroupMembership.student_id.in_(world.students))):
            membership.joined_on = min(membership.joined_on, day)
        db.session.commit()
