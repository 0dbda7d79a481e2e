"""Hook implementations of materials: tables and pages, who manages every load's materials
(``permissions``), the journal's links to a load's and a lesson's materials, the diary's notes
and section, demo materials."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.plugins import hookimpl
from core.plugins.types import NavItem


@hookimpl
def permissions():
    """The administration (the methodological service among it) adds and changes the materials
    of any load; a teacher those of their own loads (``services.may_add``)."""
    from core.people.roles import ADMINISTRATION
    from core.plugins.types import Permission
    from plugins.materials.services import MANAGE

    return [Permission(MANAGE, ADMINISTRATION,
                       str(_l("Добавлять и менять материалы любой дисциплины")))]


@hookimpl
def journal_links(load, lesson, user):
    """The grid links the load's materials (with their count); a lesson's page its own
    materials and, for whoever may add, «Прикрепить материал к занятию»."""
    from flask_babel import gettext as _

    from plugins.materials import services

    if not services.may_see(user, load):
        return []
    total, by_lesson = services.counts(load.id)
    if lesson is None:
        title = _("Материалы (%(count)s)", count=total) if total else _("Материалы")
        return [NavItem(title, "materials.load", values={"load_id": load.id})]
    links = [NavItem(_("%(kind)s: «%(title)s»", kind=material.kind_title,
                       title=material.title), "materials.show",
                     values={"material_id": material.id})
             for material in services.of_lessons({lesson.id}).get(lesson.id, [])
             ] if by_lesson.get(lesson.id) else []
    if services.may_add(user, load):
        links.append(NavItem(_("Прикрепить материал к занятию"), "materials.new",
                             values={"load_id": load.id, "lesson": lesson.id}))
    return links


@hookimpl
def demo_data(college):
    from plugins.materials.demo import make_materials

    make_materials(college)


@hookimpl
def audit_labels():
    """Russian names of the audit codes the materials plugin records."""
    from flask_babel import lazy_gettext as _l

    from core.plugins.types import AuditLabels

    return AuditLabels(actions={
        "materials.material.add": _l("Материал добавлен"),
        "materials.material.update": _l("Материал изменён"),
        "materials.material.remove": _l("Материал удалён"),
    }, fields={
    }, targets={
        "Material": _l("Материал"),
    })
