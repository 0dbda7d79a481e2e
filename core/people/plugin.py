"""Hook implementations of people: pages, the create-admin command, the contact-editor rule,
menu and administration links, demo data for the college's people."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from core.people.permissions import can
from core.people.roles import STAFF, Role
from core.plugins import hookimpl
from core.plugins.types import NavItem, Permission

if TYPE_CHECKING:
    from core.people.models import UserLike


@hookimpl
def register_blueprints(app):
    from core.people.views import bp

    app.register_blueprint(bp)


@hookimpl
def register_cli(cli):
    from core.people.cli import create_admin_command

    cli.add_command(create_admin_command)


@hookimpl
def policy_rules(action, user, target, at, policy):
    """Who edits contacts of students and parents: the curator (BTT 3.4) or only the
    administrator (KTIS); scope (``core.people.scope``) is checked before this."""
    if action != "people.contacts.edit" or not user.is_authenticated:
        return None
    from core.policy import Decision

    if user.has_role(Role.ADMIN):
        return None
    if policy["people.contact_editor"] == "administrator":
        return Decision.deny(str(_l("Данные обучающихся и родителей правит администратор ЭЖ: "
                                    "сообщите ему об изменениях.")), status=403)
    if not user.has_role(Role.CURATOR):
        from core.people.signers import curator_title

        return Decision.deny(str(_l("Контактные данные правит %(curator)s.",
                                    curator=curator_title(False))), status=403)
    return None


@hookimpl
def nav_items(user: UserLike):
    if not can(user, "people.groups.view"):
        return []
    return [NavItem(_l("Группы"), "people.groups", order=200)]


@hookimpl
def admin_links(user: UserLike):
    if not can(user, "people.staff.manage"):
        return []
    return [NavItem(_l("Учётные записи сотрудников"), "people.staff_list", order=100)]


@hookimpl
def demo_data(college):
    from core.people.demo import make_people

    make_people(college)


@hookimpl
def permissions():
    admin = frozenset({Role.ADMIN})
    return [
        Permission("people.groups.view", STAFF, _l("Открывать группы и их списки")),
        Permission("people.student.view", frozenset(Role),
                   _l("Открывать карточку обучающегося (в пределах своей области)")),
        Permission("people.group.manage", frozenset({Role.CURATOR, Role.ADMIN}),
                   _l("Выдавать логины семьям группы, сбрасывать пароли, править контакты")),
        Permission("people.student.move", admin,
                   _l("Оформлять движение обучающегося: перевод, отчисление, восстановление")),
        Permission("people.staff.manage", admin, _l("Вести учётные записи сотрудников")),
    ]
