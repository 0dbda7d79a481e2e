"""Who checks, whom, and how often: the checkers' roles and their cadences from the policy
(``control.*_check_days``), a checker's scope (``core.people.scope``), and the checks due.

A cadence of N days means a check signed on day D is due again on D + N (N = 1: daily); 0 means
the role has no cadence (it may still check). A checker who has never signed a check in the
role owes one today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.calendar.clock import college_day, college_today
from core.extensions import db
from core.people import scope
from core.people.models import Department, RoleAssignment, User, short_names
from core.people.permissions import can
from core.people.roles import ADMINISTRATION, Role, role_title
from core.policy import policy_value
from plugins.control.models import CHECKER_ROLES, Check

#: who reads every signed check and the plan (the administration and the methodological service)
READERS = frozenset({str(r) for r in ADMINISTRATION})
#: who keeps the internal control plan
PLANNERS = frozenset({str(Role.DEPUTY), str(Role.DIRECTOR), str(Role.ADMIN)})
CHECK = "control.check"
READ = "control.read"
PLAN = "control.plan.manage"
KIND_TITLES = {"regular": _l("Текущая проверка"), "term_end": _l("Проверка по итогам семестра")}


def cadence(role: str) -> int:
    """Days between a role's checks (0: no cadence)."""
    if role == "deputy":
        return int(policy_value("control.deputy_check_days"))
    if role == "methodist":
        return int(policy_value("control.methodist_check_days"))
    return int(policy_value("control.supervisor_check_days"))


def checker_roles(user) -> list[str]:
    """The checker roles ``user`` holds, in ``CHECKER_ROLES`` order."""
    if not user.is_authenticated or not can(user, CHECK):
        return []
    return [role for role in CHECKER_ROLES if user.has_role(role)]


def is_reader(user) -> bool:
    return bool(user.is_authenticated) and user.has_role(*READERS)


def kinds() -> list[str]:
    """The kinds of check the policy knows: the term-end one where ``control.term_end_check``."""
    return ["regular", "term_end"] if policy_value("control.term_end_check") else ["regular"]


def scope_of(user, role: str) -> tuple[set[int] | None, str]:
    """The groups a check by ``user`` in ``role`` covers (``None``: every group) and its title:
    a course supervisor the groups of their departments (``scope.core_group_ids``), the deputy
    and the methodological service the whole college."""
    if role != "supervisor":
        return None, _("все группы колледжа")
    groups = scope.core_group_ids(user)
    if groups is None:
        return None, _("все группы колледжа")
    departments = [d for d in user.scope_ids(Role.SUPERVISOR) if d is not None]
    names = list(db.session.scalars(select(Department.name).where(
        Department.id.in_(departments)).order_by(Department.name))) if departments else []
    return set(groups), ", ".join(names) or _("группы куратора курса")


def role_label(role: str) -> str:
    return role_title(role)


@dataclass(frozen=True)
class Due:
    """A checker's next check in a role: due on ``due_on`` (today when never checked)."""

    checker_id: int
    name: str
    role: str
    days: int
    last_signed: date | None
    due_on: date

    def overdue_days(self, today: date) -> int:
        return max((today - self.due_on).days, 0)

    def is_due(self, today: date) -> bool:
        return today >= self.due_on


def _holders(role: str) -> list[int]:
    return list(db.session.scalars(
        select(User.id).join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.role == role, User.active.is_(True)).distinct()
        .order_by(User.id)))


def last_signed(pairs: list[tuple[int, str]]) -> dict[tuple[int, str], date]:
    """The day (college time) each (checker, role) last signed a check (one query)."""
    if not pairs:
        return {}
    checkers = {checker for checker, _role in pairs}
    rows = db.session.execute(
        select(Check.checker_id, Check.role, func.max(Check.signed_at))
        .where(Check.checker_id.in_(checkers), Check.signed_at.is_not(None))
        .group_by(Check.checker_id, Check.role)).all()
    return {(checker, role): college_day(at) for checker, role, at in rows if at is not None}


def dues(checker_id: int | None = None) -> list[Due]:
    """The next check of every checker (or of ``checker_id``) in each role with a cadence."""
    pairs = []
    for role in CHECKER_ROLES:
        if cadence(role) <= 0:
            continue
        holders = _holders(role)
        pairs += [(uid, role) for uid in holders if checker_id is None or uid == checker_id]
    last = last_signed(pairs)
    names = short_names({uid for uid, _role in pairs})
    today = college_today()
    found = []
    for uid, role in pairs:
        days = cadence(role)
        signed = last.get((uid, role))
        due_on = signed + timedelta(days=days) if signed else today
        found.append(Due(uid, names.get(uid, ""), role, days, signed, due_on))
    return found
