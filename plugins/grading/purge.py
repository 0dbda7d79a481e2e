"""Grading's side of the archive's purge of a period (``purge_records``): the current marks of
the period's lessons with their history, flags and corrections. Finals stay: the summary
statements are kept longer."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from core.plugins import hookimpl
from core.plugins.types import PurgeCount
from core.retention import purge_rows
from plugins.grading.models import Correction, History, Mark, MarkFlag
from plugins.journal.api import lesson_ids_between


@hookimpl(specname="purge_records")
def purge_records(start: date, end: date, dry_run: bool) -> list[PurgeCount]:
    lessons = lesson_ids_between(start, end)
    mark, history, flag, correction = (Mark.__table__, History.__table__, MarkFlag.__table__,
                                       Correction.__table__)
    marks = select(mark.c.id).where(mark.c.lesson_id.in_(lessons)).scalar_subquery()
    return [
        purge_rows("grading", flag, _("Сообщения об ошибочных оценках"),
                   flag.c.mark_id.in_(marks), dry_run),
        purge_rows("grading", history, _("История текущих оценок"),
                   history.c.mark_id.in_(marks), dry_run),
        purge_rows("grading", correction, _("Исправления текущих оценок"),
                   correction.c.lesson_id.in_(lessons), dry_run),
        purge_rows("grading", mark, _("Текущие оценки"), mark.c.lesson_id.in_(lessons), dry_run),
    ]
