"""Hook implementations of reports: its tables, pages and menu, the worker's report task, and the
reports that belong to no other plugin (the printed year journal, the parents' letter, group fill
rates, user activity)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from core.plugins import hookimpl
from core.plugins.types import MigrationSource, NavItem, WorkerTask

if TYPE_CHECKING:
    from core.people.models import UserLike


@hookimpl
def register_models():
    from plugins.reports import models  # noqa: F401


@hookimpl
def register_blueprints(app):
    from plugins.reports.views import bp

    app.register_blueprint(bp)


@hookimpl
def migration_dirs():
    return MigrationSource("reports", Path(__file__).parent / "migrations", "reports_")


@hookimpl
def nav_items(user: UserLike):
    from plugins.reports import registry

    if user.is_authenticated and registry.available(user):
        return [NavItem(_l("Отчёты"), "reports.index", order=70)]
    return []


@hookimpl
def worker_tasks():
    from plugins.reports import jobs

    return [WorkerTask(jobs.TASK, jobs.run_job)]


@hookimpl
def report_providers():
    from plugins.reports import builtin

    return builtin.providers()
