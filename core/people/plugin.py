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
    """Who edits contacts and parents of students: the curator (BTT 3.4) or only the
    administrator (KTIS 3.12); scope (``core.people.scope``) is checked before this. Who
    appoints staff to roles: the director (BTT 4.7.2) or the administrator."""
    if not user.is_authenticated:
        return None
    from core.policy import Decision

    if action == "people.appoint":
        if policy["people.appointed_by"] == "director":
            if user.has_role(Role.DIRECTOR):
                return None
            return Decision.deny(str(_l("Сотрудников на роли назначает директор приказом; "
                                        "администратор создаёт учётные записи.")), status=403)
        if user.has_role(Role.ADMIN):
            return None
        return Decision.deny(str(_l("Сотрудников на роли назначает администратор ЭЖ.")),
                             status=403)
    if action not in ("people.contacts.edit", "people.family.edit"):
        return None

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
    items = [NavItem(_l("Группы"), "people.groups", order=200)]
    if can(user, "people.appointments.view") and not user.has_role(Role.ADMIN):
        items.append(NavItem(_l("Назначения"), "people.appointments", order=210))
    return items


@hookimpl
def admin_links(user: UserLike):
    if not can(user, "people.staff.manage"):
        return []
    return [NavItem(_l("Учётные записи сотрудников"), "people.staff_list", order=100),
            NavItem(_l("Назначения сотрудников"), "people.appointments", order=105),
            NavItem(_l("Изменения о родителях от руководителей групп"),
                    "people.family_changes_list", order=106)]


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
        Permission("people.appointments.view", frozenset({Role.ADMIN, Role.DIRECTOR,
                                                          Role.DEPUTY}),
                   _l("Открывать назначения сотрудников на роли и их историю")),
        Permission("people.appoint", frozenset({Role.ADMIN, Role.DIRECTOR}),
                   _l("Назначать сотрудников на роли приказом (кто именно — по положению)")),
        Permission("people.family.apply", admin,
                   _l("Применять предложенные руководителем группы изменения о родителях")),
    ]


@hookimpl
def scheduled_jobs():
    from core.people.appointments import apply_due
    from core.plugins.types import ScheduledJob

    def run():
        from core.extensions import db

        if apply_due():
            db.session.commit()

    return [ScheduledJob("people.appointments.apply_due", {"minute": "7"}, run)]
