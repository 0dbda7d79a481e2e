"""The roles of REQUIREMENTS §1 and the kinds of scope a role assignment may carry."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    DIRECTOR = "director"
    DEPUTY = "deputy"
    METHODIST = "methodist"
    SUPERVISOR = "supervisor"
    COMMISSION_HEAD = "commission_head"
    CURATOR = "curator"
    TEACHER = "teacher"
    STUDENT = "student"
    PARENT = "parent"


class ScopeKind(StrEnum):
    COLLEGE = "college"
    DEPARTMENT = "department"
    GROUP = "group"
    COMMISSION = "commission"
    CHILD = "child"
    SELF = "self"


ROLE_TITLES: dict[Role, str] = {
    Role.ADMIN: "Администратор ЭЖ",
    Role.DIRECTOR: "Директор",
    Role.DEPUTY: "Заместитель директора",
    Role.METHODIST: "Учебно-методическая служба",
    Role.SUPERVISOR: "Куратор курса",
    Role.COMMISSION_HEAD: "Руководитель ПЦК",
    Role.CURATOR: "Классный руководитель",
    Role.TEACHER: "Преподаватель",
    Role.STUDENT: "Обучающийся",
    Role.PARENT: "Родитель",
}



def role_title(role: Role | str) -> str:
    """A role as the college names it: the group's curator is titled by the policy
    (``people.curator_title``: «Классный руководитель» in BTT, «Куратор группы» in KTIS)."""
    role = Role(role)
    if role == Role.CURATOR:
        from core.people.signers import curator_title

        return curator_title()
    return ROLE_TITLES[role]


def role_titles() -> dict[Role, str]:
    """Every role's title as the college names it (for a page listing many)."""
    return {role: role_title(role) for role in Role}


#: the scope kind each role is given with
ROLE_SCOPE: dict[Role, ScopeKind] = {
    Role.ADMIN: ScopeKind.COLLEGE,
    Role.DIRECTOR: ScopeKind.COLLEGE,
    Role.DEPUTY: ScopeKind.COLLEGE,
    Role.METHODIST: ScopeKind.COLLEGE,
    Role.SUPERVISOR: ScopeKind.DEPARTMENT,
    Role.COMMISSION_HEAD: ScopeKind.COMMISSION,
    Role.CURATOR: ScopeKind.GROUP,
    Role.TEACHER: ScopeKind.COLLEGE,
    Role.STUDENT: ScopeKind.SELF,
    Role.PARENT: ScopeKind.CHILD,
}

#: staff who see every journal read-only
ADMINISTRATION = frozenset({Role.ADMIN, Role.DIRECTOR, Role.DEPUTY, Role.METHODIST})
STAFF = frozenset(Role) - {Role.STUDENT, Role.PARENT}
#: who reads a group's reports (progress, attendance): the administration, curators, supervisors
GROUP_STAFF = frozenset(ADMINISTRATION | {Role.CURATOR, Role.SUPERVISOR})
#: the accounts of students and their parents
FAMILY = frozenset({Role.STUDENT, Role.PARENT})
