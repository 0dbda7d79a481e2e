"""The only place that answers "may this user see or change this student / group / object".

Views never build their own filters: they ask here, and a request outside scope is answered
404 (``NotFound``: the page does not say whether the object exists). Plugins extend scope
through the ``scope_group_ids`` and ``object_scope`` hooks (the journal opens the groups a
teacher teaches and the disciplines of a subject commission).

Three kinds of access:

- ``VIEW``: read (administration everything; a supervisor the groups of their departments; a
  curator their group; teachers and commission heads what the plugins open; a student
  themself; a parent their children);
- ``EDIT``: write journal data (the administrator everything; a curator their group; teachers
  what the plugins open);
- ``MANAGE``: manage the people of a group (accounts, contacts, movement): the administrator
  everything, a curator the current members of their group. Plugins are not asked.

A subject commission's summaries (``commission_ids``): the administration every commission, a
commission head their own.

Personal data beyond what teaching needs (``can_see_contacts``: the birth date, the phones and
e-mails of a student and of their parents): the student and their parents, the curator of the
student's group, the administration and the roles the policy names (``people.contacts_roles``).
Everyone else who may view a student sees the name, the group and the subgroup.

The address book of messages (``address_book``, ``may_write``, ``letter_recipients``): who may
write to whom (BTT 2.11, 3.8, 4.3, 4.4; KTIS 2.11, 3.12). A parent reaches the teachers of their
children's disciplines, their curators and the administration as a role (answered by whoever
holds it); a student their curator and their teachers; a teacher the students and parents of the
groups they teach; a curator their group's families; the administration everyone. The journal
tells who teaches whom (the ``taught_group_ids`` and ``student_teachers`` hooks).

Announcements and events (``may_announce_to``, ``announcement_reach``, BTT 3.7, KTIS 3.13): the
administration (administrator, director, deputy) writes for the college, a course, a group or
the staff; a curator for their own group. An announcement concerns the students of its groups
and their parents, the groups' curators and teachers; a staff one the staff; a college one all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from core.calendar.clock import college_today
from core.errors import NotFound
from core.extensions import db
from core.models import utcnow
from core.people.models import (
    Group,
    GroupMembership,
    Guardian,
    RoleAssignment,
    Specialty,
    Student,
    StudentGuardian,
    SubgroupMembership,
    User,
)
from core.people.roles import ADMINISTRATION, FAMILY, STAFF, Role
from core.plugins import hook
from core.policy import policy_value

if TYPE_CHECKING:
    from core.people.models import UserLike

VIEW = "view"
EDIT = "edit"
MANAGE = "manage"
ACCESS_KINDS = (VIEW, EDIT, MANAGE)


def _check_access(access: str) -> None:
    if access not in ACCESS_KINDS:
        raise ValueError(f"unknown access kind {access!r}")


def _is_administration(user) -> bool:
    return user.has_role(*ADMINISTRATION)


def is_staff(user: UserLike) -> bool:
    """Whether ``user`` holds any staff role (reads by staff of personal data are audited)."""
    return bool(user.is_authenticated) and user.has_role(*STAFF)


def curated_group_ids(user: UserLike) -> set[int]:
    """The groups ``user`` is the curator (классный руководитель) of."""
    if not user.is_authenticated or not user.has_role(Role.CURATOR):
        return set()
    ids = set(db.session.scalars(select(Group.id).where(Group.curator_id == user.id)))
    # an appointment's group is the curator's from its first day to its last, whoever the group
    # names until the day's change is applied (``appointments.apply_due``); no query
    dated = [a for a in user.roles if a.role == Role.CURATOR and a.scope_id is not None
             and (a.starts_on is not None or a.ends_on is not None)]
    if dated:
        today = college_today()
        for assignment in dated:
            if assignment.held_on(today):
                ids.add(assignment.scope_id)
            else:
                ids.discard(assignment.scope_id)
    return ids


def core_group_ids(user: UserLike, access: str = VIEW) -> set[int] | None:
    """The groups the core's own rules open (administration, curator, supervisor), no plugins.

    Plugins judging their own objects (``object_scope``) build on this, so that what one plugin
    opens through ``scope_group_ids`` does not leak into another's objects.
    """
    _check_access(access)
    if not user.is_authenticated:
        return set()
    if access == VIEW and _is_administration(user):
        return None
    if access in (EDIT, MANAGE) and user.has_role(Role.ADMIN):
        return None
    ids = curated_group_ids(user)
    if access == VIEW and user.has_role(Role.SUPERVISOR):
        departments = {d for d in user.scope_ids(Role.SUPERVISOR) if d is not None}
        if departments:
            ids |= set(db.session.scalars(
                select(Group.id).join(Specialty).where(Specialty.department_id.in_(departments))
            ))
    return ids


def group_ids(user: UserLike, access: str = VIEW) -> set[int] | None:
    """Ids of the groups ``user`` may access; ``None`` means every group."""
    ids = core_group_ids(user, access)
    if ids is None or access == MANAGE:
        return ids
    if user.has_role(*STAFF):
        for batch in hook().scope_group_ids(user=user, access=access):
            ids |= set(batch or ())
    return ids


def commission_ids(user: UserLike) -> set[int] | None:
    """The subject commissions (ПЦК) whose summaries ``user`` may read: every one for the
    administration (``None``), their own for a commission head, none for anyone else."""
    if not user.is_authenticated:
        return set()
    if _is_administration(user):
        return None
    if not user.has_role(Role.COMMISSION_HEAD):
        return set()
    return {c for c in user.scope_ids(Role.COMMISSION_HEAD) if c is not None}


def can_access_commission(user: UserLike, commission_id: int) -> bool:
    ids = commission_ids(user)
    return ids is None or commission_id in ids


#: who sees any teacher's own figures (a report by teacher), not only their own
TEACHER_VIEWERS = frozenset(ADMINISTRATION | {Role.COMMISSION_HEAD, Role.SUPERVISOR})


def teacher_ids(user: UserLike) -> set[int] | None:
    """The teachers whose own figures ``user`` may see: every one (``None``) for the
    administration, commission heads and supervisors; a teacher themself; nobody else."""
    if not user.is_authenticated:
        return set()
    if user.has_role(*TEACHER_VIEWERS):
        return None
    return {user.id} if user.has_role(Role.TEACHER) else set()


def can_access_teacher(user: UserLike, teacher_id: int) -> bool:
    ids = teacher_ids(user)
    return ids is None or teacher_id in ids


def own_student_ids(user: UserLike) -> set[int]:
    """The students a student or parent account stands for: themself, or their children."""
    if not user.is_authenticated:
        return set()
    ids: set[int] = set()
    if user.has_role(Role.STUDENT):
        ids |= set(db.session.scalars(select(Student.id).where(Student.user_id == user.id)))
    if user.has_role(Role.PARENT):
        ids |= set(db.session.scalars(
            select(StudentGuardian.student_id)
            .join(Guardian, Guardian.id == StudentGuardian.guardian_id)
            .where(Guardian.user_id == user.id)
        ))
    return ids


def _members(groups: set[int], on: date | None) -> Select:
    membership = select(GroupMembership.student_id).where(GroupMembership.group_id.in_(groups))
    if on is not None:
        membership = membership.where(
            GroupMembership.joined_on <= on,
            or_(GroupMembership.left_on.is_(None), GroupMembership.left_on >= on),
        )
    return membership


def students_query(user: UserLike, access: str = VIEW, on: date | None = None) -> Select:
    """A query of the ``Student.id`` values ``user`` may access.

    ``on`` keeps only members of the user's groups on that day (a student who left a group
    stays visible in it for the days before). ``MANAGE`` always means current members.
    """
    _check_access(access)
    query = select(Student.id)
    if not user.is_authenticated:
        return query.where(False)
    groups = group_ids(user, access) if user.has_role(*STAFF) else set()
    if groups is None:
        return query
    if access == MANAGE:
        on = on or utcnow().date()
    own = own_student_ids(user) if access == VIEW else set()
    conditions = []
    if groups:
        conditions.append(Student.id.in_(_members(groups, on)))
    if own:
        conditions.append(Student.id.in_(own))
    if not conditions:
        return query.where(False)
    return query.where(or_(*conditions))


def can_access_group(user: UserLike, group_id: int, access: str = VIEW) -> bool:
    """May ``user`` access group ``group_id``? (Students and parents never see a group page.)"""
    ids = group_ids(user, access)
    return ids is None or group_id in ids


def can_access_student(user: UserLike, student_id: int, access: str = VIEW) -> bool:
    query = students_query(user, access).where(Student.id == student_id)
    return db.session.scalar(query) is not None


def _named_for_contacts(user) -> bool:
    """Whether ``user`` holds a role the policy lets see personal data (``people.contacts_roles``)."""
    named = policy_value("people.contacts_roles")
    return bool(named) and user.has_role(*named)


def can_see_contacts(user: UserLike, student: Student) -> bool:
    """May ``user`` see ``student``'s birth date, account and the phones and e-mails of the
    student and their parents (152-ФЗ: only those whose work needs them, BTT 3.4, KTIS 3.12)?
    The caller has already required ``VIEW`` of the student."""
    if not user.is_authenticated:
        return False
    if _is_administration(user) or student.id in own_student_ids(user):
        return True
    if user.has_role(Role.CURATOR) and can_access_student(user, student.id, MANAGE):
        return True  # the curator of the student's current group
    return _named_for_contacts(user) and can_access_student(user, student.id, VIEW)


def can_see_group_contacts(user: UserLike, group_id: int) -> bool:
    """``can_see_contacts`` for the current members of a group at once (its roster)."""
    if not user.is_authenticated:
        return False
    if _is_administration(user) or group_id in curated_group_ids(user):
        return True
    return _named_for_contacts(user) and can_access_group(user, group_id, VIEW)


def can_access_guardian(user: UserLike, guardian_id: int, access: str = VIEW) -> bool:
    """A guardian is visible with any of their children; a parent sees their own record."""
    guardian = db.session.get(Guardian, guardian_id)
    if guardian is None or not user.is_authenticated:
        return False
    if access == VIEW and guardian.user_id is not None and guardian.user_id == user.id:
        return True
    children = select(StudentGuardian.student_id).where(StudentGuardian.guardian_id == guardian_id)
    query = students_query(user, access).where(Student.id.in_(children))
    return db.session.scalar(query.limit(1)) is not None


def can_manage_account(user: UserLike, account: User) -> bool:
    """May ``user`` reset the password of ``account``? The administrator: anyone; a curator:
    the accounts of the students and parents of their group."""
    if not user.is_authenticated:
        return False
    if user.has_role(Role.ADMIN):
        return True
    if account.has_role(*STAFF):
        return False
    students = select(Student.id).where(Student.user_id == account.id)
    guardians = select(Guardian.id).where(Guardian.user_id == account.id)
    if db.session.scalar(students_query(user, MANAGE).where(Student.id.in_(students))):
        return True
    children = select(StudentGuardian.student_id).where(StudentGuardian.guardian_id.in_(guardians))
    return db.session.scalar(students_query(user, MANAGE).where(Student.id.in_(children)).limit(1)) \
        is not None


def can_access(user: UserLike, target, access: str = VIEW) -> bool:
    """Judge any object: core people by the rules above; a plugin's object by ``object_scope``
    (any ``False`` refuses, and someone must say ``True``)."""
    _check_access(access)
    if isinstance(target, Student):
        return can_access_student(user, target.id, access)
    if isinstance(target, Group):
        return can_access_group(user, target.id, access)
    if isinstance(target, Guardian):
        return can_access_guardian(user, target.id, access)
    if isinstance(target, User):
        return can_manage_account(user, target)
    answers = [a for a in hook().object_scope(user=user, target=target, access=access)
               if a is not None]
    return bool(answers) and all(answers)


def _family_of_span(user, group_id: int, subgroup_id: int | None, start: date,
                    end: date) -> bool:
    """Whether a student or parent account stands for someone who was in the group (and in the
    subgroup, when one is given) at some time between two dates."""
    own = own_student_ids(user)
    if not own:
        return False
    members = select(GroupMembership.student_id).where(
        GroupMembership.student_id.in_(own), GroupMembership.group_id == group_id,
        GroupMembership.joined_on <= end,
        or_(GroupMembership.left_on.is_(None), GroupMembership.left_on >= start))
    if subgroup_id is not None:
        members = members.where(GroupMembership.student_id.in_(
            select(SubgroupMembership.student_id).where(
                SubgroupMembership.subgroup_id == subgroup_id,
                SubgroupMembership.from_date <= end,
                or_(SubgroupMembership.to_date.is_(None), SubgroupMembership.to_date >= start))))
    return db.session.scalar(members.limit(1)) is not None


def can_see_load_materials(user, load) -> bool:
    """May ``user`` see the materials of a teaching load (BTT 4.4.2)? Staff who may read its
    journal (``can_access(user, load, VIEW)``); the students of its group (of its subgroup, when
    it is a subgroup's) at any time of its term, and their parents. ``load`` is the journal's
    ``LoadInfo`` (read: ``group_id``, ``subgroup_id``, ``term.starts_on``, ``term.ends_on``)."""
    if not user.is_authenticated:
        return False
    if user.has_role(*STAFF) and can_access(user, load, VIEW):
        return True
    return user.has_role(*FAMILY) and _family_of_span(
        user, load.group_id, load.subgroup_id, load.term.starts_on, load.term.ends_on)


def _get(model, object_id: int):
    found = db.session.get(model, object_id)
    if found is None:
        raise NotFound(_("Такой страницы нет или она вам недоступна."))
    return found


def require(user: UserLike, target, access: str = VIEW):
    """Return ``target`` if ``user`` may access it, else raise ``NotFound`` (answered 404)."""
    if target is None or not can_access(user, target, access):
        raise NotFound(_("Такой страницы нет или она вам недоступна."))
    return target


def student_or_404(user: UserLike, student_id: int, access: str = VIEW) -> Student:
    return require(user, _get(Student, student_id), access)


def group_or_404(user: UserLike, group_id: int, access: str = VIEW) -> Group:
    return require(user, _get(Group, group_id), access)


def guardian_or_404(user: UserLike, guardian_id: int, access: str = VIEW) -> Guardian:
    return require(user, _get(Guardian, guardian_id), access)


def account_or_404(user: UserLike, account_id: int) -> User:
    return require(user, _get(User, account_id), MANAGE)


def visible_groups(user: UserLike, access: str = VIEW) -> list[Group]:
    """The groups ``user`` may access, by course and name."""
    ids = group_ids(user, access)
    query = select(Group).order_by(Group.course, Group.name).options(
        selectinload(Group.specialty), selectinload(Group.curator))
    if ids is not None:
        query = query.where(Group.id.in_(ids))
    return list(db.session.scalars(query))


# --- the address book: who may write to whom (messages) -------------------------------------

#: roles written to as a whole, answered by whoever holds them, and who may write to them
ADDRESSABLE_ROLES: dict[str, frozenset[Role]] = {"administration": ADMINISTRATION}
ROLE_WRITERS: dict[str, frozenset[Role]] = {"administration": frozenset({Role.PARENT})}


@dataclass(frozen=True)
class Contact:
    """Someone in an address book and why: ``kind`` is "teacher" (of ``discipline`` to
    ``student_id``), "curator" (of ``group_id``), "student" or "parent" (of ``student_id`` in
    ``group_id``) or "staff" (the administration's book of colleagues)."""

    user_id: int
    kind: str
    group_id: int | None = None
    student_id: int | None = None
    discipline: str = ""


@dataclass(frozen=True)
class AddressBook:
    """Whom a user may write to: ``contacts`` (one per reason; a person may have several), the
    addressable ``roles`` and, for the administration, ``everyone`` (every active account)."""

    contacts: tuple[Contact, ...] = ()
    roles: tuple[str, ...] = ()
    everyone: bool = False

    @property
    def user_ids(self) -> set[int]:
        return {contact.user_id for contact in self.contacts}


def is_family(user: UserLike) -> bool:
    """A student or parent account that holds no staff role (whose messages wait for staff)."""
    return bool(user.is_authenticated) and user.has_role(*FAMILY) and not user.has_role(*STAFF)


def holds_role(user: UserLike, role: str) -> bool:
    """Whether ``user`` answers what is written to ``role`` ("administration")."""
    roles = ADDRESSABLE_ROLES.get(role)
    return bool(roles) and bool(user.is_authenticated) and user.has_role(*roles)


def role_holder_ids(role: str) -> list[int]:
    """The active accounts answering ``role``, by id."""
    roles = [str(r) for r in ADDRESSABLE_ROLES.get(role, ())]
    return list(db.session.scalars(
        select(User.id).join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.role.in_(roles), User.active.is_(True),
               RoleAssignment.held_clause(_today())).distinct()
        .order_by(User.id)))


def _today() -> date:
    return college_today()


def _current_stays(student_ids, on: date) -> list[tuple[int, int]]:
    """(student, group) of the students' group memberships covering ``on``."""
    if not student_ids:
        return []
    return [tuple(row) for row in db.session.execute(
        select(GroupMembership.student_id, GroupMembership.group_id)
        .where(GroupMembership.student_id.in_(list(student_ids)),
               GroupMembership.joined_on <= on,
               or_(GroupMembership.left_on.is_(None), GroupMembership.left_on >= on)))]


def family_contacts(group_ids: set[int] | None, on: date,
                    kinds: tuple[str, ...] = ("student", "parent")) -> list[Contact]:
    """The active student and parent accounts of the groups' members on ``on`` (every group's
    when ``group_ids`` is ``None``), one contact per account, child and group."""
    members = select(GroupMembership.student_id, GroupMembership.group_id).where(
        GroupMembership.joined_on <= on,
        or_(GroupMembership.left_on.is_(None), GroupMembership.left_on >= on))
    if group_ids is not None:
        if not group_ids:
            return []
        members = members.where(GroupMembership.group_id.in_(group_ids))
    members = members.subquery()
    found: list[Contact] = []
    if "student" in kinds:
        found += [Contact(user_id, "student", group_id, student_id) for student_id, group_id, user_id
                  in db.session.execute(
                      select(members.c.student_id, members.c.group_id, Student.user_id)
                      .join(Student, Student.id == members.c.student_id)
                      .join(User, User.id == Student.user_id).where(User.active.is_(True)))]
    if "parent" in kinds:
        found += [Contact(user_id, "parent", group_id, student_id) for student_id, group_id, user_id
                  in db.session.execute(
                      select(members.c.student_id, members.c.group_id, Guardian.user_id)
                      .join(StudentGuardian, StudentGuardian.student_id == members.c.student_id)
                      .join(Guardian, Guardian.id == StudentGuardian.guardian_id)
                      .join(User, User.id == Guardian.user_id).where(User.active.is_(True)))]
    return found


def _teaching_groups(user, on: date) -> set[int]:
    if not user.has_role(Role.TEACHER):
        return set()
    ids: set[int] = set()
    for batch in hook().taught_group_ids(user=user, on=on):
        ids |= set(batch or ())
    return ids


def _family_side(user, on: date) -> list[Contact]:
    """A student's or parent's staff: the curators of their (children's) groups today and the
    teachers of their disciplines this year."""
    children = own_student_ids(user)
    stays = _current_stays(children, on)
    curators = dict(db.session.execute(select(Group.id, Group.curator_id).where(
        Group.id.in_({group for _s, group in stays}), Group.curator_id.is_not(None))).all())
    found = [Contact(curators[group], "curator", group, student) for student, group in stays
             if group in curators]
    for batch in hook().student_teachers(student_ids=children, on=on):
        found += [Contact(tie.teacher_id, "teacher", None, tie.student_id, tie.discipline)
                  for tie in batch or ()]
    return found


def _active(user_ids: set[int]) -> set[int]:
    if not user_ids:
        return set()
    return set(db.session.scalars(select(User.id).where(User.id.in_(user_ids),
                                                        User.active.is_(True))))


def address_book(user: UserLike, on: date | None = None,
                 group_id: int | None = None) -> AddressBook:
    """Whom ``user`` may write to on the day ``on`` (today by default). ``group_id`` narrows a
    book of families to that group's (the administration's book holds every group; without a
    group it lists the staff)."""
    if not user.is_authenticated:
        return AddressBook()
    on = on or _today()
    roles = tuple(role for role, writers in ROLE_WRITERS.items() if user.has_role(*writers))
    if _is_administration(user):
        if group_id is not None:
            contacts = family_contacts({group_id}, on)
        else:
            contacts = [Contact(staff_id, "staff") for staff_id in db.session.scalars(
                select(User.id).where(User.active.is_(True), User.id != user.id, User.id.in_(
                    select(RoleAssignment.user_id).where(RoleAssignment.role.in_(
                        [str(r) for r in STAFF])))))]
        return AddressBook(tuple(contacts), roles, everyone=True)
    contacts: list[Contact] = []
    if user.has_role(*FAMILY):
        contacts += _family_side(user, on)
    groups = _teaching_groups(user, on) | curated_group_ids(user)
    if groups:
        contacts += family_contacts(groups if group_id is None else groups & {group_id}, on)
    allowed = _active({c.user_id for c in contacts}) - {user.id}
    return AddressBook(tuple(c for c in contacts if c.user_id in allowed), roles)


def may_write(user: UserLike, recipient_id: int, on: date | None = None) -> bool:
    """May ``user`` start a conversation with the account ``recipient_id`` (on the day ``on``,
    today by default)?"""
    if not user.is_authenticated or recipient_id == user.id:
        return False
    if _is_administration(user):
        return db.session.scalar(select(User.id).where(User.id == recipient_id,
                                                       User.active.is_(True))) is not None
    return recipient_id in address_book(user, on).user_ids


def may_write_role(user: UserLike, role: str) -> bool:
    """May ``user`` write to ``role`` as a whole ("administration")?"""
    writers = ROLE_WRITERS.get(role)
    return bool(writers) and bool(user.is_authenticated) and user.has_role(*writers)


#: the audiences of a letter to many: whose families, and which of them
LETTER_KINDS = ("parents", "students")


def letter_group_ids(user: UserLike, on: date | None = None) -> set[int] | None:
    """The groups whose families ``user`` may write a letter to: a curator their group, a
    teacher the groups they teach, the administration every group (``None``)."""
    if not user.is_authenticated:
        return set()
    if _is_administration(user):
        return None
    return _teaching_groups(user, on or _today()) | curated_group_ids(user)


def may_write_to_many(user: UserLike) -> bool:
    """May ``user`` write a letter to a whole course or the whole college (the administration)?"""
    return bool(user.is_authenticated) and _is_administration(user)


def letter_recipients(user: UserLike, kind: str, group_id: int | None = None,
                      course: int | None = None, on: date | None = None) -> list[int]:
    """The accounts a letter of ``user`` reaches, each once: the parents (or students) of a
    group's members today, of a course, or of the whole college (neither given). Outside the
    user's reach: ``NotFound``."""
    if kind not in LETTER_KINDS:
        raise NotFound(_("Такой страницы нет или она вам недоступна."))
    on = on or _today()
    if group_id is not None:
        allowed = letter_group_ids(user, on)
        if db.session.get(Group, group_id) is None or (allowed is not None
                                                       and group_id not in allowed):
            raise NotFound(_("Такой страницы нет или она вам недоступна."))
        groups: set[int] | None = {group_id}
    elif not may_write_to_many(user):
        raise NotFound(_("Такой страницы нет или она вам недоступна."))
    elif course is not None:
        groups = set(db.session.scalars(select(Group.id).where(Group.course == course,
                                                              Group.graduated.is_(False))))
    else:
        groups = set(db.session.scalars(select(Group.id).where(Group.graduated.is_(False))))
    found = {c.user_id for c in family_contacts(groups, on, (kind[:-1],))} - {user.id}
    return sorted(found)


# --- announcements: who writes for whom, whom an announcement concerns ------------------------

#: who writes announcements and events for any audience (BTT 3.7, KTIS 3.13); a curator writes
#: for their own group only
ANNOUNCERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.DEPUTY})
#: the audiences of an announcement: the whole college, a course, a group, the staff
ANNOUNCEMENT_AUDIENCES = ("college", "course", "group", "staff")


