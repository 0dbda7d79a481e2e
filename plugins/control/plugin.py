"""Hook implementations of the control: its policy keys (the cadences, the term-end check, the
results to the director), rights, menu item, the home page's block of checks due and remarks to
acknowledge, the weekly mail of open gaps, demo checks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.plugins import hookimpl
from core.plugins.types import NavItem


@hookimpl
def policy_schema():
    from core.policy.schema import PolicyKey

    return [
        PolicyKey("control.supervisor_check_days", "int", 14,
                  str(_l("Как часто куратор курса проверяет журналы групп своего курса, дней")),
                  str(_l("0 — без графика. Проверка, не подписанная в срок, видна на главной "
                         "странице проверяющего и заместителя директора."))),
        PolicyKey("control.deputy_check_days", "int", 7,
                  str(_l("Как часто заместитель директора проверяет журналы, дней")),
                  str(_l("0 — без графика."))),
        PolicyKey("control.methodist_check_days", "int", 0,
                  str(_l("Как часто учебно-методическая служба проверяет журналы, дней "
                         "(1 — ежедневно)")),
                  str(_l("0 — без графика."))),
        PolicyKey("control.term_end_check", "bool", False,
                  str(_l("Тщательная проверка журналов в конце семестра по перечню")),
                  str(_l("Пункты перечня отмечаются по найденным нарушениям; остальные "
                         "проверяющий отмечает сам."))),
        PolicyKey("control.report_results_to_director", "bool", False,
                  str(_l("Результаты проверки сообщаются директору письменно")),
                  str(_l("Подписанная справка приходит директору письмом и видна на его главной "
                         "странице."))),
    ]


@hookimpl
def permissions():
    from core.plugins.types import Permission
    from plugins.control import rules

    return [
        Permission(rules.CHECK, frozenset({"deputy", "methodist", "supervisor"}),
                   str(_l("Проверять ведение журналов и подписывать справки по итогам проверки"))),
        Permission(rules.READ, rules.READERS,
                   str(_l("Читать все подписанные проверки журналов и план контроля"))),
        Permission(rules.PLAN, rules.PLANNERS,
                   str(_l("Составлять план внутреннего контроля"))),
    ]


@hookimpl
def nav_items(user):
    from core.people.scope import is_staff

    if not is_staff(user):
        return []
    return [NavItem(_l("Контроль"), "control.index", order=75, section="control")]


@hookimpl
def dashboard_widgets(user):
    from core.people.scope import is_staff

    if not is_staff(user):
        return []
    from plugins.control.widgets import widgets

    return widgets(user)


@hookimpl
def scheduled_jobs():
    from core.plugins.types import ScheduledJob
    from plugins.control.jobs import weekly_gaps

    # Mondays, 07:00 in Moscow
    return [ScheduledJob("control_weekly_gaps", {"day_of_week": "1", "hour": "4", "minute": "0"},
                         weekly_gaps)]


@hookimpl
def demo_data(college):
    from plugins.control.demo import make_checks

    make_checks(college)


@hookimpl
def audit_labels():
    """Russian names of the audit codes the control plugin records."""
    from flask_babel import lazy_gettext as _l

    from core.plugins.types import AuditLabels

    return AuditLabels(actions={
        "control.plan.add": _l("Проверка внесена в план"),
        "control.check.start": _l("Проверка журналов начата"),
        "control.check.remarks": _l("Замечания проверки записаны"),
        "control.check.tick": _l("Пункт перечня проверки отмечен"),
        "control.check.sign": _l("Проверка подписана"),
        "control.remark.acknowledge": _l("Преподаватель ознакомлен с замечанием"),
    }, fields={
        "overall": _l("Общее замечание"),
        "findings": _l("Нарушений"),
        "plan_item_id": _l("Пункт плана (№)"),
        "ticked": _l("Отмечено"),
    }, targets={
        "Check": _l("Проверка журналов"),
        "Remark": _l("Замечание"),
        "PlanItem": _l("Пункт плана контроля"),
    })
