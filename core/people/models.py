"""Users, role assignments, groups, students, guardians and the movement of students."""

from __future__ import annotations

from datetime import date, datetime

from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    and_,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.calendar.models import AcademicYear
from core.extensions import db
from core.models import UTCDateTime, utcnow
from core.people.roles import Role, ScopeKind


def full_name(last: str, first: str, middle: str | None) -> str:
    return " ".join(part for part in (last, first, middle) if part)


def short_name(last: str, first: str, middle: str | None) -> str:
    """«Иванов И. И.»"""
    initials = " ".join(f"{part[0]}." for part in (first, middle) if part)
    return f"{last} {initials}".strip()


def short_names(ids) -> dict[int, str]:
    """Short names («Иванова А. П.») of the users ``ids`` (``None`` skipped), one query."""
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {user.id: user.short_name
            for user in db.session.scalars(select(User).where(User.id.in_(wanted)))}


class PersonName:
    last_name: Mapped[str]
    first_name: Mapped[str]
    middle_name: Mapped[str | None]

    @property
    def full_name(self) -> str:
        return full_name(self.last_name, self.first_name, self.middle_name)

    @property
    def short_name(self) -> str:
        return short_name(self.last_name, self.first_name, self.middle_name)


class User(PersonName, UserMixin, db.Model):
    __tablename__ = "core_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    #: the password the user chose before this one: it may not be chosen again
    previous_password_hash: Mapped[str | None] = mapped_column(String(255))
    last_name: Mapped[str] = mapped_column(String(80))
    first_name: Mapped[str] = mapped_column(String(80))
    middle_name: Mapped[str | None] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    #: raised on logout, password change and deactivation: every other session ends
    session_version: Mapped[int] = mapped_column(default=1)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    roles: Mapped[list[RoleAssignment]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:
        """The session carries the id and the session version; a stale version logs out."""
        return f"{self.id}:{self.session_version}"

    def held_roles(self) -> list[RoleAssignment]:
        """The assignments held today at the college: an appointment's role counts from its
        first day to its last (``starts_on``/``ends_on``); an undated one always. No query:
        ``roles`` is loaded with the user, the college's day is asked only if some are dated."""
        roles = self.roles
        if not any(a.starts_on is not None or a.ends_on is not None for a in roles):
            return roles
        from core.calendar.clock import college_today

        today = college_today()
        return [a for a in roles if a.held_on(today)]

    def role_set(self) -> set[Role]:
        return {Role(assignment.role) for assignment in self.held_roles()}

    def has_role(self, *roles: Role | str) -> bool:
        mine = {a.role for a in self.held_roles()}
        return any(str(role) in mine for role in roles)

    def scope_ids(self, role: Role) -> set[int | None]:
        return {a.scope_id for a in self.held_roles() if a.role == role}

    def __repr__(self) -> str:
        return f"<User {self.login}>"


#: who may arrive as ``current_user``: an account, or flask-login's anonymous user before sign-in
#: (the scope rules, the menu and the policy answer both)
UserLike = User | AnonymousUserMixin


class RoleAssignment(db.Model):
    """A role held by a user within a scope (a department, a group, a commission, or all)."""

    __tablename__ = "core_role_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    scope_kind: Mapped[str] = mapped_column(String(20), default=ScopeKind.COLLEGE)
    scope_id: Mapped[int | None]
    #: the first and the last day the role is held (an appointment's dates); ``None``: open
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]

    user: Mapped[User] = relationship(back_populates="roles")

    __table_args__ = (UniqueConstraint("user_id", "role", "scope_kind", "scope_id"),)

    def held_on(self, day: date) -> bool:
        return (self.starts_on is None or self.starts_on <= day) and (
            self.ends_on is None or day <= self.ends_on)

    @classmethod
    def held_clause(cls, day: date):
        """The SQL condition of ``held_on(day)``, for queries finding who holds a role."""
        return and_(or_(cls.starts_on.is_(None), cls.starts_on <= day),
                    or_(cls.ends_on.is_(None), cls.ends_on >= day))


class Appointment(db.Model):
    """The director's (or the administrator's, by the policy) order putting a member of staff
    in a role (BTT 4.7.2): from a date, optionally to one, with the order's number. Never
    deleted: revoking sets the last day and who revoked it and why."""

    __tablename__ = "core_appointment"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    scope_kind: Mapped[str] = mapped_column(String(20), default=ScopeKind.COLLEGE)
    scope_id: Mapped[int | None]
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    order_no: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    revoke_reason: Mapped[str | None] = mapped_column(String(500))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def held_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class Department(db.Model):
    """An отделение: the scope of a course supervisor."""

    __tablename__ = "core_department"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)


class SubjectCommission(db.Model):
    """A предметно-цикловая комиссия (ПЦК)."""

    __tablename__ = "core_subject_commission"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    head_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))


class Specialty(db.Model):
    __tablename__ = "core_specialty"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # «15.02.08»
    name: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("core_department.id"))
    #: how many courses the programme runs: the group of the last course graduates
    courses: Mapped[int] = mapped_column(default=4, server_default="4")

    department: Mapped[Department | None] = relationship()


