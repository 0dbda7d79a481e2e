"""Letters to many: a curator to the parents (or students) of their group, a teacher to the
families of a group they teach, the administration to a course or the whole college. Each
recipient gets their own copy, a conversation with the sender, and answers privately; the
sender sees who read it, when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from core import params
from core.errors import DomainError, NotFound
from core.extensions import db
from core.models import utcnow
from core.people import scope
from core.people.models import Group, User, full_name
from core.uploads import store as store_files
from plugins.messaging import attachments, services
from plugins.messaging.models import Attachment, Letter, Message, Participant, Receipt, Thread


@dataclass(frozen=True)
class Audience:
    kind: str  # "parents" or "students"
    group_id: int | None = None
    course: int | None = None

    @property
    def value(self) -> str:
        where = (f"group:{self.group_id}" if self.group_id is not None
                 else f"course:{self.course}" if self.course is not None else "college:")
        return f"{where}:{self.kind}"


def parse_audience(value: str | None) -> Audience:
    """``group:<id>:parents``, ``course:<n>:students``, ``college::parents``; else a 404."""
    where, _sep, rest = (value or "").partition(":")
    target, _sep, kind = rest.partition(":")
    if kind not in scope.LETTER_KINDS:
        raise NotFound(_("Такой страницы нет или она вам недоступна."))
    number = params.parse_id(target)
    if where == "group" and number is not None:
        return Audience(kind, group_id=number)
    if where == "course" and number is not None and 1 <= number <= 6:
        return Audience(kind, course=number)
    if where == "college" and not target:
        return Audience(kind)
    raise NotFound(_("Такой страницы нет или она вам недоступна."))


def describe(audience: Audience, groups: dict[int, str] | None = None) -> str:
    groups = groups or {}
    if audience.group_id is not None:
        name = groups.get(audience.group_id) or db.session.scalar(
            select(Group.name).where(Group.id == audience.group_id)) or ""
        return (_("Родителям группы %(group)s", group=name) if audience.kind == "parents"
                else _("Обучающимся группы %(group)s", group=name))
    if audience.course is not None:
        return (_("Родителям обучающихся %(course)s курса", course=audience.course)
                if audience.kind == "parents"
                else _("Обучающимся %(course)s курса", course=audience.course))
    return (_("Родителям всех обучающихся колледжа") if audience.kind == "parents"
            else _("Всем обучающимся колледжа"))


def audiences(user: User) -> dict[str, list[tuple[str, str]]]:
    """The audiences ``user`` may write a letter to, grouped for a select list."""
    allowed = scope.letter_group_ids(user)
    query = select(Group.id, Group.name, Group.course).where(Group.graduated.is_(False)) \
        .order_by(Group.course, Group.name)
    if allowed is not None:
        query = query.where(Group.id.in_(allowed))
    groups = db.session.execute(query).all()
    found: dict[str, list[tuple[str, str]]] = {}
    names = {row.id: row.name for row in groups}
    for row in groups:
        found.setdefault(_("Группы"), []).extend(
            (Audience(kind, group_id=row.id).value, describe(Audience(kind, group_id=row.id),
                                                             names))
            for kind in scope.LETTER_KINDS)
    if scope.may_write_to_many(user):
        for course in sorted({row.course for row in groups}):
            found.setdefault(_("Курсы"), []).extend(
                (Audience(kind, course=course).value, describe(Audience(kind, course=course)))
                for kind in scope.LETTER_KINDS)
        found[_("Весь колледж")] = [(Audience(kind).value, describe(Audience(kind)))
                                    for kind in scope.LETTER_KINDS]
    return found


def send(author: User, audience_value: str, subject: str, body: str, files=(),
         at: datetime | None = None, notify: bool = True, on: date | None = None) -> Letter:
    """The letter and a copy for every recipient, each reached once (a parent of two children
    in the group gets one); an audience outside the author's reach is a 404."""
    audience = parse_audience(audience_value)
    recipients = scope.letter_recipients(author, audience.kind, audience.group_id,
                                         audience.course, on)
    subject, body = services.clean_subject(subject), services.clean_body(body)
    uploads = attachments.check(files)
    if not recipients:
        raise DomainError(_("Писать некому: ни у кого из адресатов нет учётной записи."))
    at = at or utcnow()
    letter = Letter(sender_id=author.id, subject=subject, body=body, audience=audience.kind,
                    group_id=audience.group_id, course=audience.course,
                    recipients=len(recipients), created_at=at)
    db.session.add(letter)
    db.session.flush()
    store_files(Attachment, uploads, at, letter_id=letter.id)
    for recipient_id in recipients:
        services.deliver_copy(letter, author, recipient_id, at, notify)
    return letter


def sent_by(user: User) -> list[tuple[Letter, int]]:
    """The user's letters, newest first, with how many recipients have read them."""
    letters = list(db.session.scalars(select(Letter).where(Letter.sender_id == user.id)
                                      .order_by(Letter.created_at.desc()).limit(200)))
    if not letters:
        return []
    read = dict(db.session.execute(
        select(Message.letter_id, func.count(Receipt.user_id))
        .join(Receipt, Receipt.message_id == Message.id)
        .where(Message.letter_id.in_([letter.id for letter in letters]))
        .group_by(Message.letter_id)).all())
    return [(letter, read.get(letter.id, 0)) for letter in letters]


def letter_or_404(user: User, letter_id: int) -> Letter:
    """Only its sender sees a letter's page (who read it)."""
    letter = db.session.get(Letter, letter_id)
    if letter is None or letter.sender_id != user.id:
        raise NotFound(_("Такой страницы нет или она вам недоступна."))
    return letter


@dataclass(frozen=True)
class Copy:
    thread_id: int
    recipient: str
    read_at: datetime | None
    replies: int


def copies(letter: Letter) -> list[Copy]:
    """Each recipient of ``letter``, when they read it and how many times they answered (two
    queries, whatever the number of recipients)."""
    rows = db.session.execute(
        select(Thread.id, Thread.message_count, User.last_name, User.first_name,
               User.middle_name, Message.id)
        .join(Participant, Participant.thread_id == Thread.id)
        .join(User, User.id == Participant.user_id)
        .join(Message, (Message.thread_id == Thread.id) & (Message.letter_id == letter.id))
        .where(Thread.letter_id == letter.id, Participant.user_id != letter.sender_id)
        .order_by(User.last_name, User.first_name)).all()
    read = dict(db.session.execute(
        select(Receipt.message_id, func.min(Receipt.read_at))
        .join(Message, Message.id == Receipt.message_id)
        .where(Message.letter_id == letter.id).group_by(Receipt.message_id)).all())
    return [Copy(thread_id, full_name(last, first, middle), read.get(message_id), count - 1)
            for thread_id, count, last, first, middle, message_id in rows]


def files_of(letter: Letter) -> list[services.AttachmentRow]:
    return [services.AttachmentRow(row.id, row.filename, row.size) for row in db.session.execute(
        select(Attachment.id, Attachment.filename, Attachment.size)
        .where(Attachment.letter_id == letter.id).order_by(Attachment.id))]
