"""The pieces every test world is built of (``tests/no500_world.py``, ``tests/people_world.py``,
``plugins/*/tests/world.py``): users with a role, the frame of a department, its subject
commission and specialty, a year with its first term, a student in a group, a guardian of
students, a teaching load.

Each adds its rows to the session of the open app context and flushes them (ids are known);
the world commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from core.auth.passwords import hash_password
from core.calendar.models import AcademicYear, Term
from core.extensions import db
from core.people.models import (
    Department,
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

PASSWORD = "secret-pass-1"


def add_user(login: str, role: Role | None, last_name: str, first_name: str,
             scope_id: int | None = None, **fields) -> User:
    """A user who signs in with ``PASSWORD``, holding ``role`` (none for ``None``)."""
    user = User(login=login, password_hash=hash_password(PASSWORD), last_name=last_name,
                first_name=first_name, **fields)
    if role is not None:
        user.roles.append(RoleAssignment(role=role, scope_kind=ROLE_SCOPE[role],
                                         scope_id=scope_id))
    db.session.add(user)
    db.session.flush()
    return user


@dataclass
class Frame:
    department: Department
    specialty: Specialty
    commission: SubjectCommission | None


def add_frame(department: str = "Отделение информационных технологий",
              commission: str | None = None, code: str = "09.02.07",
              specialty: str = "Информационные системы и программирование") -> Frame:
    """A department, its specialty and (when named) a subject commission."""
    dept = Department(name=department)
    pck = SubjectCommission(name=commission) if commission is not None else None
    db.session.add_all([dept, *([pck] if pck is not None else [])])
    db.session.flush()
    spec = Specialty(code=code, name=specialty, department_id=dept.id)
    db.session.add(spec)
    db.session.flush()
    return Frame(dept, spec, pck)


def add_term(year_title: str, starts_on: date, year_ends_on: date, term_ends_on: date,
             is_current: bool = False) -> Term:
    """An academic year from ``starts_on`` and its first term («1 семестр») from that day."""
    year = AcademicYear(title=year_title, starts_on=starts_on, ends_on=year_ends_on,
                        is_current=is_current)
    db.session.add(year)
    db.session.flush()
    term = Term(year_id=year.id, number=1, title="1 семестр", starts_on=starts_on,
                ends_on=term_ends_on)
    db.session.add(term)
    db.session.flush()
    return term


def add_student(group_id: int, joined_on: date, left_on: date | None = None,
                **fields) -> Student:
    """A student who is in group ``group_id`` from ``joined_on`` (until ``left_on``)."""
    student = Student(**fields)
    db.session.add(student)
    db.session.flush()
    db.session.add(GroupMembership(student_id=student.id, group_id=group_id,
                                   joined_on=joined_on, left_on=left_on))
    db.session.flush()
    return student


def add_guardian(user_id: int | None, last_name: str, first_name: str,
                 student_ids: Iterable[int], relation: str | None = None,
                 **fields) -> Guardian:
    """A guardian (with the account ``user_id``, if any) of each of ``student_ids``."""
    guardian = Guardian(last_name=last_name, first_name=first_name, user_id=user_id, **fields)
    db.session.add(guardian)
    db.session.flush()
    related = {} if relation is None else {"relation": relation}
    for student_id in student_ids:
        db.session.add(StudentGuardian(student_id=student_id, guardian_id=guardian.id,
                                       **related))
    db.session.flush()
    return guardian


def add_load(teacher_id: int, group_id: int, discipline_id: int, term_id: int,
             hours_per_week: int = 2, **fields):
    """A teaching load of the journal: ``hours_per_week`` over a 17-week term."""
    from plugins.journal.models import TeachingLoad

    load = TeachingLoad(teacher_id=teacher_id, group_id=group_id, discipline_id=discipline_id,
                        term_id=term_id, hours_per_week=hours_per_week,
                        hours_total=hours_per_week * 17, **fields)
    db.session.add(load)
    db.session.flush()
    return load


def keep_roles(users: Iterable[User]) -> None:
    """Load each user's roles while attached, so the world's users serve after the session."""
    for user in users:
        _ = user.roles
