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

from dataclasses import dataclass
from datetime import date, timedelta

from core.extensions import db
from core.people.models import (
    Group,
    Subgroup,
    SubgroupMembership,
)
from core.people.roles import Role
from plugins.journal.models import Discipline
from tests import college

PASSWORD = college.PASSWORD

STAFF = {
    **college.ADMINISTRATION,
    **college.TEACHERS,
    "supervisor": (Role.SUPERVISOR, "Кузнецов", "Андрей"),
    "head": (Role.COMMISSION_HEAD, "Орлова", "Наталья"),
    "curator2": (Role.CURATOR, "Белова", "Анна"),
    "english": (Role.TEACHER, "Игнатьева", "Мария"),
    "former": (Role.TEACHER, "Прохоров", "Илья"),
}


@dataclass
class World(college.World):
    today: date | None = None


def build(app, today: date, prefix: str = "m") -> World:
    """The world around ``today``: this academic year's term holds it, last year's is over."""
    world = World(today=today)
    u = world.users
    with app.app_context():
        for key, (role, last, first) in STAFF.items():
            u[key] = college.add_user(f"{prefix}.{key}", role, last, first,
                                      email=f"{key}@college.example")
        specialty = college.add_frame(f"Отделение {prefix}", f"ПЦК {prefix}", f"09.02.{prefix}",
                                      "Информационные системы").specialty
        isp = Group(name=f"ИСП-21{prefix}", specialty_id=specialty.id, course=2,
                    admission_year=2025, curator_id=u["curator"].id)
        tm = Group(name=f"ТМ-31{prefix}", specialty_id=specialty.id, course=3,
                   admission_year=2024, curator_id=u["curator2"].id)
        db.session.add_all([isp, tm])
        db.session.flush()
        starts = today - timedelta(days=60)
        term = college.add_term(f"{starts.year}/{starts.year + 1}", starts,
                                today + timedelta(days=200), today + timedelta(days=60),
                                is_current=True)
        old_term = college.add_term(f"{starts.year - 1}/{starts.year}",
                                    starts - timedelta(days=365), starts - timedelta(days=60),
                                    starts - timedelta(days=60))
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
            students[key] = college.add_student(group.id, starts - timedelta(days=365),
                                                record_book_no=f"{prefix}-{key}", last_name=last,
                                                first_name=first)
        db.session.add(SubgroupMembership(student_id=students["petrov"].id,
                                          subgroup_id=subgroup.id, from_date=starts))
        for key, child in (("student", "petrov"), ("student2", "smirnova"),
                           ("student3", "fedorova")):
            u[key] = college.add_user(f"{prefix}.{key}", Role.STUDENT,
                                      students[child].last_name, students[child].first_name,
                                      email=f"{key}@student.example")
            students[child].user_id = u[key].id
        for number, (key, last, first, children, active) in enumerate((
                ("parent", "Петрова", "Марина", ("petrov", "fedorova"), True),
                ("parent2", "Смирнов", "Олег", ("smirnova",), True),
                ("parent3", "Орлова", "Вера", ("orlov",), True),
                ("gone", "Кузнецова", "Ольга", ("kuznetsov",), False))):
            u[key] = college.add_user(f"{prefix}.{key}", Role.PARENT, last, first,
                                      active=active)
            college.add_guardian(u[key].id, last, first,
                                 [students[child].id for child in children],
                                 email=f"{key}@family.example", phone=f"+7900000000{number}")
        college.add_load(u["teacher"].id, isp.id, op04.id, term.id)
        college.add_load(u["english"].id, isp.id, english.id, term.id,
                         subgroup_id=subgroup.id)
        college.add_load(u["teacher2"].id, tm.id, op04.id, term.id)
        college.add_load(u["former"].id, isp.id, op04.id, old_term.id)
        db.session.commit()
        college.keep_roles(u.values())
        world.ids.update(isp=isp.id, tm=tm.id, year=term.year_id,
                         **{key: student.id for key, student in students.items()})
    return world
