"""A small college for the people tests: two departments, two groups, students, parents, staff.

``build_world(app, make_user)`` returns a ``World`` of ids and logins. The journal's part of
scope (the groups a teacher teaches, the disciplines of a commission) is played by
``TeachingStub``, registered on the app's plugin manager for the test's duration.
"""

from __future__ import annotations

from datetime import date

from core.extensions import db
from core.people.models import Group
from core.people.roles import Role
from core.plugins import hookimpl
from tests.college import (  # noqa: F401  (PASSWORD, World: for the tests)
    PASSWORD,
    World,
    add_frame,
    add_guardian,
    add_student,
)


class TeachingStub:
    """Stands in for the journal's ``scope_group_ids``: opens ``groups`` to the given users."""

    def __init__(self, opened: dict[int, set[int]]):
        self.opened = opened

    @hookimpl
    def scope_group_ids(self, user, access):
        return self.opened.get(user.id, set())


def build_world(app, make_user) -> World:
    world = World()
    with app.app_context():
        it = add_frame(commission="ПЦК информатики и программирования")
        machines = add_frame("Отделение машиностроения", None, "15.02.16",
                             "Технология машиностроения")
        world.ids.update(d1=it.department.id, d2=machines.department.id,
                         commission=it.commission.id, s1=it.specialty.id,
                         s2=machines.specialty.id)
        db.session.commit()
    u = world.users
    u["admin"] = make_user("w.admin", [Role.ADMIN], last_name="Соколова", first_name="Ирина")
    u["director"] = make_user("w.director", [Role.DIRECTOR], last_name="Громов", first_name="Виктор")
    u["deputy"] = make_user("w.deputy", [Role.DEPUTY], last_name="Лебедева", first_name="Ольга")
    u["methodist"] = make_user("w.methodist", [Role.METHODIST], last_name="Зайцева",
                               first_name="Галина")
    u["supervisor"] = make_user("w.supervisor", [Role.SUPERVISOR], scope_id=world.ids["d1"],
                                last_name="Кузнецов", first_name="Андрей")
    u["commission_head"] = make_user("w.pck", [Role.COMMISSION_HEAD],
                                     scope_id=world.ids["commission"], last_name="Орлова",
                                     first_name="Наталья")
    u["curator"] = make_user("w.curator", [Role.CURATOR], last_name="Морозова",
                             first_name="Елена", middle_name="Викторовна")
    u["teacher"] = make_user("w.teacher", [Role.TEACHER], last_name="Васильев",
                             first_name="Павел")
    u["student"] = make_user("w.student", [Role.STUDENT], last_name="Петров",
                             first_name="Алексей")
    u["parent"] = make_user("w.parent", [Role.PARENT], last_name="Петрова", first_name="Марина")
    with app.app_context():
        g1 = Group(name="ИСП-21", specialty_id=world.ids["s1"], course=2, admission_year=2024,
                   curator_id=u["curator"].id)
        g2 = Group(name="ТМ-31", specialty_id=world.ids["s2"], course=3, admission_year=2023)
        db.session.add_all([g1, g2])
        db.session.flush()
        start = date(2025, 9, 1)
        st1 = add_student(g1.id, start, record_book_no="24-0101", last_name="Петров",
                          first_name="Алексей", middle_name="Игоревич",
                          birth_date=date(2008, 3, 14), user_id=u["student"].id,
                          phone="+79123456789", email="petrov.a@mail.ru")
        st2 = add_student(g2.id, start, record_book_no="23-0207", last_name="Смирнова",
                          first_name="Дарья", middle_name="Олеговна", birth_date=date(2007, 9, 2))
        st3 = add_student(g2.id, start, record_book_no="23-0211", last_name="Петрова",
                          first_name="Ксения", middle_name="Игоревна",
                          birth_date=date(2007, 1, 20))
        gu1 = add_guardian(u["parent"].id, "Петрова", "Марина", [st1.id, st3.id], "мать",
                           middle_name="Сергеевна", phone="8 (912) 000-11-22", email=None)
        gu2 = add_guardian(None, "Смирнов", "Олег", [st2.id], "отец", middle_name="Петрович",
                           phone="+79220001122", email="smirnov.op@yandex.ru")
        db.session.commit()
        world.ids.update(g1=g1.id, g2=g2.id, st1=st1.id, st2=st2.id, st3=st3.id,
                         gu1=gu1.id, gu2=gu2.id)
    return world


def open_teaching(app, world: World) -> TeachingStub:
    """Open ИСП-21 to the teacher and to the commission head, as the journal would."""
    stub = TeachingStub({world.users["teacher"].id: {world.ids["g1"]},
                         world.users["commission_head"].id: {world.ids["g1"]}})
    app.extensions["ejournal.plugins"].pm.register(stub, name="teaching-stub")
    return stub


def close_teaching(app, stub: TeachingStub) -> None:
    app.extensions["ejournal.plugins"].pm.unregister(stub)
