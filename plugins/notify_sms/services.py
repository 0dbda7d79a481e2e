"""The "sms" channel: through the adapter the college chose (an HTTP gateway or an SMPP SMSC,
``adapters``), quiet hours and a daily cap per recipient; the new-mark SMS and the monthly
period report."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from core import outbox
from core.calendar.clock import college_zone
from core.extensions import db
from core.models import utcnow
from core.people.models import Guardian, Student, StudentGuardian, User
from core.plugins import hook
from core.policy import policy_value
from plugins.journal import api as journal
from plugins.notify_email.services import preference, public_url, wants_message
from plugins.notify_sms import adapters

if TYPE_CHECKING:
    from collections.abc import Iterable


def configured() -> bool:
    return adapters.configured()


def _morning(day: date) -> datetime:
    start = current_app.config.get("SMS_QUIET_UNTIL", 8)
    return datetime.combine(day, time(start), tzinfo=college_zone()).astimezone(
        utcnow().tzinfo)


def defer(message: outbox.OutboxMessage, now: datetime) -> datetime | None:
    """Quiet hours (no SMS at night, queued till morning) and a daily cap per recipient."""
    local = now.astimezone(college_zone())
    quiet_from = current_app.config.get("SMS_QUIET_FROM", 21)
    quiet_until = current_app.config.get("SMS_QUIET_UNTIL", 8)
    if local.hour >= quiet_from:
        return _morning(local.date() + timedelta(days=1))
    if local.hour < quiet_until:
        return _morning(local.date())
    day_start = datetime.combine(local.date(), time(0), tzinfo=college_zone())
    sent_today = db.session.scalar(select(func.count()).select_from(outbox.OutboxMessage).where(
        outbox.OutboxMessage.channel == "sms", outbox.OutboxMessage.recipient == message.recipient,
        outbox.OutboxMessage.status == "sent", outbox.OutboxMessage.sent_at >= day_start))
    if sent_today >= current_app.config.get("SMS_DAILY_CAP", 5):
        return _morning(local.date() + timedelta(days=1))
    return None


def channel() -> outbox.Channel:
    return outbox.Channel("sms", adapters.gateway, defer, title="SMS")


# --- what is sent -------------------------------------------------------------------------------


def sms_on() -> bool:
    return configured() and "sms" in policy_value("notify.channels")


def phones_of(student_ids: Iterable[int]) -> list[tuple[int, User, str]]:
    rows = db.session.execute(
        select(StudentGuardian.student_id, User, Guardian.phone)
        .join(Guardian, Guardian.id == StudentGuardian.guardian_id)
        .join(User, User.id == Guardian.user_id)
        .where(StudentGuardian.student_id.in_(list(student_ids)), User.active.is_(True),
               Guardian.phone.is_not(None), Guardian.phone != "")).all()
    return [(student_id, user, phone) for student_id, user, phone in rows]


def _queue(student_id: int, key: str, text: str, kind: str) -> int:
    queued = 0
    for _student, user, phone in phones_of([student_id]):
        choice = preference(user.id)
        if choice.unsubscribed or not choice.sms:
            continue
        if outbox.enqueue("sms", phone, key, text=text, kind=kind, user_id=user.id,
                          student_id=student_id):
            queued += 1
    return queued


def mark_text(student: Student, mark: str, discipline: str, day: date) -> str:
    return _("%(name)s: оценка %(mark)s, %(discipline)s, %(date)s", name=student.short_name,
             mark=mark, discipline=discipline, date=day.strftime("%d.%m"))


def on_grade(event) -> None:
    """A new mark reaches the parents by SMS (BTT 4.2.2), if the policy says so."""
    value = event.data.get("value")
    if not value or not sms_on() or not policy_value("notify.sms_new_marks"):
        return
    from plugins.grading import rules

    lesson = journal.get_lesson(event.data["lesson_id"])
    load = journal.get_load(lesson.load_id)
    student = db.session.get(Student, event.data["student_id"])
    discipline = load.discipline.title
    _queue(student.id, f"sms-mark:{event.data['mark_id']}:{value}",
           mark_text(student, rules.text_of(value), discipline[:40], lesson.date), "mark")


def queue_period_reports(now: datetime | None = None) -> int:
    """The monthly report to parents by SMS (KTIS 3.12): on the 1st, for the month before;
    its lines come from the plugins (``summary_lines``)."""
    if not sms_on() or not policy_value("notify.period_report_sms"):
        return 0
    local = (now or utcnow()).astimezone(college_zone())
    if local.day != 1 or local.hour < 10:
        return 0
    end = local.date() - timedelta(days=1)
    start = end.replace(day=1)
    students = set(db.session.scalars(select(StudentGuardian.student_id)))
    queued = 0
    for student in db.session.scalars(select(Student).where(Student.id.in_(students))):
        lines = [line for batch in hook().summary_lines(student_id=student.id, start=start,
                                                        end=end) for line in batch or ()]
        if not lines:
            continue
        text = _("%(name)s, %(month)s: %(lines)s", name=student.short_name,
                 month=start.strftime("%m.%Y"), lines="; ".join(lines))
        queued += _queue(student.id, f"sms-period:{start:%Y-%m}", text, "period")
    db.session.commit()
    return queued


def family_phone(user_id: int) -> str | None:
    """The phone an SMS to a parent's (or student's) account goes to: their record's."""
    found = db.session.scalar(select(Guardian.phone).where(
        Guardian.user_id == user_id, Guardian.phone.is_not(None), Guardian.phone != ""))
    return found or db.session.scalar(select(Student.phone).where(
        Student.user_id == user_id, Student.phone.is_not(None), Student.phone != ""))


def on_message(event) -> None:
    """A new message reaches a family by SMS too where SMS go out and they chose it (their
    preferences for messages apply as to mail); once a message and phone."""
    if not sms_on():
        return
    link = public_url(event.data["endpoint"], **event.data["values"])
    for user_id in dict.fromkeys(event.data["recipient_ids"]):
        user = db.session.get(User, user_id)
        if user is None or not user.active or not preference(user_id).messages_sms \
                or not wants_message(user_id, event.data["letter"]):
            continue
        phone = family_phone(user_id)
        if phone:
            outbox.enqueue("sms", phone, f"sms-message:{event.data['message_id']}",
                           text=_("Новое сообщение в электронном журнале от %(author)s: "
                                  "%(url)s", author=event.data["author_name"], url=link),
                           kind="message", user_id=user_id)
