"""E-mail: the outbox channel (Flask-Mail, one SMTP connection per run of the worker), the
weekly digest, immediate alerts, preferences and signed links (unsubscribe, report an absence).
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import TYPE_CHECKING

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_mail import sanitize_address
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import select

from core import outbox
from core.events import DomainEvent, RecipientsEvent
from core.extensions import db, mail
from core.models import utcnow
from core.people.models import Guardian, Student, StudentGuardian, User
from core.policy import policy_value
from plugins.notify_email.models import Preference

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

REPORT_LINK_DAYS = 14


# --- the channel --------------------------------------------------------------------------------


def _domain() -> str:
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    address = sender[1] if isinstance(sender, tuple) else sender
    return address.rsplit("@", 1)[-1].strip("> ") or "localhost"


def as_mail(message: outbox.OutboxMessage) -> EmailMessage:
    """The outbox row as a MIME document that strict servers accept: every body part is
    quoted-printable, so no line passes 78 characters whatever the text (RFC 5321 allows 998;
    aiosmtpd refuses longer ones). Its Message-ID comes from the row, so a repeat after a crash
    carries the same one; line breaks in the subject become spaces (no header injection)."""
    mail_message = EmailMessage(policy=SMTP)
    mail_message["Subject"] = " ".join((message.subject or "").split())
    mail_message["From"] = sanitize_address(current_app.config["MAIL_DEFAULT_SENDER"])
    mail_message["To"] = message.recipient
    mail_message["Date"] = format_datetime(message.created_at or utcnow())
    mail_message["Message-ID"] = f"<{message.message_id}@{_domain()}>"
    if message.user_id:
        mail_message["List-Unsubscribe"] = f"<{unsubscribe_url(message.user_id)}>"
    mail_message.set_content(message.body_text or "", cte="quoted-printable")
    if message.body_html:
        mail_message.add_alternative(message.body_html, subtype="html", cte="quoted-printable")
    return mail_message


def queue_mail(address: str, key: str, **fields) -> outbox.OutboxMessage | None:
    """Queue a mail with its MIME document built now, in the change's transaction (a mail whose
    headers cannot be built keeps none: the worker builds it again, refuses and records it)."""
    message = outbox.enqueue("email", address, key, **fields)
    if message is not None:
        try:
            message.payload = as_mail(message).as_string()
        except ValueError:
            message.payload = None
    return message


@contextmanager
def smtp_session():
    sender = sanitize_address(current_app.config["MAIL_DEFAULT_SENDER"])
    with mail.connect() as connection:
        def send(message: outbox.OutboxMessage) -> None:
            # queued by hand or before payloads: built now
            payload = message.payload or as_mail(message).as_string()
            connection.host.sendmail(sender, [message.recipient], payload.encode())
        yield send


def channel() -> outbox.Channel:
    return outbox.Channel("email", smtp_session, title=_l("электронная почта"))


# --- whom to write ------------------------------------------------------------------------------


def parents_of(student_ids: Iterable[int]) -> list[tuple[int, User, str]]:
    """(student id, the parent's account, their e-mail) of parents with an account and an
    address; the guardian's own address first, the account's otherwise."""
    rows = db.session.execute(
        select(StudentGuardian.student_id, User, Guardian.email)
        .join(Guardian, Guardian.id == StudentGuardian.guardian_id)
        .join(User, User.id == Guardian.user_id)
        .where(StudentGuardian.student_id.in_(list(student_ids)), User.active.is_(True))).all()
    return [(student_id, user, email or user.email) for student_id, user, email in rows
            if email or user.email]


def preference(user_id: int) -> Preference:
    found = db.session.get(Preference, user_id)
    return found or Preference(user_id=user_id, digest_weekday=policy_value("notify.digest_weekday"),
                               alerts=True, sms=True, unsubscribed=False, messages="all",
                               messages_sms=False)


def email_on() -> bool:
    return "email" in policy_value("notify.channels")


# --- signed links -------------------------------------------------------------------------------


def _signer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def unsubscribe_token(user_id: int) -> str:
    return _signer("notify-unsubscribe").dumps(user_id)


def read_unsubscribe(token: str) -> int | None:
    try:
        return int(_signer("notify-unsubscribe").loads(token))
    except (BadSignature, ValueError, TypeError):
        return None


def unsubscribe_url(user_id: int) -> str:
    return public_url("notify_email.unsubscribe", token=unsubscribe_token(user_id))


def report_token(user_id: int, student_id: int) -> str:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"],
                                  salt="notify-absence").dumps([user_id, student_id])


def read_report(token: str) -> tuple[int, int] | None:
    """(parent, student) of a report-an-absence link, or ``None`` if forged or expired."""
    try:
        user_id, student_id = URLSafeTimedSerializer(
            current_app.config["SECRET_KEY"], salt="notify-absence").loads(
            token, max_age=REPORT_LINK_DAYS * 86400)
        return int(user_id), int(student_id)
    except (SignatureExpired, BadSignature, ValueError, TypeError):
        return None


def open_token(user_id: int, student_id: int) -> str:
    """The token of a digest's diary link: whose digest, which child (``open_digest``)."""
    return _signer("notify-digest-open").dumps([user_id, student_id])


def read_open(token: str) -> tuple[int, int] | None:
    """(parent, student) of a digest's diary link, or ``None`` if forged."""
    try:
        user_id, student_id = _signer("notify-digest-open").loads(token)
        return int(user_id), int(student_id)
    except (BadSignature, ValueError, TypeError):
        return None


def public_url(endpoint: str, **values) -> str:
    """An absolute link for a mail (the worker has no request): ``PUBLIC_URL`` + the route."""
    base = current_app.config.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/")
    with current_app.test_request_context("/"):
        return base + url_for(endpoint, **values)


def can_report_absences() -> bool:
    return "attendance.student" in current_app.view_functions


# --- the digest ---------------------------------------------------------------------------------


def queue_digests(now: datetime | None = None) -> int:
    """Queue the weekly digest for every parent whose digest day is today (college time, from
    7:00): once per parent and week (the idempotency key), whatever the worker's retries."""
    from core.calendar.clock import college_zone
    from plugins.family import diary

    if not email_on():
        return 0
    now = now or utcnow()
    local = now.astimezone(college_zone())
    if local.hour < 7:
        return 0
    today = local.date()
    year, week, _day = today.isocalendar()
    by_parent: dict[int, tuple[User, str, list[int]]] = {}
    students = set(db.session.scalars(select(StudentGuardian.student_id)))
    for student_id, user, address in parents_of(students):
        by_parent.setdefault(user.id, (user, address, []))[2].append(student_id)
    queued = 0
    for user, address, children in by_parent.values():
        choice = preference(user.id)
        if choice.unsubscribed or choice.digest_weekday != today.isoweekday():
            continue
        key = f"digest:{year}-W{week:02d}"
        if outbox.is_queued("email", address, key):
            continue
        weeks = []
        for student in db.session.scalars(select(Student).where(Student.id.in_(children))
                                          .order_by(Student.last_name, Student.first_name)):
            weeks.append((student, diary.build(student.id, diary.week_start(today), user)))
        html, text = render_digest(user, weeks, today)
        if queue_mail(address, key, subject=_("Дневник за неделю: %(names)s",
                                                           names=", ".join(s.first_name for s, _w in weeks)),
                          text=text, html=html, kind="digest", user_id=user.id,
                          student_id=weeks[0][0].id if len(weeks) == 1 else None):
            queued += 1
    db.session.commit()
    return queued


def render_digest(user: User, weeks, today) -> tuple[str, str]:
    links = {student.id: {
        # through the landing that records the open, then on to the diary
        "diary": public_url("notify_email.open_digest", token=open_token(user.id, student.id)),
        "report": public_url("notify_email.report_absence",
                             token=report_token(user.id, student.id))
        if can_report_absences() else None} for student, _week in weeks}
    context = {"user": user, "weeks": weeks, "today": today, "links": links,
               "unsubscribe": unsubscribe_url(user.id),
               "preferences": public_url("notify_email.preferences")}
    return (render_template("notify_email/digest.html", **context),
            render_template("notify_email/digest.txt", **context))


# --- immediate alerts (BTT 4.5.2) ---------------------------------------------------------------


def _alert(student_id: int, kind: str, key: str, subject: str, text: str) -> None:
    if not (email_on() and policy_value("notify.email_failing_or_absent")):
        return
    for _student, user, address in parents_of([student_id]):
        choice = preference(user.id)
        if choice.unsubscribed or not choice.alerts:
            continue
        queue_mail(address, key, subject=subject, kind=kind, user_id=user.id,
                       student_id=student_id,
                       text=text + "\n\n" + _("Настройки уведомлений: %(url)s",
                                             url=public_url("notify_email.preferences")))


# The events' fields are those of attendance's ``AbsenceMarked`` and grading's ``GradePosted``
# (matched by name: neither plugin is a requirement of this one).


def on_absence(event: DomainEvent) -> None:
    """``absence.marked``: the parents are told at once."""
    student = db.session.get(Student, event.student_id)
    text = _("%(name)s отсутствовал(а) на занятии «%(discipline)s» %(date)s (%(hours)s ч).",
             name=student.full_name, discipline=event.discipline,
             date=event.lesson_day.strftime("%d.%m.%Y"), hours=event.hours)
    if can_report_absences():
        text += "\n" + _("Сообщить причину: %(url)s", url=public_url(
            "attendance.student", student_id=student.id))
    _alert(student.id, "absence", f"absence:{event.lesson_id}:{student.id}",
           _("Пропуск занятия: %(name)s", name=student.short_name), text)


def on_grade(event: DomainEvent) -> None:
    """``grade.posted``: the parents are told of a failing mark at once."""
    if not event.failing:
        return
    student = db.session.get(Student, event.student_id)
    _alert(student.id, "failing", f"failing:{event.mark_id}:{event.value}",
           _("Неудовлетворительная оценка: %(name)s", name=student.short_name),
           _("%(name)s получил(а) оценку «%(mark)s» по дисциплине «%(discipline)s» %(date)s.",
             name=student.full_name, mark=event.words, discipline=event.discipline,
             date=event.lesson_day.strftime("%d.%m.%Y")))



# --- mark flags (BTT 4.3.2): the teacher of a new flag, the family of the answer -------------------
# The events (grading's ``MarkFlagRaised`` and ``MarkFlagAnswered``, matched by name) carry the
# words: grading is not a requirement of this plugin.


def on_mark_flagged(event: DomainEvent) -> None:
    if not email_on():
        return
    link = public_url("grading.flags_page") \
        if "grading.flags_page" in current_app.view_functions else ""
    text = _("%(who)s сообщает об ошибке в оценке «%(mark)s» обучающегося %(name)s по дисциплине "
             "«%(discipline)s» за %(date)s:\n\n%(comment)s",
             who=event.flagged_by, mark=event.mark, name=event.student_name,
             discipline=event.discipline, date=event.lesson_day.strftime("%d.%m.%Y"),
             comment=event.comment)
    if link:
        text += "\n\n" + _("Ответить: %(url)s", url=link)
    for user in db.session.scalars(select(User).where(User.id.in_(event.teacher_ids),
                                                      User.active.is_(True))):
        if not user.email or preference(user.id).unsubscribed:
            continue
        queue_mail(user.email, f"mark-flag:{event.flag_id}", kind="mark_flag", user_id=user.id,
                   student_id=event.student_id, text=text,
                   subject=_("Сообщение об ошибке в оценке: %(discipline)s, %(date)s",
                             discipline=event.discipline,
                             date=event.lesson_day.strftime("%d.%m.%Y")))


def _address_of(user_id: int) -> tuple[User, str] | None:
    """The account of the family member who flagged and where their mail goes."""
    user = db.session.get(User, user_id)
    address = address_of(user) if user is not None and user.active else None
    return (user, address) if address else None


def on_mark_flag_answered(event: DomainEvent) -> None:
    if not email_on():
        return
    found = _address_of(event.flagged_by_id)
    if found is None:
        return
    user, address = found
    choice = preference(user.id)
    if choice.unsubscribed or not choice.alerts:
        return
    words = {"mark": event.mark, "discipline": event.discipline,
             "date": event.lesson_day.strftime("%d.%m.%Y"), "new": event.new_mark or "—",
             "comment": event.comment or ""}
    if event.answer == "kept":
        answer = _("оценка оставлена. Комментарий: %(comment)s", **words)
    elif event.pending:
        answer = _("оценка исправлена на «%(new)s», исправление ждёт утверждения. "
                   "Причина: %(comment)s", **words)
    else:
        answer = _("оценка исправлена на «%(new)s». Причина: %(comment)s", **words)
    text = _("%(who)s ответил(а) на сообщение об ошибке в оценке «%(mark)s» (%(name)s, "
             "«%(discipline)s», %(date)s): %(answer)s", who=event.answered_by,
             name=event.student_name, answer=answer, **words)
    text += "\n\n" + _("Дневник: %(url)s", url=public_url("family.student",
                                                          student_id=event.student_id))
    queue_mail(address, f"mark-flag-answer:{event.flag_id}", kind="mark_flag_answer",
               user_id=user.id, student_id=event.student_id, text=text,
               subject=_("Ответ на сообщение об ошибке в оценке: %(discipline)s, %(date)s",
                         **words))


# --- messages (messaging's ``MessageSent`` and ``MessageReminder``, matched by name) --------------


def addresses_of(user_ids: Iterable[int]) -> dict[int, str]:
    """Where mail to each active account of ``user_ids`` goes, in their order: a parent's
    guardian record, a student's record, else the account's own address; accounts without one
    are left out. Three queries, whatever the number of accounts (a letter to a college)."""
    ids = list(dict.fromkeys(user_ids))
    if not ids:
        return {}
    own = dict(db.session.execute(select(User.id, User.email).where(
        User.id.in_(ids), User.active.is_(True))).all())
    if not own:
        return {}
    records = [dict(db.session.execute(select(model.user_id, model.email).where(
        model.user_id.in_(list(own)), model.email.is_not(None), model.email != "")).all())
        for model in (Guardian, Student)]
    found = {user_id: next((r[user_id] for r in records if user_id in r), None)
             or own[user_id] for user_id in ids if user_id in own}
    return {user_id: address for user_id, address in found.items() if address}


def address_of(user: User) -> str | None:
    """Where mail to one account goes (``addresses_of``); ``None`` for an inactive one."""
    return addresses_of([user.id]).get(user.id)


def wants_message(user_id: int, letter: bool) -> bool:
    """Whether the account's preferences let a new message through: every one, only
    conversations (not letters to many), or none; nothing after an unsubscribe."""
    choice = preference(user_id)
    if choice.unsubscribed or choice.messages == "none":
        return False
    return not (letter and choice.messages == "personal")


def link_of(event: RecipientsEvent) -> str:
    """The absolute link of a recipients event (``url_for(event.endpoint, **event.values)``)."""
    return public_url(event.endpoint, **event.values)


def recipients(event: RecipientsEvent) -> Iterator[tuple[int, str]]:
    """``(account id, address)`` of each active account of ``event.recipient_ids`` once (those
    without an address are left out), read for all of them at once."""
    yield from addresses_of(event.recipient_ids).items()


def on_message(event: DomainEvent) -> None:
    """A new message reaches each account it concerns once (the message's key), with a link
    that opens the conversation after sign-in; never its text, which stays in the journal."""
    if not email_on():
        return
    link = link_of(event)
    for user_id, address in recipients(event):
        if not wants_message(user_id, event.letter):
            continue
        text = _("%(author)s написал(а) вам в электронном журнале.\nТема: %(subject)s\n\n"
                 "Открыть переписку (после входа в журнал): %(url)s",
                 author=event.author_name, subject=event.subject, url=link)
        queue_mail(address, f"message:{event.message_id}", kind="message",
                   user_id=user_id, subject=_("Новое сообщение: %(subject)s",
                                              subject=event.subject),
                   text=text + "\n\n" + _("Настройки уведомлений: %(url)s",
                                           url=public_url("notify_email.preferences")))


def on_message_reminder(event: DomainEvent) -> None:
    """The day before an answer is due: a reminder to whoever is to answer, once a message."""
    link = link_of(event)
    due = event.due_on.strftime("%d.%m.%Y")
    for user_id, address in recipients(event):
        queue_mail(address, f"message-reminder:{event.message_id}", kind="reminder",
                   user_id=user_id,
                   subject=_("Ответьте до %(date)s: %(subject)s", date=due,
                             subject=event.subject),
                   text=_("Сообщение «%(subject)s» ждёт вашего ответа; срок ответа — "
                          "%(date)s включительно.\n\nОткрыть переписку: %(url)s",
                          subject=event.subject, date=due, url=link))
