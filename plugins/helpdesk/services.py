"""What is done with requests: filing one of the kinds a person may file, the administration's
status changes and answers, the author's closing and reopening, applying a data change (through
``core.people.contacts.edit_contacts``) or a movement (``core.people.movement.move_student``),
and what the pages show of a data change (the lists and counters are in ``lists``). Each step is
a ``RequestEntry`` and an audit row; each change by the administration tells the author
(``RequestStatusChanged``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core import audit, events, policy
from core.errors import DomainError, NotFound
from core.extensions import db
from core.models import utcnow
from core.params import to_date
from core.people import scope
from core.people.contacts import edit_contacts, normalize_email, normalize_phone
from core.people.models import Group, Guardian, Student, User
from core.people.movement import move_student
from core.people.roles import Role
from core.policy import policy_value
from plugins.helpdesk import rights
from plugins.helpdesk.events import RequestStatusChanged
from plugins.helpdesk.models import (
    ANSWERED,
    CLOSED,
    DATA_CHANGE,
    HELP,
    IN_WORK,
    MOVEMENT,
    NEW,
    PROBLEM,
    HelpRequest,
    RequestEntry,
)

KIND_TITLES = {
    HELP: _l("Помощь в работе с журналом"),
    DATA_CHANGE: _l("Изменились мои данные"),
    MOVEMENT: _l("Движение обучающегося"),
    PROBLEM: _l("Сообщение о проблеме"),
}
STATUS_TITLES = {
    NEW: _l("Новое"),
    IN_WORK: _l("В работе"),
    ANSWERED: _l("Дан ответ"),
    CLOSED: _l("Закрыто"),
}
#: the orders a curator reports (BTT 4.2.2, KTIS 3.12); the titles are the core's
MOVEMENT_KINDS = ("transferred", "leave", "returned", "expelled")
MOVEMENT_TITLES = {
    "transferred": _l("Перевод в другую группу"),
    "leave": _l("Академический отпуск"),
    "returned": _l("Восстановление (выход из отпуска)"),
    "expelled": _l("Отчисление"),
}
#: the fields of a data change, as the parent's guardian record names them
CONTACT_FIELDS = {"phone": _l("Телефон"), "email": _l("Электронная почта")}
#: the format of an incident number (the error page's): letters, digits and hyphens
INCIDENT_RE = re.compile(r"^[A-Za-z0-9-]{6,32}$")
#: which status the administration may move a request to from each
HANDLER_MOVES = {
    NEW: (IN_WORK, ANSWERED, CLOSED),
    IN_WORK: (ANSWERED, CLOSED),
    ANSWERED: (CLOSED,),
    CLOSED: (),
}
MAX_SUBJECT = 200
MAX_BODY = 5000


@dataclass(frozen=True)
class Draft:
    """What a person filled in the form of a new request (the fields of the other kinds are
    ignored)."""

    kind: str
    subject: str = ""
    body: str = ""
    incident: str = ""
    phone: str = ""
    email: str = ""
    student_id: int | None = None
    movement: str = ""
    on_date: date | None = None
    order_no: str = ""
    to_group_id: int | None = None


@dataclass(frozen=True)
class DiffRow:
    """A field of a data change: its value when the request was filed, the requested one, and
    the one the record holds now (it may have changed since)."""

    field: str
    title: str
    old: str | None
    new: str | None
    current: str | None


def answer_days() -> int:
    """The term to answer, in calendar days after the day of filing (a negative value set by
    hand counts as 0: overdue from the next day)."""
    return max(0, int(policy_value("helpdesk.answer_days")))


def guardian_of(user) -> Guardian | None:
    """The guardian record of a parent's account (what «my data» means for a data change)."""
    if not user.is_authenticated or not user.has_role(Role.PARENT):
        return None
    return db.session.scalar(select(Guardian).where(Guardian.user_id == user.id))


