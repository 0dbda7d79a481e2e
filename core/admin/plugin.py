"""Hook implementations of the administration pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from core.people.roles import Role
from core.plugins import hookimpl
from core.plugins.types import NavItem

if TYPE_CHECKING:
    from core.people.models import UserLike


@hookimpl
def register_blueprints(app):
    from core.admin import audit_views, delivery_views  # noqa: F401  (they join the blueprint)
    from core.admin.views import bp
    from core.admin.year_opening import bp as year_bp

    app.register_blueprint(bp)
    app.register_blueprint(year_bp)


@hookimpl
def nav_items(user: UserLike):
    if user.is_authenticated and user.has_role(Role.ADMIN, Role.DIRECTOR):
        return [NavItem(_l("Администрирование"), "admin.index", order=900)]
    return []


@hookimpl
def admin_links(user: UserLike):
    if not user.is_authenticated or not user.has_role(Role.ADMIN):
        return []
    return [
        NavItem(_l("Журнал аудита"), "admin.audit_log", order=800),
        NavItem(_l("Журнал доставки уведомлений"), "admin.delivery_log", order=810),
        NavItem(_l("Открытие учебного года: год, семестры, группы, кураторы"), "year.index", order=100),
        NavItem(_l("Импорт обучающихся и родителей (CSV, XLSX)"), "year.import_upload", order=110),
    ]
