"""Attendance in a student's diary: absences and lateness of each lesson, and the term's hours
missed by discipline and reason."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.plugins import hookimpl
from core.plugins.types import DiaryNote, DiarySection
from plugins.attendance import rules, services
from plugins.attendance.models import Absence

if TYPE_CHECKING:
    from datetime import date

    from plugins.journal.api import LessonInfo, StudentLoad


@hookimpl(specname="diary_lesson_notes")
def lesson_notes(student_id: int, lessons: list[LessonInfo]) -> dict[int, list[DiaryNote]]:
    hours = {lesson.id: lesson.hours for lesson in lessons}
    if not hours:
        return {}
    reasons = {key: str(title) for key, title in rules.REASONS.items()}
    notes: dict[int, list[DiaryNote]] = {}
    for lesson_id, kind, missed, minutes, reason in db.session.execute(
            select(Absence.lesson_id, Absence.kind, Absence.hours, Absence.minutes,
                   Absence.reason)
            .where(Absence.lesson_id.in_(list(hours)), Absence.student_id == student_id,
                   Absence.kind != "")):
        text = rules.text_of(kind, missed, minutes, hours[lesson_id])
        title = reasons.get(reason, _("причина не указана")) if kind == "absent" else _("опоздание")
        notes[lesson_id] = [DiaryNote(text, title, f"diary-{kind}")]
    return notes


@hookimpl(specname="diary_sections")
def sections(student_id: int, student_loads: list[StudentLoad], start: date,
             end: date) -> list[DiarySection]:
    if not student_loads:
        return []
    found = services.details([student_id], start, end)
    by_discipline: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in found:
        if row.kind != "absent":
            continue
        entry = by_discipline[row.discipline]
        entry[0] += row.hours
        entry[1 if row.reason in ("illness", "valid") else 2] += row.hours
    tally = services.tallies(found).get(student_id, services.Tally())
    rows = [[name, str(total), str(valid), str(unexcused)]
            for name, (total, valid, unexcused) in sorted(by_discipline.items())]
    if rows:
        rows.append([_("Всего"), str(tally.total), str(tally.total - tally.unexcused),
                     str(tally.unexcused)])
    whole = all(start <= entry.load.term.starts_on and entry.load.term.ends_on <= end
                for entry in student_loads)  # the diary's term, or a letter's month
    title = _("Пропуски за семестр, академических часов") if whole else _(
        "Пропуски с %(start)s по %(end)s, академических часов",
        start=start.strftime("%d.%m.%Y"), end=end.strftime("%d.%m.%Y"))
    return [DiarySection(title,
                         [_("Дисциплина"), _("Пропущено"), _("по болезни и уважительным"),
                          _("без уважительной причины или не указана")], rows, order=20,
                         note=_("Опозданий: %(n)s.", n=tally.late) if tally.late else "")]


@hookimpl(specname="summary_lines")
def summary_lines(student_id: int, start: date, end: date) -> list[str]:
    """Hours missed in the period, and how many without a valid reason, for the SMS report."""
    tally = services.tallies(services.details([student_id], start, end)).get(student_id)
    if tally is None or not tally.total:
        return [_("пропусков нет")]
    return [_("пропущено %(n)s ч, без уважительной причины %(m)s", n=tally.total,
              m=tally.unexcused)]
