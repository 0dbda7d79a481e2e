"""The answer rule (BTT 3.8: «дают ответы на консультативные вопросы родителей ... в течение
3-х дней»): a family's message waits for staff until someone of the staff side answers it (or
closes it as needing no answer); with ``messaging.answer_days`` above 0 it has a deadline, a
reminder goes to the addressee the day before, and a late one shows in the control report.

Days are calendar days: the clause says «в течение 3-х дней», not «рабочих дней», and a term in
days not called working days counts every calendar day. So Sundays and the holidays of the
college calendar (``core.calendar``) count like any other day and never move the deadline. The
term runs from the day after the message came (college time): a message of Monday 20:00 with 3
days is due by the end of Thursday. A family message written while an earlier one still waits
starts no new term.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select, update

from core import events
from core.calendar.clock import college_day, college_today, college_zone
from core.extensions import db
from core.models import utcnow
from core.people import scope
from core.people.models import User, short_names
from core.policy import policy_value
from plugins.messaging.events import MessageReminder
from plugins.messaging.models import Message, Participant, Thread

if TYPE_CHECKING:
    from core.people.models import UserLike


def answer_days() -> int:
    return int(policy_value("messaging.answer_days") or 0)


def due_on(received: datetime) -> date | None:
    """The last day to answer a family's message received at ``received``, or ``None`` where
    the policy sets no term (KTIS)."""
    days = answer_days()
    if days <= 0:
        return None
    return college_day(received) + timedelta(days=days)


def _waiting(thread_id: int):
    return (Message.thread_id == thread_id) & Message.awaits_answer.is_(True) \
        & Message.answered_at.is_(None)


def after_message(thread: Thread, message: Message, author: User, at: datetime) -> None:
    """A family's message starts waiting unless one already waits; anyone else's answers it."""
    if scope.is_family(author):
        if db.session.scalar(select(Message.id).where(_waiting(thread.id),
                                                      Message.id != message.id)) is None:
            message.awaits_answer = True
            message.due_on = due_on(at)
        return
    if thread.message_count > 1:  # a conversation's first message answers nothing
        db.session.execute(update(Message).where(_waiting(thread.id)).values(
            answered_at=at, answered_by_id=author.id, answer_kind="reply"))


def close_without_answer(user: User, thread: Thread, at: datetime | None = None) -> int:
    """Staff mark the waiting message as needing no answer (a «спасибо»); audited."""
    from core import audit

    at = at or utcnow()
    waiting = list(db.session.scalars(select(Message).where(_waiting(thread.id))))
    for message in waiting:
        message.answered_at, message.answered_by_id = at, user.id
        message.answer_kind = "not_needed"
        audit.record("messaging.no_answer_needed", message, after={"thread_id": thread.id})
    return len(waiting)


def waiting_message(thread: Thread) -> Message | None:
    return db.session.scalar(select(Message).where(_waiting(thread.id)))


@dataclass(frozen=True)
class Waiting:
    thread_id: int
    subject: str
    author: str
    received_at: datetime
    due_on: date | None
    #: days left to the deadline (0 on its last day, negative when late)
    days_left: int | None


def waiting_for(user: UserLike, today: date | None = None) -> list[Waiting]:
    """The families' messages waiting for ``user``'s answer: in their conversations and in those
    written to their role that nobody has taken up; oldest first (two queries)."""
    if not user.is_authenticated or scope.is_family(user):
        return []
    today = today or college_today()
    where = Message.thread_id.in_(select(Participant.thread_id)
                                  .where(Participant.user_id == user.id))
    roles = [role for role in scope.ADDRESSABLE_ROLES if scope.holds_role(user, role)]
    if roles:
        where = where | Message.thread_id.in_(select(Thread.id).where(
            Thread.to_role.in_(roles), Thread.taken_by_id.is_(None)))
    rows = db.session.execute(
        select(Message.thread_id, Thread.subject, Message.author_id, Message.created_at,
               Message.due_on).join(Thread, Thread.id == Message.thread_id)
        .where(where, Message.awaits_answer.is_(True), Message.answered_at.is_(None),
               Message.author_id != user.id)
        .order_by(Message.created_at).limit(50)).all()
    names = short_names(row.author_id for row in rows)
    return [Waiting(row.thread_id, row.subject, names.get(row.author_id, ""), row.created_at,
                    row.due_on, None if row.due_on is None else (row.due_on - today).days)
            for row in rows]


# --- the reminder the day before ---------------------------------------------------------------


def send_reminders(now: datetime | None = None) -> int:
    """Remind the addressees of every waiting message due tomorrow (or today, if the worker was
    down yesterday): once per message (``reminded_at``, and the outbox's key), through the
    ``message.reminder`` event. A scheduled job: safe to run every hour."""
    from plugins.messaging import services

    if answer_days() <= 0:
        return 0
    now = now or utcnow()
    today = college_day(now)
    due = list(db.session.scalars(select(Message).where(
        Message.awaits_answer.is_(True), Message.answered_at.is_(None),
        Message.reminded_at.is_(None), Message.due_on.is_not(None),
        Message.due_on >= today, Message.due_on <= today + timedelta(days=1))
        .order_by(Message.id)))
    for message in due:
        thread = db.session.get(Thread, message.thread_id)
        events.emit(MessageReminder(
            message_id=message.id, thread_id=thread.id, subject=thread.subject,
            due_on=message.due_on, recipient_ids=tuple(services.staff_side(thread,
                                                                           message.author_id)),
            endpoint="messaging.thread", values={"thread_id": thread.id}))
        message.reminded_at = now
    db.session.commit()
    return len(due)


# --- the control report -------------------------------------------------------------------------


@dataclass(frozen=True)
class Late:
    message_id: int
    thread_id: int
    subject: str
    author_id: int
    received_at: datetime
    due_on: date
    answered_at: datetime | None
    answered_by_id: int | None
    answer_kind: str
    #: days past the deadline: until the answer, or until today when there is none
    days_late: int


def _instant(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=college_zone())


def late(start: date, end: date, today: date | None = None) -> list[Late]:
    """Families' messages received between two days (college time) that were not answered by
    their deadline: still waiting past it, or answered after it."""
    today = today or college_today()
    rows = db.session.execute(
        select(Message.id, Message.thread_id, Thread.subject, Message.author_id,
               Message.created_at, Message.due_on, Message.answered_at, Message.answered_by_id,
               Message.answer_kind).join(Thread, Thread.id == Message.thread_id)
        .where(Message.awaits_answer.is_(True), Message.due_on.is_not(None),
               Message.created_at >= _instant(start),
               Message.created_at < _instant(end + timedelta(days=1)))
        .order_by(Message.created_at)).all()
    found = []
    for row in rows:
        answered_day = college_day(row.answered_at) if row.answered_at else None
        until = answered_day or today
        if until <= row.due_on:
            continue
        found.append(Late(row.id, row.thread_id, row.subject, row.author_id, row.created_at,
                          row.due_on, row.answered_at, row.answered_by_id, row.answer_kind,
                          (until - row.due_on).days))
    return found


def others(authors: dict[int, int]) -> dict[int, list[int]]:
    """The participants of each conversation (thread id → the family member waiting) but the
    one waiting, in the order they joined (one query)."""
    people: dict[int, list[int]] = {}
    for thread_id, user_id in db.session.execute(
            select(Participant.thread_id, Participant.user_id)
            .where(Participant.thread_id.in_(authors)).order_by(Participant.joined_at)):
        if user_id != authors[thread_id]:
            people.setdefault(thread_id, []).append(user_id)
    return people


def addressees(authors: dict[int, int]) -> dict[int, str]:
    """The staff side of each conversation (thread id → the family member waiting), as the
    report names it: the other participants, and the role it was written to."""
    from plugins.messaging.services import role_title

    if not authors:
        return {}
    threads = {t.id: t for t in db.session.scalars(select(Thread).where(
        Thread.id.in_(authors)))}
    people = others(authors)
    names = short_names({u for users in people.values() for u in users})
    found = {}
    for thread_id, thread in threads.items():
        staff = [names[u] for u in people.get(thread_id, ()) if u in names]
        if thread.to_role:
            staff = [role_title(thread.to_role), *staff]
        found[thread_id] = ", ".join(staff)
    return found
