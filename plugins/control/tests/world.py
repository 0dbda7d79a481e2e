"""A small college for the control's tests: ``build(app, today)``.

Two departments: ИТ (groups ИСП-21, curator ``curator``; course supervisor ``supervisor``) and
ТМ (group ТМ-31; supervisor ``supervisor2``). ``teacher`` teaches ОП.04 in ИСП-21, ``teacher2``
ОП.04 in ТМ-31. Each group has two students without marks (too few marks). In ИСП-21, three days
ago, a lesson without a topic nor attendance; two days ago one taught by ``teacher2`` with no
substitution recorded; the timetable has a Monday slot never recorded. ``parent`` wrote to
``teacher`` ten days ago with no answer (past the BTT three days). Administration: ``admin``,
``director``, ``deputy``, ``methodist``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from core.extensions import db
from core.people.models import Group
from core.people.roles import Role
from plugins.journal.models import Discipline, Lesson, TimetableSlot
from tests import college

PASSWORD = college.PASSWORD


def build(app, today: date, prefix: str = "c") -> college.World:
    world = college.World()
    u = world.users
    with app.app_context():
        for key, (role, last, first) in {**college.ADMINISTRATION,
                                         **college.TEACHERS}.items():
            u[key] = college.add_user(f"{prefix}.{key}", role, last, first,
                                      email=f"{key}@college.example")
        it = college.add_frame(f"ИТ {prefix}", None, f"09.02.{prefix}1", "Программирование")
        tm = college.add_frame(f"ТМ {prefix}", None, f"15.02.{prefix}2", "Технология")
        u["supervisor"] = college.add_user(f"{prefix}.supervisor", Role.SUPERVISOR, "Кузнецов",
                                           "Андрей", scope_id=it.department.id,
                                           email="supervisor@college.example")
        u["supervisor2"] = college.add_user(f"{prefix}.supervisor2", Role.SUPERVISOR, "Жукова",
                                            "Анна", scope_id=tm.department.id)
        u["parent"] = college.add_user(f"{prefix}.parent", Role.PARENT, "Петрова", "Марина")
        isp = Group(name=f"ИСП-21{prefix}", specialty_id=it.specialty.id, course=2,
                    admission_year=2025, curator_id=u["curator"].id)
        tmg = Group(name=f"ТМ-31{prefix}", specialty_id=tm.specialty.id, course=3,
                    admission_year=2024)
        db.session.add_all([isp, tmg])
        db.session.flush()
        starts = today - timedelta(days=60)
        term = college.add_term(f"{starts.year}/{starts.year + 1}", starts,
                                today + timedelta(days=200), today + timedelta(days=60),
                                is_current=True)
        op04 = Discipline(code="ОП.04", name=f"Основы алгоритмизации {prefix}",
                          kind="discipline")
        db.session.add(op04)
        db.session.flush()
        for group, names in ((isp, ("Петров", "Смирнова")), (tmg, ("Орлов", "Фёдорова"))):
            for number, last in enumerate(names):
                college.add_student(group.id, starts - timedelta(days=365), last_name=last,
                                    first_name="Иван", record_book_no=f"{prefix}-{last}-{number}")
        load = college.add_load(u["teacher"].id, isp.id, op04.id, term.id)
        load2 = college.add_load(u["teacher2"].id, tmg.id, op04.id, term.id)
        monday = today - timedelta(days=today.weekday() + 7)  # last week's Monday
        db.session.add(TimetableSlot(load_id=load.id, weekday=1, pair_number=4, hours=2,
                                     valid_from=monday, valid_to=monday))
        db.session.add_all([
            Lesson(load_id=load.id, date=today - timedelta(days=3), pair_number=1, hours=2,
                   topic="", taught_by_id=u["teacher"].id),
            Lesson(load_id=load.id, date=today - timedelta(days=2), pair_number=2, hours=2,
                   topic="Циклы", taught_by_id=u["teacher2"].id),
            Lesson(load_id=load2.id, date=today - timedelta(days=3), pair_number=3, hours=2,
                   topic="", taught_by_id=u["teacher2"].id),
        ])
        _unanswered(u["parent"].id, u["teacher"].id, today - timedelta(days=10))
        db.session.commit()
        college.keep_roles(u.values())
        world.ids.update(isp=isp.id, tm=tmg.id, load=load.id, load2=load2.id,
                         it_department=it.department.id)
    return world


def _unanswered(parent_id: int, teacher_id: int, day: date) -> None:
    from plugins.messaging.models import Message, Participant, Thread

    at = datetime.combine(day, time(9), UTC)
    thread = Thread(subject="Пропуски сына", started_by_id=parent_id, created_at=at,
                    last_message_at=at, message_count=1)
    db.session.add(thread)
    db.session.flush()
    db.session.add_all([Participant(thread_id=thread.id, user_id=parent_id, joined_at=at),
                        Participant(thread_id=thread.id, user_id=teacher_id, joined_at=at),
                        Message(thread_id=thread.id, author_id=parent_id, body="Почему н?",
                                created_at=at, awaits_answer=True,
                                due_on=day + timedelta(days=3))])
