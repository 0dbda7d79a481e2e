"""Demo people: accounts for every role (expanded by the people issue)."""

from __future__ import annotations

from core.auth.passwords import hash_password
from core.extensions import db
from core.people.models import RoleAssignment, User
from core.people.roles import ROLE_SCOPE, ROLE_TITLES, Role

DEMO_PASSWORD = "demo2026"


def make_user(login: str, last: str, first: str, middle: str | None, *roles: Role,
              password: str = DEMO_PASSWORD, scope_id: int | None = None) -> User:
    user = User(login=login, last_name=last, first_name=first, middle_name=middle,
                password_hash=hash_password(password))
    for role in roles:
        user.roles.append(RoleAssignment(role=role, scope_kind=ROLE_SCOPE[role], scope_id=scope_id))
    db.session.add(user)
    return user


def make_people(college) -> None:
    admin = make_user("admin", "Соколова", "Ирина", "Петровна", Role.ADMIN)
    director = make_user("director", "Громов", "Виктор", "Николаевич", Role.DIRECTOR)
    college.made["staff"] = {Role.ADMIN: [admin], Role.DIRECTOR: [director]}
    college.add_login(ROLE_TITLES[Role.ADMIN], admin.login, DEMO_PASSWORD)
    college.add_login(ROLE_TITLES[Role.DIRECTOR], director.login, DEMO_PASSWORD)