def curated_students(user) -> list[tuple[int, str]]:
    """(id, «name (status)») of the students who are or were in the groups ``user`` curates
    (one on academic leave has left the group but is still the curator's to report on)."""
    from core.people.models import GroupMembership
    from core.people.movement import STATUS_TITLES as STUDENT_STATUSES

    groups = scope.curated_group_ids(user)
    if not groups:
        return []
    rows = db.session.scalars(
        select(Student).where(
            Student.id.in_(select(GroupMembership.student_id)
                           .where(GroupMembership.group_id.in_(groups))),
            Student.status != "graduated")
        .order_by(Student.last_name, Student.first_name, Student.middle_name))
    return [(student.id, f"{student.full_name} ({STUDENT_STATUSES[student.status]})".strip())
            for student in rows]


def kinds_for(user) -> list[str]:
    """The kinds ``user`` may file: help and problems anyone; a data change a parent with a
    guardian record; a movement a curator of a group."""
    kinds = [HELP]
    if guardian_of(user) is not None:
        kinds.append(DATA_CHANGE)
    if user.has_role(Role.CURATOR) and scope.curated_group_ids(user):
        kinds.append(MOVEMENT)
    kinds.append(PROBLEM)
    return kinds


def valid_incident(value: str) -> bool:
    return bool(INCIDENT_RE.match(value or ""))


def _contact_change(guardian: Guardian, draft: Draft) -> dict[str, dict[str, str | None]]:
    try:
        wanted = {"phone": normalize_phone(draft.phone) if draft.phone.strip() else None,
                  "email": normalize_email(draft.email) if draft.email.strip() else None}
    except ValueError as exc:
        raise DomainError(str(exc)) from None
    return {name: {"old": getattr(guardian, name), "new": value}
            for name, value in wanted.items()
            if value is not None and value != getattr(guardian, name)}


def _movement_details(user, draft: Draft) -> dict:
    if draft.student_id is None:
        raise DomainError(_("Выберите обучающегося."))
    if draft.student_id not in dict(curated_students(user)):
        raise NotFound(_("Такой страницы нет или она вам недоступна."))
    if draft.movement not in MOVEMENT_KINDS:
        raise DomainError(_("Выберите, что произошло."))
    if draft.on_date is None:
        raise DomainError(_("Укажите дату приказа (или ожидаемую дату)."))
    to_group_id = draft.to_group_id if draft.movement in ("transferred", "returned") else None
    if to_group_id is not None and db.session.get(Group, to_group_id) is None:
        raise DomainError(_("Выберите группу из списка."))
    return {"movement": draft.movement, "on_date": draft.on_date.isoformat(),
            "order_no": draft.order_no.strip()[:40], "to_group_id": to_group_id}


def _default_subject(kind: str, details: dict, student: Student | None) -> str:
    if kind == MOVEMENT and student is not None:
        return f"{MOVEMENT_TITLES[details['movement']]}: {student.full_name}"
    return str(KIND_TITLES[kind])


def file_request(user: User, draft: Draft, at: datetime | None = None) -> HelpRequest:
    """File ``draft`` as ``user``'s request; refuse (``DomainError``, Russian) what cannot be."""
    at = at or utcnow()
    if draft.kind not in kinds_for(user):
        raise DomainError(_("Выберите вид обращения из списка."))
    subject, body = draft.subject.strip(), draft.body.strip()
    if len(subject) > MAX_SUBJECT or len(body) > MAX_BODY:
        raise DomainError(_("Тема — до %(subject)s знаков, текст — до %(body)s.",
                            subject=MAX_SUBJECT, body=MAX_BODY))
    incident = draft.incident.strip() or None
    details: dict = {}
    guardian_id = student_id = None
    student = None
    if draft.kind == PROBLEM and incident is not None and not valid_incident(incident):
        raise DomainError(_("Номер инцидента — от 6 до 32 латинских букв, цифр и дефисов, как "
                            "на странице ошибки."))
    if draft.kind != PROBLEM:
        incident = None
    if draft.kind == DATA_CHANGE:
        guardian = guardian_of(user)
        details = {"fields": _contact_change(guardian, draft)}
        if not details["fields"] and not body:
            raise DomainError(_("Укажите новый телефон или адрес почты (они должны отличаться "
                                "от нынешних) или опишите, что изменилось."))
        guardian_id = guardian.id
    elif draft.kind == MOVEMENT:
        details = _movement_details(user, draft)
        student_id = draft.student_id
        student = db.session.get(Student, student_id)
    elif not body and not (draft.kind == PROBLEM and incident):
        raise DomainError(_("Опишите, с чем нужна помощь.") if draft.kind == HELP
                          else _("Опишите, что произошло."))
    item = HelpRequest(author_id=user.id, kind=draft.kind, status=NEW,
                       subject=subject or _default_subject(draft.kind, details, student),
                       body=body, incident=incident, guardian_id=guardian_id,
                       student_id=student_id, details=details, created_at=at,
                       waiting_since=at, updated_at=at)
    db.session.add(item)
    db.session.flush()
    db.session.add(RequestEntry(request_id=item.id, author_id=user.id, at=at, action="filed",
                                status_to=NEW))
    audit.record("helpdesk.request.filed", item, actor=user,
                 after={"kind": item.kind, "subject": item.subject, "incident": incident})
    return item


