"""A small college for the journal's tests: ``build(app, students=4, lessons=6)``."""

from __future__ import annotations

from datetime import date, timedelta

from core.calendar import clock
from core.calendar.models import Term
from core.extensions import db
from core.people.models import Group, GroupMembership, User
from core.people.roles import Role
from plugins.journal.models import Discipline, Lesson
from tests.college import World, add_frame, add_load, add_student, add_term, add_user, keep_roles

TERM_START = date(2026, 9, 1)
TERM_END = date(2026, 12, 28)


def _user(key: str, role: Role, prefix: str, scope_id: int | None = None) -> User:
    return add_user(f"{prefix}.{key}", role, "Сотрудникова", "Анна", scope_id, active=True)


def build(app, students: int = 4, lessons: int = 6, prefix: str = "j") -> World:
    world = World()
    with app.app_context():
        frame = add_frame(f"Отделение {prefix}", f"ПЦК информатики {prefix}", f"09.02.{prefix}",
                          "Информационные системы")
        department, commission, specialty = frame.department, frame.commission, frame.specialty
        u = world.users
        u["teacher"] = _user("teacher", Role.TEACHER, prefix)
        u["other"] = _user("other", Role.TEACHER, prefix)
        u["curator"] = _user("curator", Role.CURATOR, prefix)
        u["head"] = _user("head", Role.COMMISSION_HEAD, prefix, scope_id=commission.id)
        u["supervisor"] = _user("supervisor", Role.SUPERVISOR, prefix, scope_id=department.id)
        u["deputy"] = _user("deputy", Role.DEPUTY, prefix)
        u["parent"] = _user("parent", Role.PARENT, prefix)
        u["admin"] = _user("admin", Role.ADMIN, prefix)
        group = Group(name=f"ИСП-{prefix}1", specialty_id=specialty.id, course=2,
                      admission_year=2025, curator_id=u["curator"].id)
        other_group = Group(name=f"ИСП-{prefix}2", specialty_id=specialty.id, course=2,
                            admission_year=2025)
        db.session.add_all([group, other_group])
        db.session.flush()
        term = add_term(f"2026/2027-{prefix}", TERM_START, date(2027, 6, 30), TERM_END)
        discipline = Discipline(code="ОП.04", name=f"Основы алгоритмизации {prefix}",
                                kind="discipline", commission_id=commission.id)
        db.session.add(discipline)
        db.session.flush()
        for number in range(students):
            student = add_student(group.id, TERM_START, record_book_no=f"{prefix}-{number:04d}",
                                  last_name=f"Студентов{number:03d}", first_name="Иван",
                                  middle_name="Петрович")
            world.students.append(student.id)
        load = add_load(u["teacher"].id, group.id, discipline.id, term.id)
        other_load = add_load(u["other"].id, other_group.id, discipline.id, term.id)
        for number in range(lessons):
            lesson = Lesson(load_id=load.id, date=TERM_START + timedelta(days=number),
                            pair_number=1, hours=2, topic=f"Тема {number + 1}",
                            work_type="lecture", taught_by_id=u["teacher"].id)
            db.session.add(lesson)
            db.session.flush()
            world.lessons.append(lesson.id)
        db.session.commit()
        keep_roles(u.values())
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
