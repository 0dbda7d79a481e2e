"""Accounts: staff accounts by the administrator, student and parent logins by the curator
(BTT 3.3), one-time passwords shown once on printable slips, deactivation.

Every function here records its audit entry; the caller commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from core import audit
from core.auth.passwords import one_time_password, set_password
from core.errors import DomainError
from core.extensions import db
from core.people.models import Guardian, RoleAssignment, Student, User
from core.people.roles import ROLE_SCOPE, Role, ScopeKind, role_title

#: the roles whose slips say how the family is informed
FAMILY = frozenset({Role.STUDENT, Role.PARENT})

TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}


def transliterate(text: str) -> str:
    """Russian to Latin letters (the passport scheme of 2014), other characters dropped."""
    out = "".join(TRANSLIT.get(ch, ch) for ch in text.lower())
    return re.sub(r"[^a-z0-9]", "", out)


def login_base(last: str, first: str, middle: str | None) -> str:
    """«Иванова Мария Петровна» → ``ivanova.mp``."""
    initials = "".join(transliterate(part[:1]) for part in (first, middle) if part)
    base = transliterate(last) or "user"
    return f"{base}.{initials}" if initials else base


def unique_login(base: str, taken: set[str] | None = None) -> str:
    """``base``, or ``base2``, ``base3``… — the first not used by any account (nor in ``taken``)."""
    taken = taken if taken is not None else set()
    existing = set(db.session.scalars(
        select(func.lower(User.login)).where(func.lower(User.login).like(f"{base}%"))
    ))
    candidate, n = base, 1
    while candidate in existing or candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    taken.add(candidate)
    return candidate


@dataclass(frozen=True)
class Slip:
    """One credential slip: printed once, never stored.

    ``address`` is the journal's (``PUBLIC_URL``); ``may_change_password`` says whether the
    holder may choose their own password (``password.change``: not a BTT student);
    ``channels`` name how the family is informed (on students' and parents' slips).
    """

    full_name: str
    role_title: str
    login: str
    password: str
    note: str = ""
    address: str = ""
    may_change_password: bool = True
    channels: tuple[str, ...] = ()


def _slip(user: User, password: str, *, role_title: str = "", note: str = "",
          family: bool = False) -> Slip:
    from flask import current_app

    from core import policy
    from core.outbox import family_channel_titles

    return Slip(user.full_name, role_title or _role_title(user), user.login, password, note,
                address=current_app.config["PUBLIC_URL"],
                may_change_password=bool(policy.check("password.change", user, user)),
                channels=tuple(family_channel_titles()) if family else ())


def _issue_password(user: User) -> str:
    password = one_time_password()
    set_password(user, password, one_time=True)
    return password


def reset_password(user: User, actor: User | None) -> Slip:
    """A new one-time password for ``user``; every session of theirs ends."""
    password = _issue_password(user)
    user.session_version += 1
    audit.record("people.account.password_reset", user, actor=actor)
    return _slip(user, password, family=bool(user.role_set() & FAMILY))


def _role_title(user: User) -> str:
    roles = [role_title(a.role) for a in user.roles]
    return ", ".join(dict.fromkeys(roles))


def _new_user(person, role: Role, actor, taken: set[str]) -> tuple[User, str]:
    login = unique_login(login_base(person.last_name, person.first_name, person.middle_name), taken)
    user = User(login=login, last_name=person.last_name, first_name=person.first_name,
                middle_name=person.middle_name, email=person.email, phone=person.phone)
    scope = ScopeKind.SELF if role == Role.STUDENT else ScopeKind.CHILD
    user.roles.append(RoleAssignment(role=role, scope_kind=scope, scope_id=None))
    password = _issue_password(user)
    db.session.add(user)
    db.session.flush()
    person.user_id = user.id
    person.user = user
    audit.record("people.account.create", user, actor=actor,
                 after={"login": login, "role": str(role), "for": f"{type(person).__name__}:"
                        f"{person.id}"})
    return user, password


def issue_family_accounts(students: list[Student], guardians: list[Guardian], actor: User | None,
                          group_name: str = "") -> list[Slip]:
    """Accounts for the given students and parents that have none yet, in one batch."""
    taken: set[str] = set()
    slips: list[Slip] = []
    for student in students:
        if student.user_id is not None:
            continue
        user, password = _new_user(student, Role.STUDENT, actor, taken)
        slips.append(_slip(user, password, role_title=role_title(Role.STUDENT), note=group_name,
                           family=True))
    for guardian in guardians:
        if guardian.user_id is not None:
            continue
        user, password = _new_user(guardian, Role.PARENT, actor, taken)
        children = ", ".join(child.short_name for child in guardian.children)
        slips.append(_slip(user, password, role_title=role_title(Role.PARENT), note=children,
                           family=True))
    return slips


@dataclass(frozen=True)
class StaffRole:
    role: Role
    scope_id: int | None = None


STAFF_ROLES = (Role.ADMIN, Role.DIRECTOR, Role.DEPUTY, Role.METHODIST, Role.SUPERVISOR,
               Role.COMMISSION_HEAD, Role.CURATOR, Role.TEACHER)


def set_staff_roles(user: User, roles: list[StaffRole]) -> None:
    """Replace the staff roles of ``user`` (student and parent roles stay)."""
    for role in roles:
        if ROLE_SCOPE[role.role] in (ScopeKind.DEPARTMENT, ScopeKind.COMMISSION) \
                and role.scope_id is None:
            raise DomainError(_("Для роли «%(role)s» выберите, к чему она относится.",
                                role=role_title(role.role)))
    keep = [a for a in user.roles if a.role not in STAFF_ROLES]
    wanted = {(str(r.role), r.scope_id) for r in roles}
    current = {(a.role, a.scope_id): a for a in user.roles if a.role in STAFF_ROLES}
    user.roles = keep + [a for key, a in current.items() if key in wanted] + [
        RoleAssignment(role=role, scope_kind=ROLE_SCOPE[Role(role)], scope_id=scope_id)
        for role, scope_id in sorted(wanted - set(current), key=str)
    ]


def create_staff(actor: User | None, *, login: str, last_name: str, first_name: str,
                 middle_name: str | None, email: str | None, phone: str | None,
                 roles: list[StaffRole]) -> Slip:
    """A staff account with a one-time password to hand over."""
    login = login.strip().lower()
    if not re.fullmatch(r"[a-z0-9._-]{3,80}", login):
        raise DomainError(_("Логин: от 3 латинских букв, цифр, точек, дефисов или подчёркиваний."))
    if db.session.scalar(select(User.id).where(func.lower(User.login) == login)):
        raise DomainError(_("Логин «%(login)s» уже занят.", login=login))
    if not roles:
        raise DomainError(_("Выберите хотя бы одну роль."))
    user = User(login=login, last_name=last_name, first_name=first_name,
                middle_name=middle_name or None, email=email, phone=phone)
    set_staff_roles(user, roles)
    password = _issue_password(user)
    db.session.add(user)
    db.session.flush()
    audit.record("people.staff.create", user, actor=actor, after=account_snapshot(user))
    return _slip(user, password)


def account_snapshot(user: User) -> dict:
    return {
        "login": user.login, "name": user.full_name, "email": user.email, "phone": user.phone,
        "active": user.active,
        "roles": sorted(f"{a.role}:{a.scope_id or ''}" for a in user.roles),
    }


def set_active(user: User, active: bool, actor: User | None) -> None:
    """Deactivate (every session ends at once) or reactivate an account."""
    if user.active == active:
        return
    if not active and actor is not None and user.id == actor.id:
        raise DomainError(_("Нельзя отключить собственную учётную запись."))
    user.active = active
    user.session_version += 1
    audit.record("people.account.deactivate" if not active else "people.account.reactivate",
                 user, actor=actor)


def create_admin(login: str, last_name: str, first_name: str, middle_name: str | None) -> Slip:
    """The first administrator (the ``create-admin`` command)."""
    return create_staff(None, login=login, last_name=last_name, first_name=first_name,
                        middle_name=middle_name, email=None, phone=None,
                        roles=[StaffRole(Role.ADMIN)])
