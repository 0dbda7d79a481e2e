"""The journal's part of a period's archive (docs/archive.md): its lessons as a plain table."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from core.calendar.models import Term
from core.extensions import db
from core.people.models import Group
from core.plugins import hookimpl
from core.plugins.types import ArchiveTable
from plugins.journal.models import Discipline, Lesson, TeachingLoad

LESSON_COLUMNS = ("lesson_id", "load_id", "group", "subgroup_id", "discipline_code",
                  "discipline", "term", "teacher_id", "taught_by_id", "date", "pair_number",
                  "hours", "work_type", "topic", "homework", "tasks_done")


@hookimpl(specname="archive_records")
def lesson_records(start: date, end: date) -> list[ArchiveTable]:
    """Every lesson of the period with its journal (one query)."""
    rows = db.session.execute(
        select(Lesson.id, Lesson.load_id, Group.name, TeachingLoad.subgroup_id, Discipline.code,
               Discipline.name, Term.title, TeachingLoad.teacher_id, Lesson.taught_by_id,
               Lesson.date, Lesson.pair_number, Lesson.hours, Lesson.work_type, Lesson.topic,
               Lesson.homework, Lesson.tasks_done)
        .join(TeachingLoad, TeachingLoad.id == Lesson.load_id)
        .join(Group, Group.id == TeachingLoad.group_id)
        .join(Discipline, Discipline.id == TeachingLoad.discipline_id)
        .join(Term, Term.id == TeachingLoad.term_id)
        .where(Lesson.date >= start, Lesson.date <= end)
        .order_by(Lesson.date, Lesson.pair_number, Lesson.id)).all()
    return [ArchiveTable("lessons", LESSON_COLUMNS, [tuple(row) for row in rows],
                         title=_("Занятия"))]
