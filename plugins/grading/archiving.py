"""Grading's part of a period's archive (docs/archive.md): what keeps the period open (finals
not set, corrections of marks waiting for a decision) and its marks and finals as tables."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from core.calendar.models import Term
from core.extensions import db
from core.people.models import Student
from core.plugins import hookimpl
from core.plugins.types import ArchiveBlocker, ArchiveTable
from plugins.grading import services
from plugins.grading.models import Correction, Final, Mark
from plugins.journal import api as journal

#: how many of a blocker's items are named on the closing page
EXAMPLES = 5
MARK_COLUMNS = ("mark_id", "lesson_id", "student_id", "record_book_no", "student", "position",
                "mark_type", "value", "corrected", "updated_at", "updated_by_id")
FINAL_COLUMNS = ("final_id", "load_id", "student_id", "record_book_no", "student", "kind",
                 "value", "updated_at", "updated_by_id")


def _period_loads(start: date, end: date) -> list[journal.LoadInfo]:
    """The loads whose term lies within the period."""
    return journal.loads((Term.starts_on >= start) & (Term.ends_on <= end))


def _student_name():
    return (Student.last_name + " " + Student.first_name + " "
            + func.coalesce(Student.middle_name, ""))


@hookimpl(specname="archive_blockers")
def grading_blockers(start: date, end: date) -> list[ArchiveBlocker]:
    """Loads of the period without every term final, and corrections of its marks pending."""
    loads = _period_loads(start, end)
    groups, _teachers = journal.load_labels(loads)
    open_loads = [load for load in loads if not services.finals_complete(load)]
    blockers = []
    if open_loads:
        blockers.append(ArchiveBlocker(
            _("Не выставлены итоговые оценки за семестр"), len(open_loads),
            tuple(f"{groups.get(load.group_id, '')} · {load.discipline.title} · "
                  f"{load.term.title}" for load in open_loads[:EXAMPLES])))
    pending = db.session.scalar(select(func.count(Correction.id)).where(
        Correction.status == "pending",
        Correction.lesson_id.in_(journal.lesson_ids(start, end))))
    if pending:
        blockers.append(ArchiveBlocker(
            _("Заявки на исправление оценок ждут решения"), pending,
            (_("Раздел «Исправления оценок»"),)))
    return blockers


@hookimpl(specname="archive_records")
def grading_records(start: date, end: date) -> list[ArchiveTable]:
    """The marks of the period's lessons and the finals of its loads (two queries)."""
    marks = db.session.execute(
        select(Mark.id, Mark.lesson_id, Mark.student_id, Student.record_book_no,
               _student_name(), Mark.position, Mark.mark_type, Mark.value, Mark.corrected,
               Mark.updated_at, Mark.updated_by_id)
        .join(Student, Student.id == Mark.student_id)
        .where(Mark.lesson_id.in_(journal.lesson_ids(start, end)), Mark.value != "")
        .order_by(Mark.lesson_id, Mark.student_id, Mark.position)).all()
    load_ids = [load.id for load in _period_loads(start, end)]
    finals = db.session.execute(
        select(Final.id, Final.load_id, Final.student_id, Student.record_book_no,
               _student_name(), Final.kind, Final.value, Final.updated_at, Final.updated_by_id)
        .join(Student, Student.id == Final.student_id)
        .where(Final.load_id.in_(load_ids), Final.value != "")
        .order_by(Final.load_id, Final.student_id, Final.kind)).all() if load_ids else []
    return [ArchiveTable("marks", MARK_COLUMNS, [tuple(row) for row in marks],
                         title=_("Текущие оценки")),
            ArchiveTable("finals", FINAL_COLUMNS, [tuple(row) for row in finals],
                         retention="statement", title=_("Итоговые оценки"))]
