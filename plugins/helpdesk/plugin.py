"""Hook implementations of the helpdesk: who handles and reads requests (``permissions``), the
term to answer (``policy_schema``), who sees a request (``object_scope``), the menu item with
its counter, the administration's home-page block of overdue requests, demo requests."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.plugins import hookimpl
from core.plugins.types import NavItem


@hookimpl
def permissions():
    from core.plugins.types import Permission
    from plugins.helpdesk.rights import HANDLE, HANDLERS, READ, READERS

    return [Permission(HANDLE, HANDLERS, str(_l("Отвечать на обращения к администрации, менять "
                                               "их статус и применять изменения данных"))),
            Permission(READ, READERS, str(_l("Читать все обращения к администрации")))]


@hookimpl
def policy_schema():
    from core.policy.schema import PolicyKey

    return [PolicyKey("helpdesk.answer_days", "int", 3,
                      str(_l("За сколько календарных дней администрация отвечает на обращение")),
                      str(_l("Не отвеченные в этот срок обращения показываются администратору "
                             "на главной странице и в меню как просроченные; день подачи не "
                             "считается.")))]


@hookimpl
def object_scope(user, target, access):
    """A request is seen by its author and by the readers of requests; changed (answered,
    applied) by those who handle them."""
    from plugins.helpdesk.models import HelpRequest

    if not isinstance(target, HelpRequest):
        return None
    from core.people.scope import VIEW
    from plugins.helpdesk import rights

    if access == VIEW:
        return rights.may_view(user, target)
    return rights.may_handle(user)


@hookimpl
def nav_items(user):
    """Everyone signed in files requests; the counter is the author's requests changed since
    they last opened them and, for the administration, the overdue ones."""
    if not user.is_authenticated:
        return []
    from plugins.helpdesk import lists, rights

    badge = lists.unseen_count(user)
    endpoint = "helpdesk.index"
    if rights.may_read_all(user):
        badge += lists.overdue_count()
        endpoint = "helpdesk.queue"
    return [NavItem(_l("Обращения"), endpoint, order=95, badge=badge, section="talk")]


@hookimpl
def dashboard_widgets(user):
    """The administration's home page: the overdue requests and how many wait for an answer."""
    from plugins.helpdesk import lists, rights, services

    if not rights.may_read_all(user):
        return []
    from core.plugins.types import Widget

    rows, total = lists.overdue(limit=5)
    waiting = lists.open_count()
    if not waiting:
        return []
    return [Widget(_l("Обращения к администрации"), "helpdesk/widget.html",
                   {"rows": rows, "total": total, "waiting": waiting,
                    "kinds": services.KIND_TITLES, "answer_days": services.answer_days()},
                   order=2)]


@hookimpl
def demo_data(college):
    from plugins.helpdesk.demo import make_requests

    make_requests(college)


@hookimpl
def audit_labels():
    """Russian names of the audit codes the helpdesk plugin records."""
    from flask_babel import lazy_gettext as _l

    from core.plugins.types import AuditLabels
    from plugins.helpdesk import services

    return AuditLabels(actions={
        "helpdesk.request.filed": _l("Обращение к администрации подано"),
        "helpdesk.request.status": _l("Статус обращения изменён"),
        "helpdesk.request.reopened": _l("Обращение открыто снова"),
        "helpdesk.request.applied": _l("Ответ на обращение применён"),
    }, fields={
    }, targets={
        "HelpRequest": _l("Обращение"),
    }, values={"status": dict(services.STATUS_TITLES), "kind": dict(services.KIND_TITLES)})
