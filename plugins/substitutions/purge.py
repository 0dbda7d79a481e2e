"""Substitutions' side of the archive's purge of a period (``purge_records``): the records of
substitutions lying wholly within the period."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from core.plugins import hookimpl
from core.plugins.types import PurgeCount
from core.retention import purge_rows
from plugins.substitutions.models import Substitution


@hookimpl(specname="purge_records")
def purge_records(start: date, end: date, dry_run: bool) -> list[PurgeCount]:
    table = Substitution.__table__
    return [purge_rows("substitutions", table, _("Записи о замещениях"),
                       table.c.date_from.between(start, end) & table.c.date_to.between(start, end),
                       dry_run)]
