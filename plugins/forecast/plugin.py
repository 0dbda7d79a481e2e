"""Hook implementations of the forecast: its policy key."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.plugins import hookimpl


@hookimpl
def policy_schema():
    from core.policy.schema import PolicyKey

    return [PolicyKey("forecast.visible_to_families", "bool", False,
                      str(_l("Обучающиеся и родители видят прогноз итоговых оценок в дневнике")),
                      str(_l("Ожидаемая итоговая оценка с диапазоном, риск «2» или «н/а» и "
                             "причины; преподаватель, классный руководитель и заместитель "
                             "директора видят прогноз всегда")))]


@hookimpl
def nav_items(user):
    """«Прогноз» for staff who see some group's forecasts (curator, administration) or teach."""
    if not user.is_authenticated:
        return []
    from core.people.roles import Role
    from core.plugins.types import NavItem
    from plugins.forecast import rights

    if rights.group_scope(user) != set() or (rights.is_staff(user)
                                             and user.has_role(Role.TEACHER)):
        return [NavItem(_l("Прогноз"), "forecast.index", order=36, section="journal")]
    return []


@hookimpl
def journal_scripts(load, user):
    """The forecast on hover over the grid's final column, for those who see it (no query for
    the teacher of the load; a curator's check reads their groups once)."""
    from flask import url_for

    from plugins.forecast import rights
    from plugins.journal.api import PageScript

    if not rights.may_see_load(user, load):
        return []
    return [PageScript(url_for("forecast.static", filename="forecast/grid.js"),
                       {"feed": url_for("forecast.feed", load_id=load.id),
                        "hint": str(_l("Наведите на итоговую оценку — прогноз и его причины"))})]


@hookimpl
def journal_links(load, lesson, user):
    """A link from the grid to the journal's forecast page (no query)."""
    from core.plugins.types import NavItem
    from plugins.forecast import rights

    if lesson is not None or not rights.may_see_load(user, load):
        return []
    return [NavItem(_l("Прогноз итогов"), "forecast.load", values={"load_id": load.id})]


@hookimpl
def audit_labels():
    """Russian names of the audit codes the forecast records."""
    from flask_babel import lazy_gettext as _l

    from core.plugins.types import AuditLabels

    return AuditLabels(actions={
        "forecast.attestation.ties": _l("Связи итоговой аттестации с модулями изменены"),
        "forecast.warnings.export": _l("Выгружен список обучающихся в зоне риска"),
    })
