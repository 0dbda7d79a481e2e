"""Hook implementations of messages: tables, pages and the menu with the unread count, who may
read a conversation (``object_scope``), the answer rule's policy key, home-page widget, reminder
job and control report, demo conversations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from core.plugins import hookimpl
from core.plugins.types import NavItem, ScheduledJob

if TYPE_CHECKING:
    from core.people.models import UserLike


@hookimpl
def policy_schema():
    from core.policy.schema import PolicyKey

    return [PolicyKey("messaging.answer_days", "int", 0,
                      str(_l("Срок ответа на сообщения родителей и обучающихся, календарных "
                             "дней (0 — срок не установлен)")),
                      str(_l("Считаются календарные дни со дня после получения; выходные и "
                             "каникулы по календарю колледжа срок не продлевают. Накануне "
                             "последнего дня адресату приходит напоминание, просроченные "
                             "обращения — в контрольном отчёте.")))]


@hookimpl
def object_scope(user: UserLike, target, access):
    """A conversation is read and answered by its participants (and, written to a role, by
    whoever holds it); nobody else learns it exists."""
    from plugins.messaging.models import Thread

    if not isinstance(target, Thread):
        return None
    from plugins.messaging.services import may_read

    return may_read(user, target)


@hookimpl
def nav_items(user: UserLike):
    if not user.is_authenticated:
        return []
    from plugins.messaging.services import unread_count

    return [NavItem(_l("Сообщения"), "messaging.inbox", order=60, badge=unread_count(user),
                    section="talk")]


@hookimpl
def dashboard_widgets(user: UserLike):
    """The families' messages waiting for this user's answer, with the days left."""
    from core.plugins.types import Widget
    from plugins.messaging.answers import waiting_for

    waiting = waiting_for(user)
    if not waiting:
        return []
    return [Widget(_l("Ждут вашего ответа"), "messaging/widget_waiting.html",
                   {"waiting": waiting}, order=8)]


@hookimpl
def scheduled_jobs():
    from plugins.messaging.answers import send_reminders

    return [ScheduledJob("messaging_answer_reminders", {"minute": "20"}, send_reminders)]


@hookimpl
def report_providers():
    from plugins.messaging.reports import providers

    return providers()


@hookimpl
def demo_data(college):
    from plugins.messaging.demo import make_conversations

    make_conversations(college)


@hookimpl
def control_findings(teacher_ids, start, end):
    from plugins.messaging.reports import findings

    return findings(teacher_ids, start, end)


@hookimpl
def audit_labels():
    """Russian names of the audit codes the messaging plugin records."""
    from flask_babel import lazy_gettext as _l

    from core.plugins.types import AuditLabels

    return AuditLabels(actions={
        "messaging.thread.read": _l("Просмотр переписки"),
        "messaging.file.read": _l("Просмотр вложения"),
        "messaging.no_answer_needed": _l("Отмечено: ответ не нужен"),
    }, fields={
        "thread_id": _l("Переписка (№)"),
    }, targets={
        "Thread": _l("Переписка"),
        "Message": _l("Сообщение"),
    })
