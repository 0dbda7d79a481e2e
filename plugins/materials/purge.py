"""Materials' side of the archive's purge of a period (``purge_records``): a material attached to
a removed lesson is kept, as a material of the whole discipline (it is teaching matter, not a
record of the journal)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from core.extensions import db
from core.plugins import hookimpl
from core.plugins.types import PurgeCount
from plugins.journal.api import lesson_ids_between
from plugins.materials.models import Material


@hookimpl(specname="purge_records")
def purge_records(start: date, end: date, dry_run: bool) -> list[PurgeCount]:
    table = Material.__table__
    attached = table.c.lesson_id.in_(lesson_ids_between(start, end))
    count = db.session.scalar(select(func.count()).select_from(table).where(attached)) or 0
    if count and not dry_run:
        db.session.execute(update(table).where(attached).values(lesson_id=None))
    return [PurgeCount("materials", table.name, _("Материалы, откреплённые от удаляемых занятий "
                                                  "(остаются у дисциплины)"), count)]
