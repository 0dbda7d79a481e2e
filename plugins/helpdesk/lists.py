"""What the helpdesk's pages and blocks list and count: the overdue requests (past
``helpdesk.answer_days``), those awaiting an answer, the author's unseen ones and own list, the
administration's queue, a request's history and a movement request's facts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from core.calendar.clock import college_today, college_zone
from core.extensions import db
from core.params import to_date
from core.people.models import Group, Student, User
from plugins.helpdesk.models import (
    ANSWERED,
    CLOSED,
    IN_WORK,
    MOVEMENT,
    NEW,
    OPEN,
    HelpRequest,
    RequestEntry,
)
from plugins.helpdesk.services import MOVEMENT_TITLES, answer_days

PER_PAGE = 30


def overdue_before(today: date | None = None) -> datetime:
    """Requests waiting since before this instant are overdue: filed on a day more than
    ``helpdesk.answer_days`` calendar days before today (the day of filing is not counted)."""
    today = today or college_today()
    first_day_in_term = today - timedelta(days=answer_days())
    return datetime.combine(first_day_in_term, time.min, tzinfo=college_zone()).astimezone(UTC)


def is_overdue(item: HelpRequest, today: date | None = None) -> bool:
    return item.status in OPEN and item.waiting_since < overdue_before(today)


def overdue(limit: int | None = None) -> tuple[list[HelpRequest], int]:
    """The open requests past their term, oldest first, and how many there are."""
    query = select(HelpRequest).where(HelpRequest.status.in_(OPEN),
                                      HelpRequest.waiting_since < overdue_before()) \
        .order_by(HelpRequest.waiting_since)
    return list(db.session.scalars(query.limit(limit) if limit else query)), overdue_count()


def overdue_count() -> int:
    return db.session.scalar(select(func.count()).select_from(HelpRequest).where(
        HelpRequest.status.in_(OPEN), HelpRequest.waiting_since < overdue_before())) or 0


def open_count() -> int:
    return db.session.scalar(select(func.count()).select_from(HelpRequest)
                             .where(HelpRequest.status.in_(OPEN))) or 0


def unseen_count(user) -> int:
    """The author's requests the administration changed since the author last opened them."""
    return db.session.scalar(select(func.count()).select_from(HelpRequest).where(
        HelpRequest.author_id == user.id, HelpRequest.unseen_by_author.is_(True))) or 0


def mark_seen(user, item: HelpRequest) -> None:
    if item.author_id == user.id and item.unseen_by_author:
        item.unseen_by_author = False
        db.session.commit()


def own_requests(user) -> list[HelpRequest]:
    return list(db.session.scalars(select(HelpRequest).where(HelpRequest.author_id == user.id)
                                   .order_by(HelpRequest.created_at.desc(),
                                             HelpRequest.id.desc())))


#: the queue's filters: all open (the default), one status, or every request
QUEUE_FILTERS = ("open", NEW, IN_WORK, ANSWERED, CLOSED, "all")


def queue(status: str, page: int) -> tuple[list[HelpRequest], int]:
    """The administration's list: open ones oldest first, the others newest first."""
    query = select(HelpRequest)
    if status == "open":
        query = query.where(HelpRequest.status.in_(OPEN)).order_by(HelpRequest.waiting_since)
    else:
        if status != "all":
            query = query.where(HelpRequest.status == status)
        query = query.order_by(HelpRequest.updated_at.desc(), HelpRequest.id.desc())
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE))
    return list(rows), total


def history(item: HelpRequest) -> list[tuple[RequestEntry, str]]:
    """The request's steps, oldest first, with who made each."""
    rows = db.session.execute(
        select(RequestEntry, User).join(User, User.id == RequestEntry.author_id)
        .where(RequestEntry.request_id == item.id).order_by(RequestEntry.at, RequestEntry.id))
    return [(entry, who.short_name) for entry, who in rows]


def names(user_ids) -> dict[int, str]:
    ids = set(user_ids)
    if not ids:
        return {}
    return {user.id: user.full_name for user in db.session.scalars(
        select(User).where(User.id.in_(ids)))}


def movement_facts(item: HelpRequest) -> dict | None:
    """A movement request's order as the curator reported it, for the page."""
    if item.kind != MOVEMENT:
        return None
    details = item.details or {}
    student = db.session.get(Student, item.student_id)
    group = db.session.get(Group, details["to_group_id"]) if details.get("to_group_id") else None
    return {"student": student, "kind": details.get("movement"),
            "kind_title": MOVEMENT_TITLES.get(details.get("movement"), ""),
            "on_date": to_date(details["on_date"]) if details.get("on_date") else None,
            "order_no": details.get("order_no", ""), "to_group": group,
            "movement_id": details.get("movement_id")}


def open_groups() -> list[Group]:
    return list(db.session.scalars(select(Group).where(Group.graduated.is_(False))
                                   .order_by(Group.course, Group.name)))
