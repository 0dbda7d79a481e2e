"""Hook implementations of the backups (a core module, registered like a plugin)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import lazy_gettext as _l

from core.people.permissions import can
from core.people.roles import Role
from core.plugins import hookimpl
from core.plugins.types import NavItem, Permission, ScheduledJob, SettingSpec, Widget, WorkerTask

if TYPE_CHECKING:
    from core.people.models import UserLike

#: when the daily backup runs (``huey.crontab`` arguments, UTC): 03:40 in Moscow
DEFAULT_SCHEDULE = {"hour": "0", "minute": "40"}


@hookimpl
def register_models():
    from core.backup import models  # noqa: F401


@hookimpl
def register_blueprints(app):
    from core.backup.views import bp

    app.register_blueprint(bp)


@hookimpl
def register_cli(cli):
    from core.backup.cli import backup_group

    cli.add_command(backup_group)


@hookimpl
def settings_schema():
    return [
        SettingSpec("backup.keep_daily", int, 7,
                    _l("Резервные копии: хранить ежедневных (restic --keep-daily)")),
        SettingSpec("backup.keep_weekly", int, 5,
                    _l("Резервные копии: хранить еженедельных (restic --keep-weekly)")),
        SettingSpec("backup.keep_monthly", int, 12,
                    _l("Резервные копии: хранить ежемесячных (restic --keep-monthly)")),
        SettingSpec("backup.stale_hours", int, 26,
                    _l("Резервные копии: предупреждать, если последней удачной копии больше "
                       "стольких часов")),
    ]


def _backup_daily():
    from core.backup.runs import backup_daily

    return backup_daily()


def _send_alerts():
    from core.backup.status import send_alerts

    return send_alerts()


@hookimpl
def scheduled_jobs():
    schedule = current_app.config.get("BACKUP_SCHEDULE") or DEFAULT_SCHEDULE
    return [ScheduledJob("backup_daily", dict(schedule), _backup_daily),
            ScheduledJob("backup_stale_alert", {"minute": "50"}, _send_alerts)]


def _backup_now():
    from core.backup.runs import run_backup

    return run_backup("admin")


@hookimpl
def worker_tasks():
    return [WorkerTask("backup_now", _backup_now)]


@hookimpl
def permissions():
    return [Permission("admin.backup.manage", frozenset({Role.ADMIN}),
                       _l("Видеть резервные копии и делать копию вне расписания"))]


@hookimpl
def admin_links(user: UserLike):
    if can(user, "admin.backup.manage"):
        return [NavItem(_l("Резервные копии базы"), "backup.index", order=820)]
    return []


@hookimpl
def dashboard_widgets(user: UserLike):
    if not user.is_authenticated or not can(user, "admin.backup.manage"):
        return []
    from core.backup.status import alert_text

    lines = alert_text()
    if not lines:
        return []
    return [Widget(_l("Резервные копии требуют внимания"), "admin/backup_widget.html",
                   {"alerts": lines}, order=1)]


@hookimpl
def health_checks():
    """The age of the oldest last good copy among the destinations: a gauge for /metrics, and
    not ok once one is older than ``backup.stale_hours`` or has none."""
    from core.health import guarded

    label = str(_l("Возраст резервной копии"))
    return [guarded("backup_age_seconds", label, lambda: _backup_age(label))]


def _backup_age(label: str):
    from core.backup import status
    from core.plugins.types import HealthCheck

    states = status.states()
    ages = [state.age for state in states]
    if not states or None in ages:
        missing = ", ".join(state.name for state in states if state.age is None)
        return HealthCheck(key="backup_age_seconds", label=label, ok=False,
                           detail=str(_l("Копий ещё нет: %(names)s", names=missing))
                           if missing else str(_l("Места хранения копий не настроены")))
    oldest = max(ages)
    return HealthCheck(key="backup_age_seconds", label=label,
                       ok=oldest <= status.stale_after(), value=oldest.total_seconds(),
                       detail=str(_l("Самая старая из последних копий — %(hours)s ч назад",
                                     hours=int(oldest.total_seconds() // 3600))))
