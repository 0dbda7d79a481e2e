"""Conversations: starting one with someone of the address book (``core.people.scope``),
replying, reading (receipts), the inbox with search and unread counts, letters to many.

Every message raises ``message.sent`` with the accounts to tell (the conversation's other
participants, or the role's members while none of them has taken it up); the notification
plugins turn it into mail and SMS through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, or_, select

from core import events, params
from core.errors import NotFound
from core.extensions import db
from core.models import utcnow
from core.people import scope
from core.people.models import User, short_name, short_names
from core.uploads import store as store_files
from plugins.messaging import answers, attachments
from plugins.messaging.events import MessageSent
from plugins.messaging.models import Attachment, Letter, Message, Participant, Receipt, Thread

if TYPE_CHECKING:
    from core.people.models import UserLike

MAX_SUBJECT = 200
MAX_BODY = 10_000
PER_PAGE = 30
ROLE_TITLES = {"administration": _l("Администрация колледжа")}


def role_title(role: str) -> str:
    return str(ROLE_TITLES.get(role, role))


def _not_found() -> NotFound:
    return NotFound(_("Такой страницы нет или она вам недоступна."))


# --- who reads a conversation -------------------------------------------------------------------


def may_read(user: UserLike, thread: Thread) -> bool:
    """Its participants, and for one written to a role, whoever holds the role."""
    if not user.is_authenticated:
        return False
    if thread.to_role and scope.holds_role(user, thread.to_role):
        return True
    return db.session.get(Participant, (thread.id, user.id)) is not None


def thread_or_404(user: User, thread_id: int) -> Thread:
    return scope.require(user, db.session.get(Thread, thread_id))


def participant_ids(thread: Thread) -> set[int]:
    return set(db.session.scalars(select(Participant.user_id)
                                  .where(Participant.thread_id == thread.id)))


def recipients(thread: Thread, author_id: int) -> list[int]:
    """Whom a new message of ``author_id`` concerns: the other participants, and the role's
    members while none of them has taken the conversation up."""
    found = participant_ids(thread)
    if thread.to_role and thread.taken_by_id is None:
        found |= set(scope.role_holder_ids(thread.to_role))
    return sorted(found - {author_id})


def staff_side(thread: Thread, family_id: int) -> list[int]:
    """Who is to answer a family member in ``thread`` (the reminder's addressees)."""
    return recipients(thread, family_id)


# --- writing ------------------------------------------------------------------------------------


def clean_subject(value: str | None) -> str:
    return " ".join(params.required_text(
        value, MAX_SUBJECT, _("Укажите тему сообщения."),
        _("Тема — не длиннее %(count)s знаков.", count=MAX_SUBJECT)).split())


def clean_body(value: str | None) -> str:
    return params.required_text(
        value, MAX_BODY, _("Напишите текст сообщения."),
        _("Сообщение — не длиннее %(count)s знаков.", count=MAX_BODY))


def _announce(thread: Thread, message: Message, author: User,
              to: list[int] | None = None) -> None:
    events.emit(MessageSent(
        message_id=message.id, thread_id=thread.id, author_id=author.id,
        author_name=author.short_name, subject=thread.subject,
        recipient_ids=tuple(recipients(thread, author.id) if to is None else to),
        letter=thread.letter_id is not None, endpoint="messaging.thread",
        values={"thread_id": thread.id}))


def _add(thread: Thread, author: User, body: str, uploads, at: datetime,
         letter_id: int | None = None) -> Message:
    message = Message(thread_id=thread.id, author_id=author.id, body=body, letter_id=letter_id,
                      folded=(thread.subject + "\n" + body).casefold()
                      if thread.message_count == 0 else body.casefold(), created_at=at)
    db.session.add(message)
    db.session.flush()
    store_files(Attachment, uploads, at, message_id=message.id)
    thread.message_count += 1
    thread.last_message_at = at
    answers.after_message(thread, message, author, at)
    return message


def parse_recipient(value: str | None) -> tuple[str, int | str]:
    """A recipient of the form: ``user:<id>`` or ``role:<name>``; anything else is a 404."""
    kind, _sep, rest = (value or "").partition(":")
    user_id = params.parse_id(rest) if kind == "user" else None
    if user_id is not None:
        return "user", user_id
    if kind == "role" and rest in scope.ADDRESSABLE_ROLES:
        return "role", rest
    raise _not_found()


def start(author: User, to: str, subject: str, body: str, files=(), at: datetime | None = None,
          notify: bool = True, on: date | None = None) -> Thread:
    """A new conversation of ``author`` with someone of their address book (on the day ``on``,
    today by default) or a role; someone outside it, by a forged id, is a 404."""
    kind, target = parse_recipient(to)
    if kind == "user" and not scope.may_write(author, target, on):
        raise _not_found()
    if kind == "role" and not scope.may_write_role(author, target):
        raise _not_found()
    subject, body = clean_subject(subject), clean_body(body)
    uploads = attachments.check(files)
    at = at or utcnow()
    thread = Thread(subject=subject, started_by_id=author.id, created_at=at, last_message_at=at,
                    to_role=target if kind == "role" else None)
    db.session.add(thread)
    db.session.flush()
    db.session.add(Participant(thread_id=thread.id, user_id=author.id, joined_at=at))
    if kind == "user":
        db.session.add(Participant(thread_id=thread.id, user_id=target, joined_at=at))
    db.session.flush()
    message = _add(thread, author, body, uploads, at)
    if notify:
        _announce(thread, message, author)
    return thread


def deliver_copy(letter: Letter, author: User, recipient_id: int, at: datetime,
                 notify: bool = True) -> Thread:
    """A letter's copy for one recipient: a conversation of the two, answered privately."""
    thread = Thread(subject=letter.subject, started_by_id=author.id, letter_id=letter.id,
                    created_at=at, last_message_at=at)
    db.session.add(thread)
    db.session.flush()
    db.session.add_all([Participant(thread_id=thread.id, user_id=author.id, joined_at=at),
                        Participant(thread_id=thread.id, user_id=recipient_id, joined_at=at)])
    message = _add(thread, author, letter.body, (), at, letter_id=letter.id)
    if notify:
        _announce(thread, message, author, [recipient_id])
    return thread


def reply(author: User, thread: Thread, body: str, files=(), at: datetime | None = None,
          notify: bool = True) -> Message:
    """A reply in a conversation ``author`` may read; a role's member who answers joins it, and
    the first one keeps it."""
    if not may_read(author, thread):
        raise _not_found()
    body = clean_body(body)
    uploads = attachments.check(files)
    at = at or utcnow()
    if db.session.get(Participant, (thread.id, author.id)) is None:
        db.session.add(Participant(thread_id=thread.id, user_id=author.id, joined_at=at))
        if thread.taken_by_id is None:
            thread.taken_by_id = author.id
        db.session.flush()
    message = _add(thread, author, body, uploads, at)
    if notify:
        _announce(thread, message, author)
    return message


# --- reading ------------------------------------------------------------------------------------


def _insert_ignoring_duplicates(model, rows: list[dict]) -> None:
    """Insert rows, skipping those already there (two tabs reading at once)."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(insert(model).values(rows).on_conflict_do_nothing())


def _unread(user):
    return ~exists().where(Receipt.message_id == Message.id, Receipt.user_id == user.id)


def mark_read(user: User, thread: Thread, at: datetime | None = None) -> int:
    """Record that ``user`` read every message of ``thread`` written by others; how many were new."""
    ids = list(db.session.scalars(select(Message.id).where(
        Message.thread_id == thread.id, Message.author_id != user.id, _unread(user))))
    if ids:
        at = at or utcnow()
        _insert_ignoring_duplicates(Receipt, [{"message_id": i, "user_id": user.id, "read_at": at}
                                              for i in ids])
    return len(ids)


def _mine(user):
    return select(Participant.thread_id).where(Participant.user_id == user.id)


def _roles(user) -> list[str]:
    return [role for role in scope.ADDRESSABLE_ROLES if scope.holds_role(user, role)]


def unread_count(user: UserLike) -> int:
    """Messages by others not yet read in the user's conversations (and in those written to
    their role that nobody has taken up): one query, for the menu."""
    if not user.is_authenticated:
        return 0
    where = Message.thread_id.in_(_mine(user))
    roles = _roles(user)
    if roles:
        where = or_(where, Message.thread_id.in_(select(Thread.id).where(
            Thread.to_role.in_(roles), Thread.taken_by_id.is_(None))))
    return db.session.scalar(select(func.count(Message.id)).where(
        where, Message.author_id != user.id, _unread(user))) or 0


@dataclass(frozen=True)
class ThreadRow:
    id: int
    subject: str
    with_whom: str
    last_message_at: datetime
    messages: int
    unread: int
    letter: bool


def _visible(user):
    where = Thread.id.in_(_mine(user))
    roles = _roles(user)
    if roles:
        where = or_(where, Thread.to_role.in_(roles))
    # a letter's copies stay on the letter's page until the recipient answers
    return where & ~((Thread.letter_id.is_not(None)) & (Thread.started_by_id == user.id)
                     & (Thread.message_count < 2))


def _like(query: str) -> str:
    escaped = query.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def inbox(user: User, query: str = "", page: int = 1) -> tuple[list[ThreadRow], int]:
    """A page of the user's conversations, newest first, those with a message containing
    ``query`` when given; and how many there are."""
    where = _visible(user)
    query = " ".join((query or "").split())[:100]
    if query:
        where = where & Thread.id.in_(select(Message.thread_id).where(
            Message.folded.like(_like(query), escape="\\")))
    total = db.session.scalar(select(func.count(Thread.id)).where(where)) or 0
    threads = list(db.session.scalars(select(Thread).where(where).order_by(
        Thread.last_message_at.desc(), Thread.id.desc()).limit(PER_PAGE)
        .offset(max(page - 1, 0) * PER_PAGE)))
    ids = [t.id for t in threads]
    unread = dict(db.session.execute(
        select(Message.thread_id, func.count(Message.id))
        .where(Message.thread_id.in_(ids), Message.author_id != user.id, _unread(user))
        .group_by(Message.thread_id)).all()) if ids else {}
    names = _counterparts(user, threads)
    return [ThreadRow(t.id, t.subject, names.get(t.id, ""), t.last_message_at, t.message_count,
                      unread.get(t.id, 0), t.letter_id is not None) for t in threads], total


def _counterparts(user, threads: list[Thread]) -> dict[int, str]:
    """«with whom» of each conversation: the other participants, or the role."""
    ids = [t.id for t in threads]
    if not ids:
        return {}
    people: dict[int, list[str]] = {}
    for thread_id, last, first, middle in db.session.execute(
            select(Participant.thread_id, User.last_name, User.first_name, User.middle_name)
            .join(User, User.id == Participant.user_id)
            .where(Participant.thread_id.in_(ids), Participant.user_id != user.id)
            .order_by(Participant.joined_at)):
        people.setdefault(thread_id, []).append(short_name(last, first, middle))
    found = {}
    for thread in threads:
        names = people.get(thread.id, [])
        if thread.to_role:
            role = role_title(thread.to_role)
            found[thread.id] = ", ".join([role, *names]) if names else role
        else:
            found[thread.id] = ", ".join(names)
    return found


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    filename: str
    size: int


@dataclass(frozen=True)
class MessageRow:
    id: int
    author_id: int
    author: str
    body: str
    created_at: datetime
    attachments: list[AttachmentRow]
    #: (who, when) of the others who read it, for its author
    read_by: list[tuple[str, datetime]]


def messages(user: User, thread: Thread) -> list[MessageRow]:
    """The conversation's messages in order, with attachments and who read them (four queries)."""
    found = list(db.session.execute(
        select(Message.id, Message.author_id, Message.body, Message.created_at, Message.letter_id)
        .where(Message.thread_id == thread.id).order_by(Message.created_at, Message.id)))
    ids = [row.id for row in found]
    letters = {row.letter_id for row in found if row.letter_id}
    files: dict[tuple[str, int], list[AttachmentRow]] = {}
    if ids:
        condition = Attachment.message_id.in_(ids)
        if letters:
            condition = or_(condition, Attachment.letter_id.in_(letters))
        for att_id, message_id, letter_id, name, size in db.session.execute(
                select(Attachment.id, Attachment.message_id, Attachment.letter_id,
                       Attachment.filename, Attachment.size).where(condition)
                .order_by(Attachment.id)):
            key = ("message", message_id) if message_id else ("letter", letter_id)
            files.setdefault(key, []).append(AttachmentRow(att_id, name, size))
    readers: dict[int, list[tuple[str, datetime]]] = {}
    if ids:
        for message_id, last, first, middle, read_at in db.session.execute(
                select(Receipt.message_id, User.last_name, User.first_name, User.middle_name,
                       Receipt.read_at).join(User, User.id == Receipt.user_id)
                .where(Receipt.message_id.in_(ids)).order_by(Receipt.read_at)):
            readers.setdefault(message_id, []).append((short_name(last, first, middle), read_at))
    authors = short_names(row.author_id for row in found)
    return [MessageRow(row.id, row.author_id, authors.get(row.author_id, ""), row.body,
                       row.created_at,
                       files.get(("message", row.id), []) + files.get(("letter", row.letter_id),
                                                                        []),
                       readers.get(row.id, []) if row.author_id == user.id else [])
            for row in found]


def attachment_or_404(user: User, attachment_id: int) -> Attachment:
    """A file of a message (or letter) the user may read."""
    found = db.session.get(Attachment, attachment_id)
    if found is None:
        raise _not_found()
    if found.message_id is not None:
        thread_id = db.session.scalar(select(Message.thread_id)
                                      .where(Message.id == found.message_id))
        thread_or_404(user, thread_id)
        return found
    letter = db.session.get(Letter, found.letter_id)
    if letter.sender_id == user.id:
        return found
    copy = db.session.scalar(select(Thread.id).join(
        Participant, Participant.thread_id == Thread.id).where(
        Thread.letter_id == letter.id, Participant.user_id == user.id).limit(1))
    if copy is None:
        raise _not_found()
    return found


def inbox_title(user: User, thread: Thread) -> str:
    """«with whom» of one conversation, as the inbox names it."""
    return _counterparts(user, [thread]).get(thread.id, "")
