"""A small college for the helpdesk's tests: the administration, a curator of ИСП-21 and a
teacher, a parent (with a guardian record) of a student of ИСП-21, another parent, a student;
``build(app, make)`` with a user maker (``tests.fixtures.user_maker``)."""

from __future__ import annotations

from datetime import date

from core.extensions import db
from core.people.models import Group
from core.people.roles import Role
from tests import college

PEOPLE = {
    **college.ADMINISTRATION,
    **college.TEACHERS,
    "parent": (Role.PARENT, "Петрова", "Марина"),
    "parent2": (Role.PARENT, "Смирнова", "Анна"),
    "student": (Role.STUDENT, "Петров", "Алексей"),
}


def build(app, make, prefix: str = "h") -> college.World:
    world = college.World()
    for key, (role, last, first) in PEOPLE.items():
        world.users[key] = make(f"{prefix}.{key}", roles=[role], last_name=last,
                                first_name=first, email=f"{prefix}.{key}@college.example")
    with app.app_context():
        frame = college.add_frame()
        group = Group(name="ИСП-21", specialty_id=frame.specialty.id, course=2,
                      admission_year=2025, curator_id=world.id("curator"))
        other = Group(name="ИСП-31", specialty_id=frame.specialty.id, course=3,
                      admission_year=2024)
        db.session.add_all([group, other])
        db.session.flush()
        start = date(2025, 9, 1)
        child = college.add_student(group.id, start, record_book_no="25-0101", last_name="Петров",
                                    first_name="Алексей", birth_date=date(2009, 3, 14),
                                    user_id=world.id("student"))
        stranger = college.add_student(other.id, start, record_book_no="24-0201",
                                       last_name="Кузин", first_name="Олег",
                                       birth_date=date(2008, 5, 2))
        guardian = college.add_guardian(world.id("parent"), "Петрова", "Марина", [child.id],
                                        "мать", phone="+79120001122",
                                        email=f"{prefix}.parent@college.example")
        college.add_guardian(world.id("parent2"), "Смирнова", "Анна", [stranger.id], "мать",
                             phone="+79220003344")
        db.session.commit()
        world.ids.update(group=group.id, other=other.id, child=child.id, stranger=stranger.id,
                         guardian=guardian.id)
        world.students = [child.id, stranger.id]
    return world
