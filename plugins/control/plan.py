"""The internal control plan (R12): the year's checks, what, who and when, each planned, done (a
signed check fulfils it) or overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core import audit
from core.calendar.clock import college_today
from core.calendar.models import AcademicYear
from core.errors import DomainError
from core.extensions import db
from core.people.models import User, short_names
from plugins.control import rules
from plugins.control.models import CHECKER_ROLES, Check, PlanItem

STATUS_TITLES = {"planned": _l("запланирована"), "done": _l("проведена"),
                 "overdue": _l("просрочена")}


@dataclass(frozen=True)
class PlanRow:
    item: PlanItem
    checker: str
    status: str
    check: Check | None


def current_year() -> AcademicYear | None:
    today = college_today()
    return db.session.scalars(select(AcademicYear).where(
        AcademicYear.starts_on <= today, AcademicYear.ends_on >= today)).first() or \
        db.session.scalars(select(AcademicYear).where(AcademicYear.is_current.is_(True))).first()


def rows(start: date | None = None, end: date | None = None) -> list[PlanRow]:
    query = select(PlanItem)
    if start is not None and end is not None:
        query = query.where(PlanItem.due_on >= start, PlanItem.due_on <= end)
    items = list(db.session.scalars(query.order_by(PlanItem.due_on, PlanItem.id)))
    done = {check.plan_item_id: check for check in db.session.scalars(select(Check).where(
        Check.plan_item_id.in_([i.id for i in items]), Check.signed_at.is_not(None)))} \
        if items else {}
    names = short_names({i.checker_id for i in items if i.checker_id})
    today = college_today()
    found = []
    for item in items:
        check = done.get(item.id)
        status = "done" if check else ("overdue" if item.due_on < today else "planned")
        checker = names.get(item.checker_id, "") if item.checker_id else ""
        found.append(PlanRow(item, checker or rules.role_label(item.role), status, check))
    return found


def add(actor: User, title: str, role: str, kind: str, due_on: date | None,
        checker_id: int | None) -> PlanItem:
    title = (title or "").strip()
    if not title or len(title) > 300:
        raise DomainError(_("Назовите проверку (до 300 символов)."))
    if role not in CHECKER_ROLES:
        raise DomainError(_("Выберите, кто проверяет."))
    if kind not in rules.kinds():
        raise DomainError(_("Такой вид проверки политикой колледжа не предусмотрен."))
    if due_on is None:
        raise DomainError(_("Укажите срок проверки."))
    if checker_id is not None:
        checker = db.session.get(User, checker_id)
        if checker is None or not checker.has_role(role):
            raise DomainError(_("Проверяющий не занимает выбранную роль."))
    item = PlanItem(title=title, role=role, kind=kind, due_on=due_on, checker_id=checker_id,
                    created_by_id=actor.id)
    db.session.add(item)
    db.session.flush()
    audit.record("control.plan.add", item, after={"title": title, "role": role, "kind": kind,
                                                  "due_on": due_on, "checker_id": checker_id})
    return item
