"""Grading in a student's diary: the marks of each lesson, and the term's marks by discipline
with the weighted average and the finals."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.plugins import hookimpl
from core.plugins.types import DiaryNote, DiarySection
from plugins.grading import flag_lists, rules, services
from plugins.grading.models import Final, Mark
from plugins.journal import api as journal

if TYPE_CHECKING:
    from datetime import date

    from core.people.models import User
    from plugins.journal.api import LessonInfo, StudentLoad


@hookimpl(specname="diary_lesson_notes")
def lesson_notes(student_id: int, lessons: list[LessonInfo],
                 user: User | None = None) -> dict[int, list[DiaryNote]]:
    """Each lesson's marks; for the family, with the state of a mark's flag and the action to
    flag it (``flag_lists.diary_notes``): a mark removed in answer to a flag still shows the
    answer, without a value."""
    ids = [lesson.id for lesson in lessons]
    if not ids:
        return {}
    titles = {kind: str(title) for kind, title in rules.MARK_TYPES.items()}
    rows = db.session.execute(
        select(Mark.id, Mark.lesson_id, Mark.value, Mark.mark_type)
        .where(Mark.lesson_id.in_(ids), Mark.student_id == student_id)
        .order_by(Mark.lesson_id, Mark.position)).all()
    flagged = flag_lists.diary_notes(student_id, [(row.id, row.lesson_id) for row in rows],
                                     user) if user is not None else {}
    live: dict[int, int] = defaultdict(int)
    for row in rows:
        if row.value:
            live[row.lesson_id] += 1
    notes: dict[int, list[DiaryNote]] = defaultdict(list)
    for mark_id, lesson_id, value, kind in rows:
        if not value and mark_id not in flagged:
            continue
        note = DiaryNote(rules.text_of(value), titles.get(kind, kind) if value else "",
                         "diary-mark-low" if rules.is_failing(value) else "diary-mark")
        if mark_id in flagged:
            detail, link = flagged[mark_id]
            note = flag_lists.diary_note(note, detail, link if value else "",
                                         several=live[lesson_id] > 1)
        notes[lesson_id].append(note)
    return dict(notes)


def _covers_terms(student_loads, start, end) -> bool:
    """Whether the period covers the journals' terms (the diary), not a part of them (a letter
    for a month)."""
    return all(start <= entry.load.term.starts_on and entry.load.term.ends_on <= end
               for entry in student_loads)


@hookimpl(specname="diary_sections")
def sections(student_id: int, student_loads: list[StudentLoad], start: date,
             end: date) -> list[DiarySection]:
    """The student's marks of ``start``–``end`` by discipline, with their weighted average; a
    final only when its term ends within the period (a November letter shows neither a mark of
    December nor the term's final)."""
    by_load = {entry.load.id: entry for entry in student_loads}
    if not by_load:
        return []
    marks: dict[int, list[tuple]] = defaultdict(list)
    for load_id, day, value, kind in services.dated_marks(student_id, set(by_load), start, end):
        if by_load[load_id].covers(day):
            marks[load_id].append((value, kind))
    finals: dict[int, dict[str, str]] = defaultdict(dict)
    ended = [load_id for load_id, entry in by_load.items()
             if start <= entry.load.term.ends_on <= end]
    for load_id, kind, value in db.session.execute(
            select(Final.load_id, Final.kind, Final.value)
            .where(Final.load_id.in_(ended), Final.student_id == student_id,
                   Final.value != "")) if ended else ():
        finals[load_id][kind] = rules.text_of(value)
    weights = services.weights()
    rows = []
    for load_id, entry in sorted(by_load.items(), key=lambda item: item[1].load.discipline.title):
        mine = marks.get(load_id, [])
        average = rules.weighted_average(mine, weights)
        others = ", ".join(f"{rules.FINAL_KINDS[kind]}: {value}"
                           for kind, value in finals[load_id].items() if kind != "term")
        rows.append([entry.load.discipline.title, " ".join(rules.text_of(v) for v, _k in mine),
                     "" if average is None else f"{average:.2f}",
                     finals[load_id].get("term", ""), others])
    title = _("Оценки за семестр") if _covers_terms(student_loads, start, end) else _(
        "Оценки с %(start)s по %(end)s", start=start.strftime("%d.%m.%Y"),
        end=end.strftime("%d.%m.%Y"))
    return [DiarySection(title,
                         [_("Дисциплина"), _("Оценки"), _("Средний балл"), _("Итог за семестр"),
                          _("Аттестация")], rows, order=10,
                         note=_("Средний балл взвешен по видам работ, как принято в колледже."))]


@hookimpl(specname="summary_lines")
def summary_lines(student_id: int, start: date, end: date) -> list[str]:
    """The weighted average of the period's marks, for the SMS report."""
    rows = db.session.execute(
        select(Mark.value, Mark.mark_type)
        .where(Mark.student_id == student_id, Mark.value != "",
               Mark.lesson_id.in_(journal.lesson_ids(start, end)))).all()
    average = rules.weighted_average([(value, kind) for value, kind in rows], services.weights())
    if average is None:
        return []
    return [_("средний балл %(avg)s", avg=f"{average:.1f}".replace(".", ","))]