@dataclass(frozen=True)
class Reach:
    """Which announcements concern someone: those to the whole college, to the staff, to these
    courses and these groups (``None``: every course, every group)."""

    college: bool = False
    staff: bool = False
    courses: frozenset[int] | None = frozenset()
    group_ids: frozenset[int] | None = frozenset()

    def covers(self, audience: str, group_id: int | None, course: int | None) -> bool:
        if audience == "college":
            return self.college
        if audience == "staff":
            return self.staff
        if audience == "course":
            return self.courses is None or course in self.courses
        if audience == "group":
            return self.group_ids is None or group_id in self.group_ids
        return False


def is_announcer(user) -> bool:
    """The administration that writes, edits and withdraws any announcement."""
    return bool(user.is_authenticated) and user.has_role(*ANNOUNCERS)


def may_announce(user) -> bool:
    """May ``user`` write announcements at all (the administration, a curator of a group)?"""
    return is_announcer(user) or bool(curated_group_ids(user))


def may_announce_to(user, audience: str, group_id: int | None = None,
                    course: int | None = None) -> bool:
    """May ``user`` publish for ``audience`` ("college", "course" ``course``, "group"
    ``group_id``, "staff")? The administration: any; a curator: their own group only."""
    if audience not in ANNOUNCEMENT_AUDIENCES or not user.is_authenticated:
        return False
    if audience == "group":
        if group_id is None or db.session.get(Group, group_id) is None:
            return False
        return is_announcer(user) or group_id in curated_group_ids(user)
    if audience == "course" and (course is None or not 1 <= course <= 6):
        return False
    return is_announcer(user)


