"""A small college for the messages' tests: ``build(app, today)``.

ИСП-21 (curator ``curator``): Петров (student account ``student``; subgroup 1 of English),
Смирнова (account ``student2``), Кузнецов (no account). ТМ-31 (curator ``curator2``): Фёдорова
(account ``student3``), Орлов. Parents: ``parent`` of Петров and Фёдорова (two groups), ``parent2``
of Смирнова, ``parent3`` of Орлов, ``gone`` of Кузнецов (account deactivated). Teachers:
``teacher`` (ОП.04 in ИСП-21), ``english`` (English for subgroup 1 of ИСП-21 only), ``teacher2``
(ОП.04 in ТМ-31), ``former`` (taught ИСП-21 last year only). Administration: ``admin``,
``director``, ``deputy``, ``methodist``; other staff: ``supervisor``, ``head``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from core.auth.passwords import hash_password
from core.calendar.models import AcademicYear, Term
from core.extensions import db
from core.people.models import (
    Department,
    Group,
    GroupMembership,
    Guardian,
    RoleAssignment,
    Specialty,
    Student,
    StudentGuardian,
    Subgroup,
    SubgroupMembership,
    SubjectCommission,
    User,
)
from core.people.roles import ROLE_SCOPE, Role
from plugins.journal.models import Discipline, TeachingLoad

PASSWORD = "secret-pass-1"

STAFF = {
    "admin": (Role.ADMIN, "Соколова", "Ирина"),
    "director": (Role.DIRECTOR, "Громов", "Виктор"),
    "deputy": (Role.DEPUTY, "Лебедева", "Ольга"),
    "methodist": (Role.METHODIST, "Зайцева", "Галина"),
    "supervisor": (Role.SUPERVISOR, "Кузнецов", "Андрей"),
    "head": (Role.COMMISSION_HEAD, "Орлова", "Наталья"),
    "curator": (Role.CURATOR, "Морозова", "Елена"),
    "curator2": (Role.CURATOR, "Белова", "Анна"),
    "teacher": (Role.TEACHER, "Васильев", "Павел"),
    "english": (Role.TEACHER, "Игнатьева", "Мария"),
    "teacher2": (Role.TEACHER, "Титов", "Олег"),
    "former": (Role.TEACHER, "Прохоров", "Илья"),
}


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    today: date | None = None

    def id(self, key: str) -> int:
        return self.users[key].id


def _user(login: str, role: Role, last: str, first: str, **fields) -> User:
    user = User(login=login, password_hash=hash_password(PASSWORD), last_name=last,
                first_name=first, **fields)
    user.roles.append(RoleAssignment(role=role, scope_kind=ROLE_SCOPE[role]))
    db.session.add(user)
    return user


def build(app, today: date, prefix: str = "m") -> World:
    """The world around ``today``: this academic year's term holds it, last year's is over."""
    world = World(today=today)
    u = world.users
    with app.app_context():
        for key, (role, last, first) in STAFF.items():
            u[key] = _user(f"{prefix}.{key}", role, last, first, email=f"{key}@college.example")
        department = Department(name=f"Отделение {prefix}")
        commission = SubjectCommission(name=f"ПЦК {prefix}")
        db.session.add_all([department, commission])
        db.session.flush()
        specialty = Specialty(code=f"09.02.{prefix}", name="Информационные системы",
                              department_id=department.id)
        db.session.add(specialty)
        db.session.flush()
        isp = Group(name=f"ИСП-21{prefix}", specialty_id=specialty.id, course=2,
                    admission_year=2025, curator_id=u["curator"].id)
        tm = Group(name=f"ТМ-31{prefix}", specialty_id=specialty.id, course=3,
                   admission_year=2024, curator_id=u["curator2"].id)
        db.session.add_all([isp, tm])
        db.session.flush()
        starts = today - timedelta(days=60)
        year = AcademicYear(title=f"{starts.year}/{starts.year + 1}", starts_on=starts,
                            ends_on=today + timedelta(days=200), is_current=True)
        previous = AcademicYear(title=f"{starts.year - 1}/{starts.year}",
                                starts_on=starts - timedelta(days=365),
                                ends_on=starts - timedelta(days=60))
        db.session.add_all([year, previous])
        db.session.flush()
        term = Term(year_id=year.id, number=1, title="1 семестр", starts_on=starts,
                    ends_on=today + timedelta(days=60))
        old_term = Term(year_id=previous.id, number=1, title="1 семестр",
                        starts_on=previous.starts_on, ends_on=previous.ends_on)
        db.session.add_all([term, old_term])
        subgroup = Subgroup(group_id=isp.id, label="Англ. язык", number=1)
        op04 = Discipline(code="ОП.04", name=f"Основы алгоритмизации {prefix}", kind="discipline")
        english = Discipline(code="ОГСЭ.03", name=f"Иностранный язык {prefix}", kind="general")
        db.session.add_all([subgroup, op04, english])
        db.session.flush()
        students = {}
        for key, last, first, group in (("petrov", "Петров", "Алексей", isp),
                                        ("smirnova", "Смирнова", "Дарья", isp),
                                        ("kuznetsov", "Кузнецов", "Иван", isp),
                                        ("fedorova", "Фёдорова", "Анна", tm),
                                        ("orlov", "Орлов", "Пётр", tm)):
            student = Student(record_book_no=f"{prefix}-{key}", last_name=last,
                              first_name=first)
            db.session.add(student)
            db.session.flush()
            db.session.add(GroupMembership(student_id=student.id, group_id=group.id,
                                           joined_on=starts - timedelta(days=365)))
            students[key] = student
        db.session.add(SubgroupMembership(student_id=students["petrov"].id,
                                          subgroup_id=subgroup.id, from_date=starts))
        for key, child in (("student", "petrov"), ("student2", "smirnova"),
                           ("student3", "fedorova")):
            u[key] = _user(f"{prefix}.{key}", Role.STUDENT, students[child].last_name,
                           students[child].first_name, email=f"{key}@student.example")
            db.session.flush()
            students[child].user_id = u[key].id
        for number, (key, last, first, children, active) in enumerate((
                ("parent", "Петрова", "Марина", ("petrov", "fedorova"), True),
                ("parent2", "Смирнов", "Олег", ("smirnova",), True),
                ("parent3", "Орлова", "Вера", ("orlov",), True),
                ("gone", "Кузнецова", "Ольга", ("kuznetsov",), False))):
            u[key] = _user(f"{prefix}.{key}", Role.PARENT, last, first, active=active)
            db.session.flush()
            guardian = Guardian(last_name=last, first_name=first, user_id=u[key].id,
                                email=f"{key}@family.example", phone=f"+7900000000{number}")
            db.session.add(guardian)
            db.session.flush()
            for child in children:
                db.session.add(StudentGuardian(student_id=students[child].id,
                                               guardian_id=guardian.id))
        db.session.add_all([
            TeachingLoad(teacher_id=u["teacher"].id, group_id=isp.id, discipline_id=op04.id,
                         term_id=term.id, hours_per_week=2, hours_total=34),
            TeachingLoad(teacher_id=u["english"].id, group_id=isp.id, subgroup_id=subgroup.id,
                         discipline_id=english.id, term_id=term.id, hours_per_week=2,
                         hours_total=34),
            TeachingLoad(teacher_id=u["teacher2"].id, group_id=tm.id, discipline_id=op04.id,
                         term_id=term.id, hours_per_week=2, hours_total=34),
            TeachingLoad(teacher_id=u["former"].id, group_id=isp.id, discipline_id=op04.id,
                         term_id=old_term.id, hours_per_week=2, hours_total=34),
        ])
        db.session.commit()
        for user in u.values():
            _ = user.roles
        world.ids.update(isp=isp.id, tm=tm.id, year=year.id,
                         **{key: student.id for key, student in students.items()})
    return world
