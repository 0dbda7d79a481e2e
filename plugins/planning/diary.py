"""Programme progress in a student's diary and the parents' weekly digest (BTT 2.10, KTIS
2.10: parents are told how far the programme of each discipline has gone): per discipline,
the hours held of the КТП's hours (of the load's, while there is no submitted plan)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _

from core.calendar.clock import college_today
from core.plugins import hookimpl
from core.plugins.types import DiarySection
from plugins.planning import api

if TYPE_CHECKING:
    from datetime import date

    from plugins.journal.api import StudentLoad


def progress_rows(student_loads: list[StudentLoad], on: date) -> list[list[str]]:
    """[discipline, «24 из 34 ч (71 %)», hours the plan gives to the weeks past by ``on``, the
    whole's source] of each journal, by discipline (``api.course_progress``: a fixed number of
    queries)."""
    loads = {entry.load.id: entry.load for entry in student_loads}
    found = api.course_progress(list(loads.values()), on)
    rows = []
    for load in sorted(loads.values(), key=lambda ld: (ld.discipline.title, ld.subgroup_id or 0)):
        progress = found[load.id]
        if progress.percent is None:
            held = _("%(held)s ч", held=progress.held_hours)
        else:
            held = _("%(held)s из %(total)s ч (%(percent)s %%)", held=progress.held_hours,
                     total=progress.total_hours, percent=progress.percent)
        rows.append([load.discipline.title, held,
                     "—" if progress.planned_to_date is None
                     else _("%(hours)s ч", hours=progress.planned_to_date),
                     _("КТП") if progress.by_plan else _("учебной нагрузке")])
    return rows


@hookimpl(specname="diary_sections")
def sections(student_loads: list[StudentLoad], start: date, end: date) -> list[DiarySection]:
    """«Прохождение программы» of the term's journals on today (on the period's end when it
    is past)."""
    if not student_loads:
        return []
    on = min(end, college_today())
    return [DiarySection(
        _("Прохождение программы на %(date)s", date=on.strftime("%d.%m.%Y")),
        [_("Дисциплина"), _("Проведено"), _("По КТП к этой дате"), _("Всего часов — по")],
        progress_rows(student_loads, on), order=15,
        note=_("Всего часов — по календарно-тематическому плану преподавателя, когда он сдан, "
               "иначе по учебной нагрузке; «По КТП к этой дате» — сколько часов план отводит на "
               "уже прошедшие недели семестра."))]
