"""Attendance's part of a period's archive (docs/archive.md): corrections of attendance waiting
for a decision keep the period open; its absences as a table."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from core.extensions import db
from core.people.models import Student
from core.plugins import hookimpl
from core.plugins.types import ArchiveBlocker, ArchiveTable
from plugins.attendance.models import Absence, Correction
from plugins.journal import api as journal

ABSENCE_COLUMNS = ("absence_id", "lesson_id", "student_id", "record_book_no", "student", "kind",
                   "hours", "minutes", "reason", "updated_at", "updated_by_id")


@hookimpl(specname="archive_blockers")
def attendance_blockers(start: date, end: date) -> list[ArchiveBlocker]:
    """Corrections of the period's attendance still waiting for a decision."""
    pending = db.session.scalar(select(func.count(Correction.id)).where(
        Correction.status == "pending",
        Correction.lesson_id.in_(journal.lesson_ids(start, end))))
    if not pending:
        return []
    return [ArchiveBlocker(_("Заявки на исправление посещаемости ждут решения"), pending,
                           (_("Раздел «Исправления посещаемости»"),))]


@hookimpl(specname="archive_records")
def attendance_records(start: date, end: date) -> list[ArchiveTable]:
    """The absences and lateness of the period's lessons (one query)."""
    rows = db.session.execute(
        select(Absence.id, Absence.lesson_id, Absence.student_id, Student.record_book_no,
               Student.last_name + " " + Student.first_name + " "
               + func.coalesce(Student.middle_name, ""),
               Absence.kind, Absence.hours, Absence.minutes, Absence.reason, Absence.updated_at,
               Absence.updated_by_id)
        .join(Student, Student.id == Absence.student_id)
        .where(Absence.lesson_id.in_(journal.lesson_ids(start, end)), Absence.kind != "")
        .order_by(Absence.lesson_id, Absence.student_id)).all()
    return [ArchiveTable("absences", ABSENCE_COLUMNS, [tuple(row) for row in rows],
                         title=_("Пропуски и опоздания"))]
