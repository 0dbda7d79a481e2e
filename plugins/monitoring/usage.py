"""Sign-ins and active users by role per day, week or month, and the families reached.

Every figure is counted by the database (GROUP BY the stored day, week or month), so a page
makes the same few queries whatever the number of sign-ins."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from sqlalchemy import and_, case, func, select

from core.extensions import db
from core.people.models import RoleAssignment, User
from core.people.roles import Role
from plugins.monitoring.models import DigestOpen, SignIn
from plugins.monitoring.recording import month_of, week_of

Bucket = Literal["day", "week", "month"]
BUCKETS: tuple[Bucket, ...] = ("day", "week", "month")
#: how many days, weeks or months a page shows back from its last one
SPANS = {"day": 31, "week": 12, "month": 12}
#: the order roles are listed in
ROLE_ORDER = (Role.ADMIN, Role.DIRECTOR, Role.DEPUTY, Role.METHODIST, Role.SUPERVISOR,
              Role.COMMISSION_HEAD, Role.CURATOR, Role.TEACHER, Role.STUDENT, Role.PARENT)
FAMILY_ROLES = (Role.STUDENT, Role.PARENT)


def periods(bucket: Bucket, last: date, count: int | None = None) -> list[date]:
    """The first days of the ``count`` days, weeks or months that end with the one of ``last``."""
    count = count or SPANS[bucket]
    if bucket == "day":
        return [last - timedelta(days=n) for n in range(count - 1, -1, -1)]
    if bucket == "week":
        monday = week_of(last)
        return [monday - timedelta(weeks=n) for n in range(count - 1, -1, -1)]
    firsts = [month_of(last)]
    while len(firsts) < count:
        firsts.append(month_of(firsts[-1] - timedelta(days=1)))
    return firsts[::-1]


def period_end(bucket: Bucket, first: date) -> date:
    """The last day of the period that starts on ``first``."""
    if bucket == "day":
        return first
    if bucket == "week":
        return first + timedelta(days=6)
    return month_of(first + timedelta(days=31)) - timedelta(days=1)


@dataclass(frozen=True)
class RoleSeries:
    role: Role
    sign_ins: list[int]
    active: list[int]


@dataclass(frozen=True)
class Usage:
    """Per period (``starts``): each role's sign-ins and distinct users who signed in, and the
    distinct users of any role (``active``: a teacher who is also a curator counts once)."""

    bucket: Bucket
    starts: list[date]
    roles: list[RoleSeries] = field(default_factory=list)
    active: list[int] = field(default_factory=list)
    sign_ins: list[int] = field(default_factory=list)


def _user_roles():
    """Each (user, role) once, whatever the scopes the role is held in."""
    return select(RoleAssignment.user_id, RoleAssignment.role).distinct().subquery()


def usage(bucket: Bucket, starts: list[date]) -> Usage:
    """The sign-ins of the periods ``starts`` (first days, ascending): two queries."""
    column = {"day": SignIn.day, "week": SignIn.week, "month": SignIn.month}[bucket]
    window = and_(column >= starts[0], column <= starts[-1])
    roles = _user_roles()
    by_role = db.session.execute(
        select(column, roles.c.role, func.count(SignIn.id), func.count(SignIn.user_id.distinct()))
        .join(roles, roles.c.user_id == SignIn.user_id).where(window)
        .group_by(column, roles.c.role)).all()
    totals = db.session.execute(
        select(column, func.count(SignIn.id), func.count(SignIn.user_id.distinct()))
        .where(window).group_by(column)).all()
    index = {start: n for n, start in enumerate(starts)}
    found: dict[str, tuple[list[int], list[int]]] = {}
    for start, role, count, users in by_role:
        series = found.setdefault(role, ([0] * len(starts), [0] * len(starts)))
        series[0][index[start]] = count
        series[1][index[start]] = users
    sign_ins, active = [0] * len(starts), [0] * len(starts)
    for start, count, users in totals:
        sign_ins[index[start]], active[index[start]] = count, users
    return Usage(bucket, starts,
                 [RoleSeries(role, *found[str(role)]) for role in ROLE_ORDER if str(role) in found],
                 active, sign_ins)


@dataclass(frozen=True)
class Reach:
    """The families of one role over a period: accounts, those who signed in, those who only
    followed a digest's link, those reached neither way, and those who never signed in at all."""

    role: Role
    accounts: int
    signed_in: int
    digest_only: int
    never: int

    @property
    def not_reached(self) -> int:
        return self.accounts - self.signed_in - self.digest_only


def families_reached(start: date, end: date) -> list[Reach]:
    """Students' and parents' active accounts between two days (one query)."""
    roles = _user_roles()
    signed = select(SignIn.user_id).where(SignIn.day >= start, SignIn.day <= end)
    opened = select(DigestOpen.user_id).where(DigestOpen.day >= start, DigestOpen.day <= end)
    did_sign = User.id.in_(signed)
    rows = db.session.execute(
        select(roles.c.role, func.count(User.id),
               func.sum(case((did_sign, 1), else_=0)),
               func.sum(case((and_(~did_sign, User.id.in_(opened)), 1), else_=0)),
               func.sum(case((User.last_login_at.is_(None), 1), else_=0)))
        .join(roles, roles.c.user_id == User.id)
        .where(User.active.is_(True), roles.c.role.in_([str(r) for r in FAMILY_ROLES]))
        .group_by(roles.c.role)).all()
    found = {role: (int(n or 0), int(s or 0), int(d or 0), int(v or 0))
             for role, n, s, d, v in rows}
    return [Reach(role, *found.get(str(role), (0, 0, 0, 0))) for role in FAMILY_ROLES]
