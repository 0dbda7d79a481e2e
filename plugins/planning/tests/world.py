"""A small college for the КТП's tests: a teacher's load (2 h a week, 34 h, the curriculum's
34 h too) with its lessons, another teacher's load, the administration."""

from __future__ import annotations

from datetime import date, timedelta

from core.extensions import db
from core.people.models import Group
from core.people.roles import Role
from plugins.journal.models import CurriculumHours, Discipline, Lesson
from tests.college import World, add_frame, add_load, add_term, add_user, keep_roles

TERM_START = date(2026, 9, 1)  # a Tuesday
TERM_END = date(2026, 12, 28)


def build(app, prefix: str = "p", lessons: int = 0) -> World:
    """``lessons``: how many lessons the teacher held (one a week from the term's first day,
    topics «Тема 1», «Тема 2»…)."""
    world = World()
    with app.app_context():
        frame = add_frame(f"Отделение {prefix}", f"ПЦК {prefix}", f"09.02.{prefix}", "ИСиП")
        u = world.users
        for key, role in (("teacher", Role.TEACHER), ("teacher2", Role.TEACHER),
                          ("deputy", Role.DEPUTY), ("methodist", Role.METHODIST),
                          ("director", Role.DIRECTOR), ("admin", Role.ADMIN)):
            u[key] = add_user(f"{prefix}.{key}", role, "Сотрудникова", key.capitalize(),
                              active=True, email=f"{key}.{prefix}@college.test")
        group = Group(name=f"ИСП-{prefix}1", specialty_id=frame.specialty.id, course=2,
                      admission_year=2025)
        other = Group(name=f"ИСП-{prefix}2", specialty_id=frame.specialty.id, course=2,
                      admission_year=2025)
        db.session.add_all([group, other])
        db.session.flush()
        term = add_term(f"2026/2027-{prefix}", TERM_START, date(2027, 6, 30), TERM_END)
        discipline = Discipline(code="ОП.04", name=f"Основы алгоритмизации {prefix}",
                                kind="discipline", commission_id=frame.commission.id)
        db.session.add(discipline)
        db.session.flush()
        load = add_load(u["teacher"].id, group.id, discipline.id, term.id)
        other_load = add_load(u["teacher2"].id, other.id, discipline.id, term.id)
        db.session.add(CurriculumHours(discipline_id=discipline.id, group_id=group.id,
                                       term_id=term.id, hours=34))
        for number in range(lessons):
            lesson = Lesson(load_id=load.id, date=TERM_START + timedelta(days=7 * number),
                            pair_number=1, hours=2, topic=f"Тема {number + 1}",
                            work_type="lecture", taught_by_id=u["teacher"].id)
            db.session.add(lesson)
            db.session.flush()
            world.lessons.append(lesson.id)
        db.session.commit()
        keep_roles(u.values())
        world.ids.update(group=group.id, term=term.id, discipline=discipline.id, load=load.id,
                         other_load=other_load.id)
    return world


def plan_rows(count: int = 17, hours: int = 2, **first) -> list[dict]:
    """``count`` rows of ``hours`` each, topics «Тема 1»…; ``first`` overrides the first row."""
    rows = [{"section": "Раздел 1" if n < count // 2 else "Раздел 2", "topic": f"Тема {n + 1}",
             "hours": hours, "work_type": "lecture" if n % 2 == 0 else "Практическая работа",
             "self_study": f"Задание {n + 1}", "week": ""} for n in range(count)]
    rows[0].update(first)
    return rows