def request_or_404(user, request_id: int) -> HelpRequest:
    """The request if ``user`` may see it (``core.people.scope``), else ``NotFound``."""
    return scope.require(user, db.session.get(HelpRequest, request_id), scope.VIEW)


def _step(user, item: HelpRequest, action: str, status: str, text: str, at: datetime,
          notify: bool = True) -> None:
    before = item.status
    item.status, item.updated_at = status, at
    entry = RequestEntry(request_id=item.id, author_id=user.id, at=at, action=action,
                         status_from=before, status_to=status, text=text)
    db.session.add(entry)
    audit.record(f"helpdesk.request.{action}", item, actor=user,
                 before={"status": before}, after={"status": status, "text": text})
    if user.id != item.author_id:
        item.unseen_by_author = True
        db.session.flush()
        if not notify:
            return
        events.emit(RequestStatusChanged(
            recipient_ids=(item.author_id,), endpoint="helpdesk.detail",
            values={"request_id": item.id}, request_id=item.id, number=item.id,
            subject=item.subject, status=status, status_title=str(STATUS_TITLES[status]),
            key=f"helpdesk-entry:{entry.id}"))


def change_status(user, item: HelpRequest, status: str, text: str = "",
                  at: datetime | None = None, notify: bool = True) -> None:
    """The administration moves ``item`` to ``status`` (an answer needs its text); the author
    is told unless ``notify`` is false (the demo)."""
    if not rights.may_handle(user):
        raise DomainError(_("Отвечать на обращения может администратор журнала."), 403)
    text = (text or "").strip()
    if len(text) > MAX_BODY:
        raise DomainError(_("Ответ — до %(max)s знаков.", max=MAX_BODY))
    if status not in STATUS_TITLES:
        raise DomainError(_("Выберите статус из списка."))
    if status not in HANDLER_MOVES[item.status]:
        raise DomainError(_("Из статуса «%(now)s» в «%(then)s» перевести нельзя.",
                            now=STATUS_TITLES[item.status],
                            then=STATUS_TITLES[status]), 409)
    if status == ANSWERED and not text:
        raise DomainError(_("Напишите ответ."))
    _step(user, item, "status", status, text, at or utcnow(), notify)


def close_own(user, item: HelpRequest, at: datetime | None = None) -> None:
    """The author closes their request (answered, or no longer needed)."""
    if item.author_id != user.id:
        raise NotFound(_("Такой страницы нет или она вам недоступна."))
    if item.status == CLOSED:
        raise DomainError(_("Обращение уже закрыто."), 409)
    _step(user, item, "status", CLOSED, "", at or utcnow())


def reopen(user, item: HelpRequest, text: str, at: datetime | None = None) -> None:
    """The author reopens an answered or closed request; the term to answer starts again."""
    if item.author_id != user.id:
        raise NotFound(_("Такой страницы нет или она вам недоступна."))
    if item.status not in (ANSWERED, CLOSED):
        raise DomainError(_("Обращение ещё не рассмотрено: открыть его снова нельзя."), 409)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Напишите, что осталось нерешённым."))
    if len(text) > MAX_BODY:
        raise DomainError(_("Текст — до %(max)s знаков.", max=MAX_BODY))
    at = at or utcnow()
    item.waiting_since = at
    _step(user, item, "reopened", NEW, text, at)


