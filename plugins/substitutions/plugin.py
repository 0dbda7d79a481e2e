"""Hook implementations of substitutions: the substitute's lessons (``lesson_editors``), the
substitute's day on the home page, pages and menu, demo substitutions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from core.people.permissions import can
from core.people.roles import ADMINISTRATION, Role
from core.plugins import hookimpl
from core.plugins.types import NavItem, Permission

if TYPE_CHECKING:
    from core.people.models import UserLike


@hookimpl
def lesson_editors(load, at):
    from plugins.substitutions import services

    return services.editors(load, at)


@hookimpl
def guest_loads(user, at):
    from plugins.substitutions import services

    return services.guest_load_ids(user, at)


@hookimpl
def nav_items(user: UserLike):
    if can(user, "substitutions.view"):
        return [NavItem(_l("Замещения"), "substitutions.index", order=40, section="journal")]
    return []


@hookimpl
def dashboard_widgets(user: UserLike):
    """A substitute's lessons of the day, each one click from the absent teacher's journal."""
    if not (user.is_authenticated and user.has_role(Role.TEACHER)):
        return []
    from core.calendar.clock import college_today
    from core.extensions import db
    from core.plugins.types import Widget
    from plugins.substitutions.services import todays_lessons

    found = todays_lessons(user, college_today())
    if not found:
        return []
    db.session.commit()  # the day's lessons were created for the substitute to fill
    from core.people.models import Group

    names = dict(db.session.query(Group.id, Group.name).filter(
        Group.id.in_({load.group_id for load, _o in found})).all())
    return [Widget(_l("Замещения сегодня"), "substitutions/widget_today.html",
                   {"lessons": found, "groups": names}, order=11)]


@hookimpl
def demo_data(college):
    from plugins.substitutions.demo import make_previous_substitution, make_substitutions

    make_substitutions(college)
    make_previous_substitution(college)


@hookimpl
def report_providers():
    from plugins.substitutions.reports import providers

    return providers()


@hookimpl
def permissions():
    from plugins.substitutions.views import RECORDERS

    return [
        Permission("substitutions.view", ADMINISTRATION,
                   _l("Читать реестр замещений и сверку в конце семестра")),
        Permission("substitutions.record", frozenset(RECORDERS),
                   _l("Вносить и отзывать замещения")),
    ]


@hookimpl
def control_findings(teacher_ids, start, end):
    from plugins.substitutions.reports import findings

    return findings(teacher_ids, start, end)


@hookimpl
def audit_labels():
    """Russian names of the audit codes the substitutions plugin records."""
    from flask_babel import lazy_gettext as _l

    from core.plugins.types import AuditLabels
    from plugins.substitutions.services import KINDS

    return AuditLabels(actions={
        "substitutions.record": _l("Замена записана"),
        "substitutions.withdraw": _l("Замена отменена"),
    }, fields={
        "absent_id": _l("Отсутствующий (№)"),
        "substitute_id": _l("Заменяющий (№)"),
        "load_id": _l("Журнал (№; пусто — все журналы)"),
        "pairs": _l("Пары (пусто — все)"),
        "from": _l("С"),
        "to": _l("По"),
    }, values={"kind": KINDS}, targets={
        "Substitution": _l("Замена"),
    })
