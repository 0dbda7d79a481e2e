"""Hook implementations of the diary: pages, the menu and the home page of families."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from core.people.roles import Role
from core.plugins import hookimpl
from core.plugins.types import NavItem

if TYPE_CHECKING:
    from core.people.models import UserLike


@hookimpl
def nav_items(user: UserLike):
    if user.is_authenticated and user.has_role(Role.STUDENT, Role.PARENT):
        return [NavItem(_l("Дневник"), "family.index", order=5)]
    return []


@hookimpl
def dashboard_widgets(user: UserLike):
    """A student's or parent's home: the diary of each child, one click away."""
    if not (user.is_authenticated and user.has_role(Role.STUDENT, Role.PARENT)):
        return []
    from sqlalchemy import select

    from core.extensions import db
    from core.people.models import Student
    from core.people.scope import own_student_ids
    from core.plugins.types import Widget

    own = own_student_ids(user)
    if not own:
        return []
    students = db.session.scalars(select(Student).where(Student.id.in_(own))
                                  .order_by(Student.last_name, Student.first_name)).all()
    return [Widget(_l("Дневник"), "family/widget.html", {"students": students}, order=5)]


@hookimpl
def audit_labels():
    """Russian names of the audit codes the family plugin records."""
    from flask_babel import lazy_gettext as _l

    from core.plugins.types import AuditLabels

    return AuditLabels(actions={
        "family.diary.view": _l("Просмотр дневника"),
    }, fields={
    })
