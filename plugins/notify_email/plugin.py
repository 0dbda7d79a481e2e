"""Hook implementations of e-mail notifications: the "email" channel, alerts on domain events,
the weekly digest job, pages and menu."""

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

    return [PolicyKey("notify.email_failing_or_absent", "bool", False,
                      str(_l("Письмо родителям неуспевающих и пропускающих"))),
            PolicyKey("notify.digest_weekday", "int", 5,
                      str(_l("День недельной сводки родителям (1 — понедельник … "
                             "7 — воскресенье)")))]


@hookimpl
def notification_channels():
    from plugins.notify_email import services

    return [services.channel()]


@hookimpl
def event_handlers():
    """Alerts are written to the outbox in the transaction of the change (a rollback sends
    nothing)."""
    from plugins.notify_email import (
        announcements,
        control,
        forecast,
        forum,
        helpdesk,
        planning,
        services,
    )

    return [EventHandler("absence.marked", services.on_absence, phase="in_transaction"),
            EventHandler("grade.posted", services.on_grade, phase="in_transaction"),
            EventHandler("grade.flag.raised", services.on_mark_flagged, phase="in_transaction"),
            EventHandler("grade.flag.answered", services.on_mark_flag_answered,
                         phase="in_transaction"),
            EventHandler("message.sent", services.on_message, phase="in_transaction"),
            EventHandler("message.reminder", services.on_message_reminder,
                         phase="in_transaction"),
            EventHandler("forum.post.created", forum.on_forum_post, phase="in_transaction"),
            EventHandler("announcement.published", announcements.on_announcement,
                         phase="in_transaction"),
            EventHandler("control.check.signed", control.on_check_signed,
                         phase="in_transaction"),
            EventHandler("control.gaps.weekly", control.on_open_gaps, phase="in_transaction"),
            EventHandler("forecast.warnings.weekly", forecast.on_weekly_warnings,
                         phase="in_transaction"),
            EventHandler("planning.plan.changed", planning.on_plan_changed,
                         phase="in_transaction"),
            EventHandler("planning.plan.reminder", planning.on_plan_reminder,
                         phase="in_transaction"),
            EventHandler("helpdesk.request.changed", helpdesk.on_request_changed,
                         phase="in_transaction")]


@hookimpl
def scheduled_jobs():
    from plugins.notify_email import services

    return [ScheduledJob("weekly_digests", {"minute": "5"}, services.queue_digests)]


@hookimpl
def nav_items(user: UserLike):
    if can(user, "notify_email.preferences"):
        return [NavItem(_l("Уведомления"), "notify_email.preferences", order=90)]
    return []


@hookimpl
def permissions():
    return [Permission("notify_email.preferences", frozenset({Role.PARENT, Role.STUDENT}),
                       _l("Выбирать, о чём и как получать уведомления"))]


@hookimpl
def audit_labels():
    """Russian names of the audit codes the notify_email plugin records."""
    from flask_babel import lazy_gettext as _l

    from core.plugins.types import AuditLabels

    return AuditLabels(actions={
        "notify.preferences": _l("Настройки уведомлений изменены"),
    }, fields={
    })
