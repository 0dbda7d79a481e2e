"""A small staff (and two families) for the forum's tests: ``build(make)`` with a user maker
(``tests.fixtures.user_maker``); a section to write in (``section_id``)."""

from __future__ import annotations

from dataclasses import dataclass

from core.extensions import db
from core.people.models import User
from core.people.roles import Role
from tests import college

PEOPLE = {
    **college.ADMINISTRATION,
    **college.TEACHERS,
    "student": (Role.STUDENT, "Петров", "Иван"),
    "parent": (Role.PARENT, "Петрова", "Мария"),
}
STAFF_KEYS = (*college.ADMINISTRATION, *college.TEACHERS)
FAMILY_KEYS = ("student", "parent")


@dataclass
class World(college.World):
    section_id: int = 0


def build(app, make, prefix: str = "f") -> World:
    from plugins.forum import services

    world = World()
    for key, (role, last, first) in PEOPLE.items():
        world.users[key] = make(f"{prefix}.{key}", roles=[role], last_name=last,
                                first_name=first, email=f"{key}@college.example")
    with app.test_request_context():
        director = db.session.get(User, world.id("director"))
        world.section_id = services.create_section(director, "Учебный процесс").id
        db.session.commit()
    return world
