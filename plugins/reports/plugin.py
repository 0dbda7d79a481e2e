"""Hook implementations of reports: its tables, pages and menu, the worker's report task, and the
reports that belong to no other plugin (the printed year journal, the parents' letter, group fill
rates, user activity)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from core.plugins import hookimpl
from core.plugins.types import NavItem, ScheduledJob, WorkerTask

if TYPE_CHECKING:
    from core.people.models import UserLike


@hookimpl
def nav_items(user: UserLike):
    from plugins.reports import registry

    if user.is_authenticated and registry.available(user):
        return [NavItem(_l("Отчёты"), "reports.index", order=70, section="control")]
    return []


@hookimpl
def worker_tasks():
    from plugins.reports import jobs

    return [WorkerTask(jobs.TASK, jobs.run_job)]


@hookimpl
def report_providers():
    from plugins.reports import builtin

    return builtin.providers()


@hookimpl
def policy_schema():
    from core.policy.schema import PolicyKey

    return [PolicyKey("reports.file_retention_days", "int", 30,
                      str(_l("Сколько дней хранятся готовые файлы отчётов")),
                      str(_l("Потом файл удаляется; отчёт строится заново по текущим данным")))]


@hookimpl
def scheduled_jobs():
    from plugins.reports import retention

    return [ScheduledJob("reports.retention_daily", {"minute": "25", "hour": "1"},
                         retention.purge_daily)]


@hookimpl
def audit_labels():
    """Russian names of the audit codes the reports plugin records."""
    from flask_babel import lazy_gettext as _l

    from core.plugins.types import AuditLabels

    return AuditLabels(actions={
        "reports.export": _l("Выгрузка отчёта"),
        "reports.student.view": _l("Просмотр успеваемости обучающегося"),
        "retention.reports.purge": _l("Старые отчёты удалены по сроку хранения"),
    }, fields={
    }, targets={
        "ReportJob": _l("Отчёт"),
    })
