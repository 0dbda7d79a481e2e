"""Hook implementations of announcements: the table, pages and menu, who may read one
(``object_scope``), the home page's and the diary's blocks, the job that mails those whose
publication day has come, demo announcements."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.plugins import hookimpl
from core.plugins.types import NavItem, ScheduledJob


@hookimpl
def object_scope(user, target, access):
    """An announcement is read by those it concerns while it is published; its author and the
    administration read and change it always; nobody else learns it exists."""
    from plugins.announcements.models import Announcement

    if not isinstance(target, Announcement):
        return None
    from core.people.scope import VIEW, may_edit_announcement
    from plugins.announcements.services import may_read

    if access == VIEW:
        return may_read(user, target)
    return may_edit_announcement(user, target.author_id)


@hookimpl
def nav_items(user):
    if not user.is_authenticated:
        return []
    return [NavItem(_l("Объявления"), "announcements.index", order=55, section="talk")]


@hookimpl
def dashboard_widgets(user):
    """The current announcements and events that concern the user."""
    if not user.is_authenticated:
        return []
    from core.people.scope import announcement_reach
    from core.plugins.types import Widget
    from plugins.announcements.services import widget_rows

    rows, total = widget_rows(announcement_reach(user))
    if not rows:
        return []
    return [Widget(_l("Объявления"), "announcements/widget.html",
                   {"rows": rows, "total": total}, order=3)]


@hookimpl
def diary_widgets(student_id, user):
    """The current announcements of the student's group, course and college, in their diary."""
    from core.people.scope import students_reach
    from core.plugins.types import Widget
    from plugins.announcements.services import widget_rows

    rows, total = widget_rows(students_reach({student_id}))
    if not rows:
        return []
    return [Widget(_l("Объявления"), "announcements/widget.html",
                   {"rows": rows, "total": total}, order=10)]


@hookimpl
def scheduled_jobs():
    from plugins.announcements.services import mail_due

    return [ScheduledJob("announcements_mail_due", {"minute": "*/15"}, mail_due)]


@hookimpl
def demo_data(college):
    from plugins.announcements.demo import make_announcements

    make_announcements(college)


@hookimpl
def audit_labels():
    """Russian names of the audit codes the announcements plugin records."""
    from flask_babel import lazy_gettext as _l

    from core.plugins.types import AuditLabels

    return AuditLabels(actions={
        "announcements.publish": _l("Объявление опубликовано"),
        "announcements.edit": _l("Объявление изменено"),
        "announcements.withdraw": _l("Объявление снято"),
    }, fields={
        "audience": _l("Кому"),
        "starts_at": _l("Начало"),
        "place": _l("Место"),
        "publish_at": _l("Опубликовать"),
        "expires_at": _l("Снять"),
    }, targets={
        "Announcement": _l("Объявление"),
    })
