"""The forecast in the diary: a section under the week, while ``forecast.visible_to_families``
is on (the student, their parents, and staff opening the diary: what a family would read,
never more), for the journals of the term still running."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from core.calendar.clock import college_today
from core.people.scope import can_access_student, is_family
from core.plugins import hookimpl
from core.plugins.types import DiarySection


@hookimpl(specname="diary_sections")
def sections(student_id: int, student_loads, start: date, end: date, user) -> list[DiarySection]:
    from plugins.forecast import api, rights
    from plugins.forecast.model import number
    from plugins.forecast.views import expected_text, risk_title

    if not api.families_see() or not student_loads:
        return []
    if not (start <= min(e.load.term.starts_on for e in student_loads)
            and max(e.load.term.ends_on for e in student_loads) <= end):
        return []  # a letter for a part of the term, not the diary
    today = college_today()
    running = {e.load.id: e for e in student_loads
               if e.load.term.starts_on <= today <= e.load.term.ends_on and e.covers(today)}
    if not running:
        return []
    if is_family(user):
        if not rights.may_see_student_as_family(user, student_id):
            return []
    elif not (can_access_student(user, student_id)
              and all(rights.may_see_group(user, e.load.group_id) for e in running.values())):
        return []  # staff: the curator and the administration, as on the forecast's pages
    found = api.forecasts_for_students([student_id])
    rows = []
    for load_id, entry in sorted(running.items(), key=lambda item: item[1].load.discipline.title):
        forecast = found.get((student_id, load_id))
        if forecast is None:
            continue
        rows.append([entry.load.discipline.title,
                     "" if forecast.current is None else number(forecast.current, 2),
                     expected_text(forecast),
                     risk_title(forecast.risk) if forecast.risk != "none" else "",
                     " ".join(forecast.reasons)])
    if not rows:
        return []
    return [DiarySection(_("Прогноз итоговых оценок за семестр"),
                         [_("Дисциплина"), _("Средний балл"), _("Прогноз (диапазон)"),
                          _("Риск"), _("Почему")], rows, order=15,
                         note=_("Прогноз — ожидание по текущим оценкам, пропускам и оставшимся "
                                "занятиям; итоговую оценку выставляет преподаватель."))]
