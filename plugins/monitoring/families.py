"""A curator's view of their group's families (BTT 4.2.2): each current student and each of
their parents, with the account's login, its last sign-in and whether it was ever used."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from core.people.models import Group, GroupMembership, Guardian, Student


@dataclass(frozen=True)
class FamilyMember:
    """A student (``kind="student"``) or a parent with ``children`` in the group. ``user_id``
    is ``None`` when no credentials were issued; ``last_sign_in`` is ``None`` when they were
    never used."""

    kind: str
    name: str
    children: str
    user_id: int | None
    login: str | None
    last_sign_in: datetime | None
    #: the last issued password is one-time and not yet replaced by the holder's own
    fresh_password: bool

    @property
    def never_signed_in(self) -> bool:
        """Never signed in, whether or not credentials were issued."""
        return self.last_sign_in is None

    @property
    def credentials_unused(self) -> bool:
        """Credentials were issued and never used."""
        return self.user_id is not None and self.last_sign_in is None


def group_families(group: Group) -> list[FamilyMember]:
    """The group's current students, each followed by their parents (three queries)."""
    students = db.session.scalars(
        select(Student).join(GroupMembership, GroupMembership.student_id == Student.id)
        .where(GroupMembership.group_id == group.id, GroupMembership.left_on.is_(None))
        .order_by(Student.last_name, Student.first_name, Student.id)
        .options(selectinload(Student.user),
                 selectinload(Student.guardians).selectinload(Guardian.user))
        .distinct()).all()
    members: list[FamilyMember] = []
    for student in students:
        members.append(_member("student", student, ""))
        for guardian in sorted(student.guardians, key=lambda g: (g.last_name, g.first_name)):
            members.append(_member("parent", guardian, student.short_name))
    return members


def _member(kind: str, person, children: str) -> FamilyMember:
    user = person.user
    return FamilyMember(kind, person.full_name, children, user.id if user else None,
                        user.login if user else None, user.last_login_at if user else None,
                        bool(user and user.must_change_password))
