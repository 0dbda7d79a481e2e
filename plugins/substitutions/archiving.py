"""The substitutions' part of a period's archive (docs/archive.md): who replaced whom, as a
table."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.plugins import hookimpl
from core.plugins.types import ArchiveTable
from plugins.substitutions.models import Substitution

COLUMNS = ("substitution_id", "kind", "absent_id", "substitute_id", "load_id", "pairs",
           "date_from", "date_to", "reason", "created_by_id", "created_at", "withdrawn_at")


@hookimpl(specname="archive_records")
def substitution_records(start: date, end: date) -> list[ArchiveTable]:
    """The substitutions overlapping the period, withdrawn ones too (one query)."""
    rows = db.session.execute(
        select(Substitution.id, Substitution.kind, Substitution.absent_id,
               Substitution.substitute_id, Substitution.load_id, Substitution.pairs,
               Substitution.date_from, Substitution.date_to, Substitution.reason,
               Substitution.created_by_id, Substitution.created_at, Substitution.withdrawn_at)
        .where(Substitution.date_from <= end, Substitution.date_to >= start)
        .order_by(Substitution.date_from, Substitution.id)).all()
    return [ArchiveTable("substitutions", COLUMNS, [tuple(row) for row in rows],
                         title=_("Замещения"))]
