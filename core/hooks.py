"""The core's own hook implementations: it is loaded the same way as any plugin."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from core.plugins import hookimpl
from core.plugins.types import (
    AboutItem,
    MigrationSource,
    NavItem,
    ScheduledJob,
    SettingSpec,
)

if TYPE_CHECKING:
    from core.people.models import UserLike

REPO_ROOT = Path(__file__).resolve().parent.parent


@hookimpl
def register_models():
    from core import audit, outbox, pending_uploads, settings  # noqa: F401
    from core.auth import lockout  # noqa: F401
    from core.calendar import models as calendar_models  # noqa: F401
    from core.people import models as people_models  # noqa: F401


@hookimpl
def register_blueprints(app):
    from core.views import bp

    app.register_blueprint(bp)


@hookimpl
def register_cli(cli):
    from core.cli_commands import (
        audit_group,
        db_group,
        demo_command,
        serve_command,
        worker_command,
    )

    cli.add_command(db_group)
    cli.add_command(demo_command)
    cli.add_command(serve_command)
    cli.add_command(audit_group)
    cli.add_command(worker_command)


@hookimpl
def migration_dirs():
    return MigrationSource("core", REPO_ROOT / "migrations", "core_")


@hookimpl
def settings_schema():
    return [
        SettingSpec("college.name", str, "Колледж", _l("Полное наименование колледжа")),
        SettingSpec("college.director", str, "", _l("Директор (Ф. И. О. для подписи)")),
        SettingSpec("college.address", str, "", _l("Адрес колледжа")),
    ]


@hookimpl(tryfirst=True)
def health_checks():
    from core.health import core_checks

    return core_checks()


@hookimpl(tryfirst=True)
def about_items():
    from core import __version__
    from core.database import backend_description

    return [
        AboutItem(_l("Версия программы"), f"ejournal {__version__}"),
        AboutItem(_l("База данных"), backend_description()),
    ]


@hookimpl(tryfirst=True)
def policy_rules(action, user, target, at, policy):
    """A declared action (``permissions`` hook) is refused to users without one of its roles."""
    from core.people.access import role_allows
    from core.policy import Decision

    if role_allows(user, action) is False:
        return Decision.deny(str(_l("У вас нет прав на это действие.")), status=403)
    return None


@hookimpl
def nav_items(user: UserLike):
    if not user.is_authenticated:
        return []
    return [NavItem(_l("Главная"), "core.index", order=0)]


@hookimpl
def scheduled_jobs():
    from core import retention

    # 01:20 UTC: the night at the colleges, after the day's mail went out
    return [ScheduledJob("core.retention_daily", {"minute": "20", "hour": "1"},
                         retention.purge_daily)]