def may_edit_announcement(user, author_id: int) -> bool:
    """Edit or withdraw an announcement: its author or the administration."""
    return bool(user.is_authenticated) and (user.id == author_id or is_announcer(user))


def _courses_of(groups: set[int]) -> frozenset[int]:
    if not groups:
        return frozenset()
    return frozenset(db.session.scalars(select(Group.course).where(Group.id.in_(groups))
                                        .distinct()))


def students_reach(student_ids, on: date | None = None) -> Reach:
    """What concerns these students (and so their parents): the college, their groups of
    ``on`` (today by default) and those groups' courses."""
    groups = {group for _student, group in _current_stays(student_ids, on or _today())}
    return Reach(college=True, courses=_courses_of(groups), group_ids=frozenset(groups))


def announcement_reach(user, on: date | None = None, overseeing: bool = False) -> Reach:
    """The announcements that concern ``user``: a student's or parent's (their children's)
    groups and courses and the college; a staff member's the college, the staff and the groups
    they curate, teach this year or supervise (and their courses). ``overseeing``: the
    administration's list of everything (every course and group)."""
    if not user.is_authenticated:
        return Reach()
    on = on or _today()
    groups: set[int] = set()
    college = staff = False
    if user.has_role(*FAMILY):
        family = students_reach(own_student_ids(user), on)
        groups |= set(family.group_ids or ())
        college = True
    if user.has_role(*STAFF):
        college = staff = True
        if overseeing and _is_administration(user):
            return Reach(college=True, staff=True, courses=None, group_ids=None)
        core = core_group_ids(user, VIEW)
        groups |= (curated_group_ids(user) if core is None else core) | _teaching_groups(user, on)
    return Reach(college=college, staff=staff, courses=_courses_of(groups),
                 group_ids=frozenset(groups))


