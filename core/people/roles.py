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
