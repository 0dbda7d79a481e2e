"""A small staff (and two families) for the forum's tests: ``build(make)`` with a user maker
(``tests.fixtures.user_maker``); a section to write in (``section_id``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.extensions import db
from core.people.models import User
from core.people.roles import Role

PEOPLE = {
    "admin": (Role.ADMIN, "Соколова", "Ирина"),
    "director": (Role.DIRECTOR, "Громов", "Виктор"),
    "deputy": (Role.DEPUTY, "Лебедева", "Ольга"),
    "methodist": (Role.METHODIST, "Зайцева", "Галина"),
    "curator": (Role.CURATOR, "Морозова", "Елена"),
    "teacher": (Role.TEACHER, "Васильев", "Павел"),
    "teacher2": (Role.TEACHER, "Титов", "Олег"),
    "student": (Role.STUDENT, "Петров", "Иван"),
    "parent": (Role.PARENT, "Петрова", "Мария"),
}
STAFF_KEYS = ("admin", "director", "deputy", "methodist", "curator", "teacher", "teacher2")
FAMILY_KEYS = ("student", "parent")


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    section_id: int = 0

    def id(self, key: str) -> int:
        return self.users[key].id


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