def announcement_recipients(audience: str, group_id: int | None = None,
                            course: int | None = None, on: date | None = None) -> list[int]:
    """The active accounts an announcement reaches, each once: for a group or a course, its
    members' (students') and their parents' accounts, the groups' curators and teachers; for the
    college, every family and every staff member; for the staff, every staff member."""
    on = on or _today()
    found: set[int] = set()
    if audience in ("college", "staff"):
        found |= set(db.session.scalars(
            select(User.id).where(User.active.is_(True), User.id.in_(
                select(RoleAssignment.user_id).where(RoleAssignment.role.in_(
                    [str(r) for r in STAFF]))))))
    if audience == "staff":
        return sorted(found)
    if audience == "group":
        groups: set[int] | None = {group_id} if group_id is not None else set()
    elif audience == "course":
        groups = set(db.session.scalars(select(Group.id).where(Group.course == course,
                                                              Group.graduated.is_(False))))
    else:
        groups = None
    families = family_contacts(groups, on)
    found |= {contact.user_id for contact in families}
    if groups:
        found |= set(db.session.scalars(select(Group.curator_id).where(
            Group.id.in_(groups), Group.curator_id.is_not(None))))
        students = set(db.session.scalars(_members(groups, on)))
        for batch in hook().student_teachers(student_ids=students, on=on):
            found |= {tie.teacher_id for tie in batch or ()}
        found = _active(found)
    return sorted(found)
