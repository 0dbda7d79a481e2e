"""The grid's data: roster rows, lesson columns, and every plugin's cells and columns.

One call per page: each plugin is asked once (``journal_cells``, ``journal_columns``), so the
page's query count does not grow with the journal's size.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.plugins import hook
from plugins.journal import api
from plugins.journal.api import CellSource, Column, LessonInfo, LoadInfo, RosterStudent


@dataclass(frozen=True)
class GridData:
    load: LoadInfo
    students: list[RosterStudent]
    lessons: list[LessonInfo]
    sources: list[CellSource]
    columns: list[Column]
    #: the user opens only some lessons (a substitute's): no columns, links or other lessons
    partial: bool = False


def grid_data(load: LoadInfo, user, subgroup_id: int | None = None) -> GridData:
    """Everything the grid page shows ``user`` of ``load`` (the caller has checked
    ``api.can_open``): the whole journal for whoever reads it; for a substitute only the lessons
    they take and the students of those days, without the columns that sum up the journal."""
    students = api.roster(load)
    if subgroup_id is not None:  # a whole-group load seen by one of its subgroups
        members = api.subgroup_student_ids(subgroup_id, load.term.starts_on, load.term.ends_on)
        students = [s for s in students if s.id in members]
    lessons = api.lessons(load)
    partial = not api.can_view(user, load)
    if partial:
        lessons = api.visible_lessons(user, load, lessons)
        students = [s for s in students if any(s.member_on(lesson.date) for lesson in lessons)]
    relay = hook()
    sources = sorted((s for s in relay.journal_cells(load=load, lessons=lessons, students=students,
                                                     user=user) if s is not None),
                     key=lambda source: (source.order, source.plugin))
    columns = [] if partial else [
        c for batch in relay.journal_columns(load=load, students=students, user=user)
        for c in batch or ()]
    columns.sort(key=lambda column: (column.order, column.title))
    return GridData(load, students, lessons, sources, columns, partial)
