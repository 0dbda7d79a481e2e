"""Hook implementations of the administration pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from core.people.permissions import can
from core.people.roles import Role
from core.plugins import hookimpl
from core.plugins.types import NavItem, Permission

if TYPE_CHECKING:
    from core.people.models import UserLike


@hookimpl
def register_blueprints(app):
    from core.admin import (  # noqa: F401  (they join the blueprint)
        audit_views,
        delivery_views,
        health_views,
    )
    from core.admin.views import bp
    from core.admin.year_opening import bp as year_bp

    app.register_blueprint(bp)
    app.register_blueprint(year_bp)


@hookimpl
def nav_items(user: UserLike):
    if can(user, "admin.view"):
        return [NavItem(_l("Администрирование"), "admin.index", order=900)]
    return []


@hookimpl
def admin_links(user: UserLike):
    links = [
        ("admin.audit.view", NavItem(_l("Журнал аудита"), "admin.audit_log", order=800)),
        ("admin.delivery.manage",
         NavItem(_l("Журнал доставки уведомлений"), "admin.delivery_log", order=810)),
        ("admin.health.view", NavItem(_l("Состояние системы"), "admin.health_page", order=820)),
        ("admin.year.open", NavItem(_l("Открытие учебного года: год, семестры, группы, кураторы"),
                                    "year.index", order=100)),
        ("admin.year.open", NavItem(_l("Импорт обучающихся и родителей (CSV, XLSX)"),
                                    "year.import_upload", order=110)),
    ]
    return [link for action, link in links if can(user, action)]


@hookimpl
def permissions():
    admin = frozenset({Role.ADMIN})
    return [
        Permission("admin.view", frozenset({Role.ADMIN, Role.DIRECTOR}),
                   _l("Открывать раздел «Администрирование»: политику, настройки, сведения")),
        Permission("admin.settings.edit", admin, _l("Менять значения политики и настройки")),
        Permission("admin.audit.view", admin, _l("Читать журнал аудита")),
        Permission("admin.delivery.manage", admin,
                   _l("Читать журнал доставки уведомлений и отправлять повторно")),
        Permission("admin.health.view", admin,
                   _l("Видеть состояние системы: база, миграции, обработчик, очередь, ошибки")),
        Permission("admin.year.open", admin,
                   _l("Открывать учебный год, вести группы и импорт обучающихся")),
    ]
