"""The only place that answers "may this user see or change this student / group / object".

Views never build their own filters: they ask here, and a request outside scope is answered
404. Plugins extend scope through the ``scope_group_ids`` and ``object_scope`` hooks.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, or_, select

from core.extensions import db
from core.people.models import Group, GroupMembership, Guardian, Specialty, Student, StudentGuardian
from core.people.roles import ADMINISTRATION, Role
from core.plugins import hook

VIEW = "view"
EDIT = "edit"


def _is_administration(user) -> bool:
    return user.has_role(*ADMINISTRATION)


def group_ids(user, access: str = VIEW) -> set[int] | None:
    """Ids of the groups ``user`` may access; ``None`` means every group."""
    if not user.is_authenticated:
        return set()
    if access == VIEW and _is_administration(user):
        return None
    if access == EDIT and user.has_role(Role.ADMIN):
        return None
    ids: set[int] = set()
    if user.has_role(Role.CURATOR):
        ids |= set(db.session.scalars(select(Group.id).where(Group.curator_id == user.id)))
    if access == VIEW and user.has_role(Role.SUPERVISOR):
        departments = user.scope_ids(Role.SUPERVISOR)
        ids |= set(db.session.scalars(
            select(Group.id).join(Specialty).where(Specialty.department_id.in_(departments))
        ))
    for batch in hook().scope_group_ids(user=user, access=access):
        ids |= set(batch or ())
    return ids


def own_student_ids(user) -> set[int]:
    """The students a student or parent account stands for: themself, or their children."""
    ids = set(db.session.scalars(select(Student.id).where(Student.user_id == user.id)))
    ids |= set(db.session.scalars(
        select(StudentGuardian.student_id)
        .join(Guardian, Guardian.id == StudentGuardian.guardian_id)
        .where(Guardian.user_id == user.id)
    ))
    return ids


def students_query(user, access: str = VIEW, on: date | None = None) -> Select:
    """A query of the ``Student.id`` values ``user`` may access (optionally members on a date)."""
    query = select(Student.id)
    if not user.is_authenticated:
        return query.where(False)
    groups = group_ids(user, access) if user.has_role(*STAFF_VIEWERS) else set()
    own = own_student_ids(user) if access == VIEW else set()
    if groups is None:
        return query
    membership = select(GroupMembership.student_id).where(GroupMembership.group_id.in_(groups))
    if on is not None:
        membership = membership.where(
            GroupMembership.joined_on <= on,
            or_(GroupMembership.left_on.is_(None), GroupMembership.left_on >= on),
        )
    return query.where(or_(Student.id.in_(membership), Student.id.in_(own)))


def can_access_group(user, group_id: int, access: str = VIEW) -> bool:
    ids = group_ids(user, access)
    return ids is None or group_id in ids


def can_access_student(user, student_id: int, access: str = VIEW) -> bool:
    query = students_query(user, access).where(Student.id == student_id)
    return db.session.scalar(query) is not None


def can_access(user, target, access: str = VIEW) -> bool:
    """Judge a plugin-owned object: any ``False`` refuses, and someone must say ``True``."""
    answers = [a for a in hook().object_scope(user=user, target=target, access=access)
               if a is not None]
    return bool(answers) and all(answers)


STAFF_VIEWERS = tuple(role for role in Role if role not in (Role.STUDENT, Role.PARENT))
