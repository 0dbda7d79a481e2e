"""Retention of what the core keeps: the outbox's message bodies and its delivery log, and the
personal data of people who left (152-ФЗ: kept no longer than their purpose needs).

Each has its own policy key (``CORE_KEYS``). ``purge_daily`` runs in the worker once a day and
records what it removed in the audit log, by count, never by value (an audit row that kept a
removed phone number would keep the personal data it was meant to remove).

``purge_rows`` is the shared step of the plugins' ``purge_records`` implementations (the archive's
purge of a period's detailed journal data): count, and unless it is a dry run, delete.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.sql.elements import ColumnElement

from core import audit
from core.calendar.clock import college_day, college_today, college_zone
from core.extensions import db
from core.outbox import OutboxMessage
from core.people.models import (
    Guardian,
    Movement,
    RoleAssignment,
    Student,
    StudentGuardian,
    User,
)
from core.plugins.types import PurgeCount
from core.policy import policy_value

#: the outbox states whose rows are finished: only they lose their body or leave the log
DONE = ("sent", "failed")
#: the orders after which a student is no longer at the college
LEAVING = ("expelled", "graduated")
#: the prefix of the login a reduced account keeps (unique, never typed at the login form)
REMOVED_LOGIN = "removed."


def purge_rows(plugin: str, table: Table, title: str, where: ColumnElement[bool],
               dry_run: bool) -> PurgeCount:
    """Count the rows of ``table`` matching ``where`` and, unless ``dry_run``, delete them."""
    count = db.session.scalar(select(func.count()).select_from(table).where(where)) or 0
    if count and not dry_run:
        db.session.execute(delete(table).where(where))
    return PurgeCount(plugin, table.name, title, count)


def start_of_day(day: date) -> datetime:
    """The instant the college's day ``day`` begins (for comparing with stored UTC instants)."""
    return datetime.combine(day, time(), college_zone())


def years_before(day: date, years: int) -> date:
    """``day`` moved back ``years`` years (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class OutboxPurge:
    bodies: int
    rows: int


def purge_outbox(today: date | None = None) -> OutboxPurge:
    """Empty the bodies of finished messages older than ``notify.outbox_body_days`` and remove
    from the delivery log the finished messages older than ``notify.delivery_log_days``."""
    today = today or college_today()
    log_before = start_of_day(today - timedelta(days=max(0, policy_value("notify.delivery_log_days"))))
    body_before = start_of_day(today - timedelta(days=max(0, policy_value("notify.outbox_body_days"))))
    table = OutboxMessage.__table__
    finished = table.c.status.in_(DONE)
    rows = db.session.execute(delete(table).where(finished & (table.c.created_at < log_before))
                              ).rowcount or 0
    bodies = db.session.execute(
        update(table).where(finished & (table.c.created_at < body_before)
                            & ((table.c.body_text != "") | (table.c.body_html != "")
                               | (table.c.payload != "")))
        .values(body_text="", body_html="", payload="")).rowcount or 0
    if rows or bodies:
        audit.record("retention.outbox.purge", ("OutboxMessage", None),
                     after={"bodies_emptied": bodies, "rows_removed": rows,
                            "bodies_before": body_before, "log_before": log_before})
    return OutboxPurge(bodies, rows)


# --- personal data of people who left ------------------------------------------------------------

def _reduce_user(user: User) -> None:
    user.login = f"{REMOVED_LOGIN}{user.id}"
    user.password_hash = user.previous_password_hash = None
    user.email = user.phone = None
    user.active = False
    user.session_version += 1


def _gone(cutoff: date):
    """A subquery of the students who left (expelled or graduated) on or before ``cutoff``."""
    last = (select(Movement.student_id)
            .where(Movement.kind.in_(LEAVING)).group_by(Movement.student_id)
            .having(func.max(Movement.on_date) <= cutoff))
    return select(Student.id).where(Student.status.in_(LEAVING), Student.id.in_(last))


def _holds_data(model):
    """Rows of ``model`` (a student or a guardian) still holding contacts or a login."""
    live_login = select(User.id).where(~User.login.startswith(REMOVED_LOGIN))
    return ((model.email.is_not(None)) | (model.phone.is_not(None))
            | model.user_id.in_(live_login))


@dataclass(frozen=True)
class LeaverReduction:
    students: list[int]
    guardians: list[int]
    staff: list[int]

    @property
    def total(self) -> int:
        return len(self.students) + len(self.guardians) + len(self.staff)


def _staff_left_on(user_ids: set[int]) -> dict[int, date]:
    """The college day each account was last deactivated, from the audit log."""
    if not user_ids:
        return {}
    entry = audit.AuditEntry
    rows = db.session.execute(
        select(entry.target_id, func.max(entry.at))
        .where(entry.action == "people.account.deactivate", entry.target_type == "User",
               entry.target_id.in_([str(i) for i in user_ids]))
        .group_by(entry.target_id)).all()
    return {int(target): college_day(at) for target, at in rows}


def reduce_leavers(today: date | None = None, actor: Any = None) -> LeaverReduction:
    """Remove the birth date, contacts and login of students who left more than
    ``people.leaver_data_years`` ago, of parents whose children all left that long ago, and the
    contacts and login of staff whose account was deactivated that long ago. Names stay: the
    kept summary statements, correspondence and audit log name them."""
    today = today or college_today()
    cutoff = years_before(today, max(0, policy_value("people.leaver_data_years")))
    gone = _gone(cutoff)
    students = db.session.scalars(select(Student).where(
        Student.id.in_(gone), _holds_data(Student) | Student.birth_date.is_not(None))
        .order_by(Student.id)).all()
    for student in students:
        student.birth_date = student.email = student.phone = None
        if student.user is not None:
            _reduce_user(student.user)
        audit.record("retention.person.reduce", student, actor=actor,
                     after={"removed": ["birth_date", "email", "phone", "login"]})
    staying = select(StudentGuardian.guardian_id).where(StudentGuardian.student_id.not_in(gone))
    guardians = db.session.scalars(select(Guardian).where(
        Guardian.id.in_(select(StudentGuardian.guardian_id)), Guardian.id.not_in(staying),
        _holds_data(Guardian)).order_by(Guardian.id)).all()
    for guardian in guardians:
        guardian.email = guardian.phone = None
        if guardian.user is not None:
            _reduce_user(guardian.user)
        audit.record("retention.person.reduce", guardian, actor=actor,
                     after={"removed": ["email", "phone", "login"]})
    staff = _dismissed_staff(cutoff)
    for user in staff:
        _reduce_user(user)
        audit.record("retention.person.reduce", user, actor=actor,
                     after={"removed": ["email", "phone", "login"]})
    return LeaverReduction([s.id for s in students], [g.id for g in guardians],
                           [u.id for u in staff])


def _dismissed_staff(cutoff: date) -> list[User]:
    family = select(Student.user_id).where(Student.user_id.is_not(None)).union(
        select(Guardian.user_id).where(Guardian.user_id.is_not(None)))
    inactive = db.session.scalars(
        select(User).where(User.active.is_(False), User.id.not_in(family),
                           ~User.login.startswith(REMOVED_LOGIN),
                           User.id.in_(select(RoleAssignment.user_id)))).all()
    left_on = _staff_left_on({u.id for u in inactive})
    return [u for u in inactive if u.id in left_on and left_on[u.id] <= cutoff]


def purge_daily() -> None:
    """The worker's daily job: the outbox and the personal data of leavers, one commit."""
    purge_outbox()
    reduce_leavers()
    db.session.commit()
