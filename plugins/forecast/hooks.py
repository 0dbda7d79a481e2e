"""Hook implementations of the early warning and of the readiness for the demonstration exam
and the ВКР (registered beside ``plugin.py`` through ``PLUGIN.hook_modules``): their policy
keys, rights, menu items with the curator's count, the home page's block, the curators' weekly
mail, the link from the КТП page and the demo's ties."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.plugins import hookimpl
from core.plugins.types import NavItem

#: see the early warning and the readiness lists (scope: ``plugins.forecast.access``)
WARNINGS = "forecast.warnings"
#: tie a specialty's demonstration exam and ВКР to the disciplines they draw on
TIES = "forecast.attestation.edit"


@hookimpl(specname="policy_schema")
def warning_policy():
    from core.policy.schema import PolicyKey

    return [
        PolicyKey("forecast.warning_lessons_left", "int", 4,
                  str(_l("Раннее предупреждение: мало оценок, когда до конца семестра осталось "
                         "занятий не больше")),
                  str(_l("Обучающийся, которому не хватает оценок до минимума (или оценок за "
                         "обязательные виды работ), попадает в список риска, когда по "
                         "расписанию осталось столько занятий или меньше."))),
        PolicyKey("forecast.warning_unexcused_hours", "int", 8,
                  str(_l("Раннее предупреждение: пропуски без уважительной причины по "
                         "дисциплине за семестр, часов")),
                  str(_l("0 — пропуски в список риска не попадают."))),
        PolicyKey("forecast.warning_finals_days", "int", 3,
                  str(_l("Раннее предупреждение: итоговой оценки нет через столько дней после "
                         "конца семестра"))),
        PolicyKey("forecast.readiness_absence_percent", "int", 20,
                  str(_l("Готовность к ДЭ и ВКР: доля пропущенных часов связанных дисциплин, "
                         "с которой обучающийся в зоне риска, %")),
                  str(_l("0 — посещаемость готовность не снижает."))),
    ]


@hookimpl(specname="permissions")
def warning_permissions():
    from core.plugins.types import Permission

    return [
        Permission(WARNINGS, frozenset({"admin", "director", "deputy", "curator"}),
                   str(_l("Видеть раннее предупреждение и готовность к ДЭ и ВКР (классный "
                          "руководитель — своей группы)"))),
        Permission(TIES, frozenset({"admin", "deputy", "methodist"}),
                   str(_l("Связывать демонстрационный экзамен и ВКР специальности с "
                          "модулями, практиками и курсовыми работами"))),
    ]


@hookimpl(specname="nav_items")
def warning_nav(user):
    from core.people.permissions import can

    if not user.is_authenticated or not can(user, WARNINGS):
        return []
    from plugins.forecast.access import warning_groups
    from plugins.forecast.widgets import curator_count

    groups = warning_groups(user)
    if groups is not None and not groups:
        return []
    badge = curator_count(groups) if groups is not None else None
    return [NavItem(_l("Раннее предупреждение"), "forecast.warnings", order=73, badge=badge,
                    section="control")]


@hookimpl(specname="dashboard_widgets")
def warning_widgets(user):
    from core.people.permissions import can

    if not user.is_authenticated or not can(user, WARNINGS):
        return []
    from plugins.forecast.widgets import widgets

    return widgets(user)


@hookimpl(specname="scheduled_jobs")
def warning_jobs():
    from core.plugins.types import ScheduledJob
    from plugins.forecast.warning_jobs import weekly_warnings

    # Mondays, 07:30 in Moscow: after the control's weekly mail
    return [ScheduledJob("forecast_weekly_warnings",
                         {"day_of_week": "1", "hour": "4", "minute": "30"}, weekly_warnings)]


@hookimpl
def planning_links(user):
    from core.people.permissions import can

    if not user.is_authenticated or not (can(user, TIES) or can(user, WARNINGS)):
        return []
    return [NavItem(_l("ДЭ и ВКР: что учитывается в готовности"), "forecast.attestation",
                    order=10)]


@hookimpl(specname="demo_data")
def readiness_demo(college):
    from plugins.forecast.readiness_demo import tie_demo

    tie_demo(college)
