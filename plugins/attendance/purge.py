"""Attendance's side of the archive's purge of a period (``purge_records``): the absences of the
period's lessons with their history and corrections, the «attendance taken» marks, and the
excuses (sick notes, parents' reports) lying wholly within the period."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from core.plugins import hookimpl
from core.plugins.types import PurgeCount
from core.retention import purge_rows
from plugins.attendance.models import Absence, AbsenceHistory, Correction, Excuse, Taken
from plugins.journal.api import lesson_ids_between


@hookimpl(specname="purge_records")
def purge_records(start: date, end: date, dry_run: bool) -> list[PurgeCount]:
    lessons = lesson_ids_between(start, end)
    absence, history, taken, correction, excuse = (
        Absence.__table__, AbsenceHistory.__table__, Taken.__table__, Correction.__table__,
        Excuse.__table__)
    absences = select(absence.c.id).where(absence.c.lesson_id.in_(lessons)).scalar_subquery()
    # an excuse reaching outside the period still explains absences of a kept period
    within = excuse.c.date_from.between(start, end) & excuse.c.date_to.between(start, end)
    excused_elsewhere = select(absence.c.excuse_id).where(
        absence.c.excuse_id.is_not(None), absence.c.lesson_id.not_in(lessons))
    return [
        purge_rows("attendance", history, _("История отметок посещаемости"),
                   history.c.absence_id.in_(absences), dry_run),
        purge_rows("attendance", correction, _("Исправления отметок посещаемости"),
                   correction.c.lesson_id.in_(lessons), dry_run),
        purge_rows("attendance", absence, _("Пропуски и опоздания"),
                   absence.c.lesson_id.in_(lessons), dry_run),
        purge_rows("attendance", taken, _("Отметки «посещаемость отмечена»"),
                   taken.c.lesson_id.in_(lessons), dry_run),
        purge_rows("attendance", excuse, _("Уважительные причины (справки, сообщения родителей)"),
                   within & excuse.c.id.not_in(excused_elsewhere), dry_run),
    ]
