"""The pieces every test world is built of (``tests/no500_world.py``, ``tests/people_world.py``,
``plugins/*/tests/world.py``): users with a role, the frame of a department, its subject
commission and specialty, a year with its first term, a student in a group, a guardian of
students, a teaching load.

Each adds its rows to the session of the open app context and flushes them (ids are known);
the world commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from core.auth.passwords import hash_password
from core.calendar.models import AcademicYear, Term
from core.extensions import db
from core.people import models as people
from core.people.roles import ROLE_SCOPE, Role

PASSWORD = "secret-pass-1"


@dataclass
class World:
    """What a test world made: its users by key (detached, roles loaded), row ids by name, and
    its students' and lessons' ids in order."""

    users: dict[str, people.User] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    students: list[int] = field(default_factory=list)
    lessons: list[int] = field(default_factory=list)

    def id(self, key: str) -> int:
        """The id of the user ``key``."""
        return self.users[key].id


#: the college's administration as the staff worlds name them: key → (role, last, first name)
ADMINISTRATION = {
    "admin": (Role.ADMIN, "Соколова", "Ирина"),
    "director": (Role.DIRECTOR, "Громов", "Виктор"),
    "deputy": (Role.DEPUTY, "Лебедева", "Ольга"),
    "methodist": (Role.METHODIST, "Зайцева", "Галина"),
}
#: and the teachers they work with
TEACHERS = {
    "curator": (Role.CURATOR, "Морозова", "Елена"),
    "teacher": (Role.TEACHER, "Васильев", "Павел"),
    "teacher2": (Role.TEACHER, "Титов", "Олег"),
}


def add_user(login: str, role: Role | None, last_name: str, first_name: str,
             scope_id: int | None = None, **fields) -> people.User:
    """A user who signs in with ``PASSWORD``, holding ``role`` (none for ``None``)."""
    user = people.User(login=login, password_hash=hash_password(PASSWORD),
                       last_name=last_name, first_name=first_name, **fields)
    if role is not None:
        user.roles.append(people.RoleAssignment(role=role, scope_kind=ROLE_SCOPE[role],
                                                scope_id=scope_id))
    db.session.add(user)
    db.session.flush()
    return user


@dataclass
class Frame:
    department: people.Department
    specialty: people.Specialty
    commission: people.SubjectCommission | None


def add_frame(department: str = "Отделение информационных технологий",
              commission: str | None = None, code: str = "09.02.07",
              specialty: str = "Информационные системы и программирование") -> Frame:
    """A department, its specialty and (when named) a subject commission."""
    dept = people.Department(name=department)
    pck = people.SubjectCommission(name=commission) if commission is not None else None
    db.session.add_all([dept, *([pck] if pck is not None else [])])
    db.session.flush()
    spec = people.Specialty(code=code, name=specialty, department_id=dept.id)
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
                **fields) -> people.Student:
    """A student who is in group ``group_id`` from ``joined_on`` (until ``left_on``)."""
    student = people.Student(**fields)
    db.session.add(student)
    db.session.flush()
    db.session.add(people.GroupMembership(student_id=student.id, group_id=group_id,
                                          joined_on=joined_on, left_on=left_on))
    db.session.flush()
    return student


def add_guardian(user_id: int | None, last_name: str, first_name: str,
                 student_ids: Iterable[int], relation: str | None = None,
                 **fields) -> people.Guardian:
    """A guardian (with the account ``user_id``, if any) of each of ``student_ids``."""
    guardian = people.Guardian(last_name=last_name, first_name=first_name, user_id=user_id,
                               **fields)
    db.session.add(guardian)
    db.session.flush()
    related = {} if relation is None else {"relation": relation}
    for student_id in student_ids:
        db.session.add(people.StudentGuardian(student_id=student_id, guardian_id=guardian.id,
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


def keep_roles(users: Iterable[people.User]) -> None:
    """Load each user's roles while attached, so the world's users serve after the session."""
    for user in users:
        _ = user.roles
