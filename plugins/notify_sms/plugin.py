"""Hook implementations of SMS: the "sms" channel, new marks by SMS, the monthly report job,
the administrator's page of texts and their lengths."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from core.people.permissions import can
from core.people.roles import Role
from core.plugins import hookimpl
from core.plugins.types import EventHandler, NavItem, Permission, ScheduledJob

if TYPE_CHECKING:
    from core.people.models import UserLike


@hookimpl
def policy_schema():
    from core.policy.schema import PolicyKey

    return [PolicyKey("notify.sms_new_marks", "bool", False, str(_l("SMS о новых оценках"))),
            PolicyKey("notify.period_report_sms", "bool", False,
                      str(_l("Отчёт за период родителям по SMS")))]


@hookimpl
def notification_channels():
    from plugins.notify_sms import services

    return [services.channel()]


@hookimpl
def event_handlers():
    from plugins.notify_sms import services

    return [EventHandler("grade.posted", services.on_grade, phase="in_transaction"),
            EventHandler("message.sent", services.on_message, phase="in_transaction")]


@hookimpl
def scheduled_jobs():
    from plugins.notify_sms import services

    return [ScheduledJob("monthly_sms_reports", {"minute": "15"}, services.queue_period_reports)]


@hookimpl
def admin_links(user: UserLike):
    if can(user, "notify_sms.texts.view"):
        return [NavItem(_l("Тексты SMS и их длина"), "notify_sms.texts", order=820)]
    return []


@hookimpl
def permissions():
    return [Permission("notify_sms.texts.view", frozenset({Role.ADMIN}),
                       _l("Проверять тексты SMS и их длину"))]
