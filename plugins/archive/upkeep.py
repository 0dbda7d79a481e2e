"""Hook implementations of the archive's upkeep (a hook module of the plugin, beside
``plugin.py``): the right to verify and purge, the weekly verification and the daily retention
purge in the worker, the ``ejournal archive verify`` and ``purge`` commands, the upkeep page's
link on the administration index."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from core.people.permissions import can
from core.people.roles import Role
from core.plugins import hookimpl
from core.plugins.types import NavItem, Permission, ScheduledJob

if TYPE_CHECKING:
    from core.people.models import UserLike

UPKEEP = "archive.upkeep"


@hookimpl(specname="permissions")
def upkeep_permissions():
    return [Permission(UPKEEP, frozenset({Role.ADMIN}),
                       str(_l("Проверять архив, смотреть и проводить уничтожение по срокам "
                              "хранения")))]


@hookimpl(specname="scheduled_jobs")
def upkeep_jobs():
    from plugins.archive import alerts, purge

    return [
        # Mondays 02:30 UTC: the week's archive check, before the staff's day
        ScheduledJob("archive.verify_weekly", {"minute": "30", "hour": "2", "day_of_week": "1"},
                     alerts.verify_weekly),
        ScheduledJob("archive.purge_daily", {"minute": "40", "hour": "1"}, purge.purge_due),
    ]


@hookimpl(specname="register_cli")
def upkeep_cli(cli):
    from plugins.archive.cli import archive_group

    cli.add_command(archive_group)


@hookimpl(specname="admin_links")
def upkeep_links(user: UserLike):
    if not can(user, UPKEEP):
        return []
    return [NavItem(_l("Архив: проверки и сроки хранения"), "archive.upkeep", order=310)]
