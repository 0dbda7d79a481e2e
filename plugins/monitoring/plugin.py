"""Hook implementations of the usage monitoring: the permissions of its pages, the sign-in and
digest-open subscribers, the menu and administration links, the demo's month of sign-ins. The
monthly report is ``report.py``'s (a hook module)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.plugins import hookimpl
from core.plugins.types import EventHandler, NavItem, Permission


@hookimpl
def permissions():
    from plugins.monitoring.rights import GROUP_ROLES, USAGE_ROLES, VIEW_GROUP, VIEW_USAGE

    return [Permission(VIEW_USAGE, USAGE_ROLES,
                       str(_l("Видеть использование журнала: входы по ролям, охват семей, "
                              "заполнение журнала"))),
            Permission(VIEW_GROUP, GROUP_ROLES,
                       str(_l("Видеть входы обучающихся и родителей своей группы")))]


@hookimpl
def event_handlers():
    """Sign-ins and digest opens are written in the transaction that records them."""
    from plugins.monitoring import recording

    return [EventHandler("auth.signed_in", recording.on_signed_in, phase="in_transaction"),
            EventHandler("notify_email.digest_opened", recording.on_digest_opened,
                         phase="in_transaction")]


@hookimpl
def nav_items(user):
    from core.people.permissions import can
    from core.people.roles import Role
    from plugins.monitoring.rights import VIEW_GROUP, VIEW_USAGE

    if not user.is_authenticated:
        return []
    items = []
    if can(user, VIEW_USAGE):
        items.append(NavItem(_l("Мониторинг"), "monitoring.index", order=85,
                             section="control"))
    if user.has_role(Role.CURATOR) and can(user, VIEW_GROUP):
        items.append(NavItem(_l("Входы семей"), "monitoring.groups", order=75,
                             section="control"))
    return items


@hookimpl
def admin_links(user):
    from core.people.permissions import can
    from plugins.monitoring.rights import VIEW_GROUP, VIEW_USAGE

    links = []
    if can(user, VIEW_USAGE):
        links.append(NavItem(_l("Использование журнала: входы, охват семей, заполнение"),
                             "monitoring.index", order=790))
    if can(user, VIEW_GROUP):
        links.append(NavItem(_l("Входы обучающихся и родителей по группам"),
                             "monitoring.groups", order=795))
    return links


@hookimpl
def demo_data(college):
    from plugins.monitoring.demo import make_sign_ins

    make_sign_ins(college)


@hookimpl
def audit_labels():
    """Russian names of the audit codes the monitoring plugin records."""
    from flask_babel import lazy_gettext as _l

    from core.plugins.types import AuditLabels

    return AuditLabels(actions={
        "monitoring.group.families": _l("Просмотр входов семей группы"),
    }, fields={
    })
