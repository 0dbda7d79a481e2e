"""Appointments (BTT 4.7.2): the director puts staff in the roles of the regulation by an order.

An appointment is kept for good: a role, its scope (the department of a course supervisor, the
commission of a ПЦК head, the group of a curator), its first day, optionally its last, the
order's number. Its role is a ``RoleAssignment`` dated with the same days, so ``has_role`` and
``can`` answer from the day it starts to the day it ends (the college's day, no extra query).
Revoking sets the last day; nothing is deleted. Who appoints is the policy's
(``people.appointed_by``): the director (BTT 4.7.2) or the administrator. The administrator still
creates the accounts (BTT 3.3).
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from core import audit
from core.calendar.clock import college_today
from core.errors import DomainError
from core.extensions import db
from core.models import utcnow
from core.people.models import (
    Appointment,
    Department,
    Group,
    RoleAssignment,
    SubjectCommission,
    User,
)
from core.people.roles import ROLE_SCOPE, STAFF, Role, ScopeKind, role_title

#: the roles an order appoints to (BTT 4.7.2: «назначать сотрудников на исполнение обязанностей
#: в соответствии с данным Положением»): the regulation's duties beyond teaching
APPOINTABLE = (Role.DEPUTY, Role.METHODIST, Role.SUPERVISOR, Role.COMMISSION_HEAD, Role.CURATOR)

_SCOPE_MODELS = {ScopeKind.DEPARTMENT: Department, ScopeKind.COMMISSION: SubjectCommission,
                 ScopeKind.GROUP: Group}


def appointer_role() -> Role:
    """The role that appoints, by the policy ``people.appointed_by``."""
    from core.policy import policy_value

    return Role.DIRECTOR if policy_value("people.appointed_by") == "director" else Role.ADMIN


def director_appoints() -> bool:
    return appointer_role() == Role.DIRECTOR


def _assignment(user: User, role: Role, scope_kind: str, scope_id: int | None):
    return next((a for a in user.roles if a.role == role and a.scope_kind == scope_kind
                 and a.scope_id == scope_id), None)


def scope_title(kind: str, scope_id: int | None) -> str:
    model = _SCOPE_MODELS.get(ScopeKind(kind))
    if model is None or scope_id is None:
        return ""
    found = db.session.get(model, scope_id)
    return found.name if found is not None else ""


def appoint(actor: User, user: User, role: Role, scope_id: int | None, starts_on: date,
            ends_on: date | None, order_no: str, note: str = "") -> Appointment:
    """Appoint ``user`` to ``role`` (within ``scope_id``) by the order ``order_no`` from
    ``starts_on`` (to ``ends_on``); audited. ``DomainError`` (Russian) when refused."""
    role = Role(role)
    order_no = (order_no or "").strip()
    problems = []
    if role not in APPOINTABLE:
        problems.append(_("На эту роль приказом не назначают."))
    if not user.active or not any(a.role in {str(r) for r in STAFF} for a in user.roles):
        problems.append(_("Назначить можно только сотрудника с действующей учётной записью."))
    kind = ROLE_SCOPE[role]
    if kind in _SCOPE_MODELS:
        if scope_id is None or db.session.get(_SCOPE_MODELS[kind], scope_id) is None:
            problems.append({
                ScopeKind.DEPARTMENT: _("Выберите отделение куратора курса."),
                ScopeKind.COMMISSION: _("Выберите предметно-цикловую комиссию."),
                ScopeKind.GROUP: _("Выберите группу классного руководителя."),
            }[kind])
    else:
        scope_id = None
    if not order_no:
        problems.append(_("Укажите номер приказа."))
    elif len(order_no) > 40:
        problems.append(_("Номер приказа — не длиннее 40 знаков."))
    if ends_on is not None and ends_on < starts_on:
        problems.append(_("Дата окончания раньше даты начала."))
    if len(note or "") > 500:
        problems.append(_("Примечание — не длиннее 500 знаков."))
    if problems:
        raise DomainError(" ".join(problems))
    if kind == ScopeKind.GROUP:
        group = db.session.get(Group, scope_id)
        if group.graduated:
            raise DomainError(_("Группа выпущена: руководителя ей не назначают."))
    existing = _assignment(user, role, kind, scope_id)
    if existing is not None and (existing.ends_on is None or existing.ends_on >= starts_on):
        raise DomainError(_("%(name)s уже назначен(а): %(role)s%(scope)s. Сначала завершите "
                            "прежнее назначение.", name=user.short_name, role=role_title(role),
                            scope=_scope_suffix(kind, scope_id)))
    today = college_today()
    appointment = Appointment(user_id=user.id, role=str(role), scope_kind=str(kind),
                              scope_id=scope_id, starts_on=starts_on, ends_on=ends_on,
                              order_no=order_no, note=(note or "").strip(),
                              created_by_id=actor.id)
    db.session.add(appointment)
    if existing is None:
        existing = RoleAssignment(role=str(role), scope_kind=str(kind), scope_id=scope_id)
        user.roles.append(existing)
    existing.starts_on, existing.ends_on = starts_on, ends_on
    if kind == ScopeKind.GROUP:
        _end_other_curators(actor, group, user, starts_on, order_no)
        if starts_on <= today and (ends_on is None or today <= ends_on):
            _set_group_curator(group, user.id)
    db.session.flush()
    audit.record("people.appointment.create", appointment, actor=actor,
                 after=_snapshot(appointment))
    return appointment


def _scope_suffix(kind: str, scope_id: int | None) -> str:
    title = scope_title(kind, scope_id)
    return f" ({title})" if title else ""


def _set_group_curator(group: Group, user_id: int | None) -> None:
    if group.curator_id != user_id:
        audit.record("people.group.curator", group, before={"curator_id": group.curator_id},
                     after={"curator_id": user_id})
        group.curator_id = user_id


def _end_other_curators(actor: User, group: Group, newcomer: User, starts_on: date,
                        order_no: str) -> None:
    """A group has one curator: a new one's first day is the last but one of the former's."""
    last_day = starts_on - timedelta(days=1)
    held = db.session.scalars(select(RoleAssignment).where(
        RoleAssignment.role == Role.CURATOR, RoleAssignment.scope_kind == ScopeKind.GROUP,
        RoleAssignment.scope_id == group.id, RoleAssignment.user_id != newcomer.id)).all()
    for assignment in held:
        if assignment.ends_on is not None and assignment.ends_on <= last_day:
            continue
        if assignment.starts_on is not None and assignment.starts_on > last_day:
            raise DomainError(_("У группы %(group)s с %(day)s уже назначен другой руководитель.",
                                group=group.name, day=assignment.starts_on.strftime("%d.%m.%Y")))
        before = {"ends_on": _day(assignment.ends_on)}
        assignment.ends_on = last_day
        audit.record("people.role.end", ("RoleAssignment", assignment.id), actor=actor,
                     before=before, after={"ends_on": _day(last_day), "order_no": order_no,
                                           "user_id": assignment.user_id})
        for old in db.session.scalars(select(Appointment).where(
                Appointment.user_id == assignment.user_id, Appointment.role == Role.CURATOR,
                Appointment.scope_id == group.id, Appointment.revoked_at.is_(None))):
            if old.ends_on is None or old.ends_on > last_day:
                old.ends_on = last_day


def revoke(actor: User, appointment: Appointment, last_day: date, reason: str) -> None:
    """End ``appointment`` on ``last_day`` (its role is held through that day); audited, never
    deleted. ``DomainError`` (Russian) when refused."""
    reason = (reason or "").strip()
    if appointment.revoked_at is not None:
        raise DomainError(_("Назначение уже отменено."))
    if not reason:
        raise DomainError(_("Укажите основание: приказ или причину."))
    if len(reason) > 500:
        raise DomainError(_("Основание — не длиннее 500 знаков."))
    if last_day < appointment.starts_on - timedelta(days=1):
        raise DomainError(_("Последний день не может быть раньше дня перед началом назначения "
                            "(%(day)s).", day=appointment.starts_on.strftime("%d.%m.%Y")))
    if appointment.ends_on is not None and last_day > appointment.ends_on:
        raise DomainError(_("Назначение и так заканчивается %(day)s.",
                            day=appointment.ends_on.strftime("%d.%m.%Y")))
    before = _snapshot(appointment)
    appointment.ends_on = last_day
    appointment.revoked_at, appointment.revoked_by_id = utcnow(), actor.id
    appointment.revoke_reason = reason
    user = db.session.get(User, appointment.user_id)
    assignment = _assignment(user, Role(appointment.role), appointment.scope_kind,
                             appointment.scope_id)
    if assignment is not None:
        assignment.ends_on = last_day
    if appointment.scope_kind == ScopeKind.GROUP and last_day < college_today():
        group = db.session.get(Group, appointment.scope_id)
        if group is not None and group.curator_id == user.id:
            _set_group_curator(group, None)
    audit.record("people.appointment.revoke", appointment, actor=actor, before=before,
                 after=_snapshot(appointment), note=reason)


def apply_due(today: date | None = None) -> int:
    """Name each group's curator by the appointments in force ``today`` (a curator appointed
    from a later day becomes the group's named curator on that day); the number changed.
    Rights do not wait for this: they follow the dates at once."""
    today = today or college_today()
    changed = 0
    dated = db.session.scalars(select(RoleAssignment).where(
        RoleAssignment.role == Role.CURATOR, RoleAssignment.scope_kind == ScopeKind.GROUP,
        RoleAssignment.scope_id.is_not(None),
        (RoleAssignment.starts_on.is_not(None)) | (RoleAssignment.ends_on.is_not(None)))).all()
    for assignment in dated:
        group = db.session.get(Group, assignment.scope_id)
        if group is None or group.graduated:
            continue
        if assignment.held_on(today) and group.curator_id != assignment.user_id:
            _set_group_curator(group, assignment.user_id)
            changed += 1
        elif not assignment.held_on(today) and group.curator_id == assignment.user_id:
            _set_group_curator(group, None)
            changed += 1
    return changed


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _snapshot(appointment: Appointment) -> dict:
    return {"user_id": appointment.user_id, "role": appointment.role,
            "scope_kind": appointment.scope_kind, "scope_id": appointment.scope_id,
            "starts_on": _day(appointment.starts_on), "ends_on": _day(appointment.ends_on),
            "order_no": appointment.order_no, "note": appointment.note}


def history() -> list[Appointment]:
    """Every appointment, the latest first (the page's history)."""
    return list(db.session.scalars(select(Appointment).order_by(
        Appointment.starts_on.desc(), Appointment.id.desc())))
