"""A small college for the monitoring's tests: the administration, two teachers, two curators
with a group each, and families in every state: signed in, credentials unused, none issued.

``build(app, make)``; sign-ins are added with ``sign_in_at(app, world, key, instant)`` (the
plugin's recording, as the sign-in event does) or through the login form."""

from __future__ import annotations

from datetime import UTC, date, datetime

from core.extensions import db
from core.people.models import Group, User
from core.people.roles import Role
from tests import college

TERM_START = date(2026, 9, 1)
#: key → (role, last name, first name)
PEOPLE = {
    **college.ADMINISTRATION,
    "teacher": (Role.TEACHER, "Васильев", "Павел"),
    "teacher2": (Role.TEACHER, "Титов", "Олег"),
    "curator": (Role.CURATOR, "Морозова", "Елена"),
    "curator2": (Role.CURATOR, "Крылова", "Анна"),
    "st_active": (Role.STUDENT, "Акимов", "Борис"),
    "st_unused": (Role.STUDENT, "Белов", "Денис"),
    "pa_active": (Role.PARENT, "Акимова", "Вера"),
    "pa_unused": (Role.PARENT, "Белова", "Галина"),
    "st_other": (Role.STUDENT, "Чернов", "Егор"),
    "pa_other": (Role.PARENT, "Чернова", "Жанна"),
}
#: the instant «st_active» and «pa_active» last signed in (14:05 and 21:30 Moscow)
LAST = {"st_active": datetime(2026, 11, 16, 11, 5, tzinfo=UTC),
        "pa_active": datetime(2026, 11, 18, 18, 30, tzinfo=UTC)}


def build(app, make, prefix: str = "m") -> college.World:
    world = college.World()
    for key, (role, last, first) in PEOPLE.items():
        world.users[key] = make(f"{prefix}.{key}", roles=[role], last_name=last,
                                first_name=first)
    u = world.users
    with app.app_context():
        frame = college.add_frame(commission="ПЦК информатики")
        group = Group(name=f"ИСП-{prefix}1", specialty_id=frame.specialty.id, course=2,
                      admission_year=2025, curator_id=u["curator"].id)
        other = Group(name=f"ТМ-{prefix}2", specialty_id=frame.specialty.id, course=1,
                      admission_year=2026, curator_id=u["curator2"].id)
        db.session.add_all([group, other])
        db.session.flush()
        def student(group_id: int, number: int, last: str, first: str, key: str | None = None,
                    **more):
            return college.add_student(group_id, TERM_START, record_book_no=f"{prefix}-{number}",
                                       last_name=last, first_name=first,
                                       user_id=u[key].id if key else None, **more)

        active = student(group.id, 1, "Акимов", "Борис", "st_active")
        unused = student(group.id, 2, "Белов", "Денис", "st_unused")
        bare = student(group.id, 3, "Воронин", "Иван")
        left = student(group.id, 4, "Ушедший", "Пётр", left_on=date(2026, 10, 1))
        stranger = student(other.id, 5, "Чернов", "Егор", "st_other")
        college.add_guardian(u["pa_active"].id, "Акимова", "Вера", [active.id])
        college.add_guardian(u["pa_unused"].id, "Белова", "Галина", [unused.id])
        college.add_guardian(None, "Воронина", "Ольга", [bare.id])
        college.add_guardian(u["pa_other"].id, "Чернова", "Жанна", [stranger.id])
        for key, at in LAST.items():
            db.session.get(User, u[key].id).last_login_at = at
        db.session.commit()
        world.ids.update(group=group.id, other=other.id, active=active.id, unused=unused.id,
                         bare=bare.id, left=left.id, stranger=stranger.id,
                         commission=frame.commission.id)
    return world


def sign_in_at(app, world: college.World, key: str, at: datetime) -> None:
    """Record a sign-in of ``key`` at ``at`` as the sign-in event does."""
    from plugins.monitoring.recording import record_sign_in

    with app.app_context():
        record_sign_in(world.id(key), at)
        db.session.commit()
