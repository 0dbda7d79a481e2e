"""The journal's side of the archive's purge of a period (``purge_records``): the lessons, their
history and the timetable's dated changes. It runs last: the other plugins' rows point at the
lessons."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from core.plugins import hookimpl
from core.plugins.types import PurgeCount
from core.retention import purge_rows
from plugins.journal.api import lesson_ids_between
from plugins.journal.models import Lesson, LessonHistory, TimetableChange


@hookimpl(specname="purge_records", trylast=True)
def purge_records(start: date, end: date, dry_run: bool) -> list[PurgeCount]:
    lessons = lesson_ids_between(start, end)
    history, change, lesson = (LessonHistory.__table__, TimetableChange.__table__,
                               Lesson.__table__)
    return [
        purge_rows("journal", history, _("История записей занятий"),
                   history.c.lesson_id.in_(lessons), dry_run),
        purge_rows("journal", change, _("Изменения расписания"),
                   change.c.on_date.between(start, end), dry_run),
        purge_rows("journal", lesson, _("Занятия (темы, домашние задания)"),
                   lesson.c.date.between(start, end), dry_run),
    ]