def diff_rows(item: HelpRequest) -> list[DiffRow]:
    """The fields a data change asks for, with the guardian record's current values."""
    if item.kind != DATA_CHANGE or item.guardian_id is None:
        return []
    guardian = db.session.get(Guardian, item.guardian_id)
    return [DiffRow(name, str(CONTACT_FIELDS[name]), change["old"], change["new"],
                    getattr(guardian, name))
            for name, change in (item.details or {}).get("fields", {}).items()]


def applicable(item: HelpRequest) -> bool:
    """Whether the request carries something to apply and it was not applied yet."""
    if item.applied_at is not None or item.status == CLOSED:
        return False
    if item.kind == DATA_CHANGE:
        return bool((item.details or {}).get("fields"))
    return item.kind == MOVEMENT


def _apply_data_change(user, item: HelpRequest) -> str:
    guardian = scope.require(user, db.session.get(Guardian, item.guardian_id), scope.MANAGE)
    decision = policy.check("people.contacts.edit", user, guardian)
    if not decision:
        raise DomainError(decision.reason, decision.status)
    fields = item.details["fields"]
    wanted = {name: fields[name]["new"] if name in fields else getattr(guardian, name)
              for name in CONTACT_FIELDS}
    try:
        changed = edit_contacts(guardian, wanted["phone"], wanted["email"], actor=user,
                                note=_("По обращению №%(number)s", number=item.id)
                                + f" (helpdesk.request:{item.id})")
    except ValueError as exc:
        raise DomainError(str(exc)) from None
    if not changed:
        return _("Данные уже совпадают с указанными в обращении.")
    changes = "; ".join(f"{CONTACT_FIELDS[name]}: {change['old'] or '—'} → "
                        f"{change['new'] or '—'}" for name, change in changed.items())
    return _("Данные изменены: %(changes)s.", changes=changes)


def _apply_movement(user, item: HelpRequest, on_date: date | None, order_no: str,
                    to_group_id: int | None) -> str:
    student = scope.student_or_404(user, item.student_id, scope.MANAGE)
    details = item.details or {}
    kind = details["movement"]
    to_group = db.session.get(Group, to_group_id) if to_group_id else None
    movement = move_student(student, kind, on_date or to_date(details["on_date"]),
                            order_no or details.get("order_no", ""), user, to_group=to_group,
                            note=_("По обращению №%(number)s", number=item.id))
    item.details = {**details, "movement_id": movement.id}
    day = movement.on_date.strftime("%d.%m.%Y")
    return _("Приказ проведён: %(kind)s, %(day)s, № %(order)s.",
             kind=MOVEMENT_TITLES[kind], day=day, order=movement.order_no)


def apply(user, item: HelpRequest, at: datetime | None = None, on_date: date | None = None,
          order_no: str = "", to_group_id: int | None = None, notify: bool = True) -> str:
    """Carry out a data change or a movement the request asks for, as the administrator; the
    request is answered with what was done. Return that answer."""
    if not rights.may_handle(user):
        raise DomainError(_("Применять обращения может администратор журнала."), 403)
    if not applicable(item):
        raise DomainError(_("Это обращение уже применено или применять в нём нечего."), 409)
    at = at or utcnow()
    if item.kind == DATA_CHANGE:
        answer = _apply_data_change(user, item)
    else:
        answer = _apply_movement(user, item, on_date, (order_no or "").strip(), to_group_id)
    item.applied_at, item.applied_by_id = at, user.id
    if item.status == ANSWERED:  # answered before, applied now: the status stays
        audit.record("helpdesk.request.applied", item, actor=user,
                     before={"status": ANSWERED}, after={"status": ANSWERED, "text": answer})
        item.updated_at = at
        db.session.add(RequestEntry(request_id=item.id, author_id=user.id, at=at,
                                    action="applied", status_from=ANSWERED, status_to=ANSWERED,
                                    text=answer))
    else:
        _step(user, item, "applied", ANSWERED, answer, at, notify)
    return answer