class Group(db.Model):
    """A study group; the year opening moves it up a course each year."""

    __tablename__ = "core_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    specialty_id: Mapped[int] = mapped_column(ForeignKey("core_specialty.id"))
    course: Mapped[int]
    form_of_study: Mapped[str] = mapped_column(String(20), default="очная")
    year_id: Mapped[int | None] = mapped_column(ForeignKey("core_academic_year.id"))
    admission_year: Mapped[int]
    curator_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), index=True)
    graduated: Mapped[bool] = mapped_column(default=False)

    specialty: Mapped[Specialty] = relationship()
    curator: Mapped[User | None] = relationship()
    year: Mapped[AcademicYear | None] = relationship()
    subgroups: Mapped[list[Subgroup]] = relationship(
        back_populates="group", order_by="Subgroup.number"
    )

    __table_args__ = (CheckConstraint("course BETWEEN 1 AND 6", name="course"),)

    def __repr__(self) -> str:
        return f"<Group {self.name}>"


class Subgroup(db.Model):
    """A part of a group (up to 3 per split); ``label`` tells splits apart («Англ. язык»)."""

    __tablename__ = "core_subgroup"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("core_group.id"), index=True)
    label: Mapped[str] = mapped_column(String(80), default="")
    number: Mapped[int]

    group: Mapped[Group] = relationship(back_populates="subgroups")

    __table_args__ = (
        UniqueConstraint("group_id", "label", "number"),
        CheckConstraint("number BETWEEN 1 AND 3", name="number"),
    )

    @property
    def title(self) -> str:
        return f"{self.label + ', ' if self.label else ''}{self.number} подгруппа"


class Student(PersonName, db.Model):
    __tablename__ = "core_student"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the stable key of imports: the record-book (зачётная книжка) number
    record_book_no: Mapped[str] = mapped_column(String(30), unique=True)
    last_name: Mapped[str] = mapped_column(String(80))
    first_name: Mapped[str] = mapped_column(String(80))
    middle_name: Mapped[str | None] = mapped_column(String(80))
    birth_date: Mapped[date | None]
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="studying")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), unique=True)

    user: Mapped[User | None] = relationship()
    guardians: Mapped[list[Guardian]] = relationship(
        secondary="core_student_guardian", back_populates="children"
    )

    def __repr__(self) -> str:
        return f"<Student {self.record_book_no}>"


class GroupMembership(db.Model):
    """A student's stay in a group: records up to ``left_on`` stay in that group's journal."""

    __tablename__ = "core_group_membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("core_student.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("core_group.id"), index=True)
    joined_on: Mapped[date]
    left_on: Mapped[date | None]  # the last day in the group

    student: Mapped[Student] = relationship()
    group: Mapped[Group] = relationship()

    __table_args__ = (Index("ix_core_group_membership_group_dates", "group_id", "joined_on"),)

    def covers(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)


class SubgroupMembership(db.Model):
    """A student's place in a subgroup from a date; an earlier place keeps its records."""

    __tablename__ = "core_subgroup_membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("core_student.id"), index=True)
    subgroup_id: Mapped[int] = mapped_column(ForeignKey("core_subgroup.id"), index=True)
    from_date: Mapped[date]
    to_date: Mapped[date | None]


class Movement(db.Model):
    """An order about a student: admitted, transferred, leave, returned, expelled, graduated."""

    __tablename__ = "core_movement"

    KINDS = {
        "admitted": "Зачислен",
        "transferred": "Переведён",
        "leave": "Академический отпуск",
        "returned": "Восстановлен",
        "expelled": "Отчислен",
        "graduated": "Выпущен",
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("core_student.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    on_date: Mapped[date]
    order_no: Mapped[str] = mapped_column(String(40))
    from_group_id: Mapped[int | None] = mapped_column(ForeignKey("core_group.id"))
    to_group_id: Mapped[int | None] = mapped_column(ForeignKey("core_group.id"))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    student: Mapped[Student] = relationship()


class Guardian(PersonName, db.Model):
    """A parent or legal representative; a login comes from the curator (BTT 3.3)."""

    __tablename__ = "core_guardian"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_name: Mapped[str] = mapped_column(String(80))
    first_name: Mapped[str] = mapped_column(String(80))
    middle_name: Mapped[str | None] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), unique=True)

    user: Mapped[User | None] = relationship()
    children: Mapped[list[Student]] = relationship(
        secondary="core_student_guardian", back_populates="guardians"
    )


class StudentGuardian(db.Model):
    __tablename__ = "core_student_guardian"

    student_id: Mapped[int] = mapped_column(ForeignKey("core_student.id"), primary_key=True)
    guardian_id: Mapped[int] = mapped_column(ForeignKey("core_guardian.id"), primary_key=True)
    relation: Mapped[str] = mapped_column(String(40), default="")


class FamilyChange(db.Model):
    """A change to a student's parents that a curator proposes where the administrator edits
    (KTIS 3.12): the monthly check collects them, the administrator applies the group's list in
    one go (all or nothing) or returns it with a reason. ``data`` holds the new values."""

    __tablename__ = "core_family_change"

    KINDS = {"add": "Добавить родителя", "edit": "Изменить данные родителя",
             "remove": "Убрать родителя"}

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("core_group.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("core_student.id"))
    guardian_id: Mapped[int | None] = mapped_column(ForeignKey("core_guardian.id"))
    kind: Mapped[str] = mapped_column(String(10))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(String(500), default="")
    #: proposed → applied or returned
    state: Mapped[str] = mapped_column(String(10), default="proposed")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(String(500))

    student: Mapped[Student] = relationship()
    guardian: Mapped[Guardian | None] = relationship()
