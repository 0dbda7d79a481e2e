"""Attendance in the journal's grid: absences as cells beside the marks (one query for the page,
one more for the corrections waiting for approval) and the hours missed in the term as a column
(from the same rows)."""

from __future__ import annotations

from collections import defaultdict

from flask import g, url_for
from flask_babel import gettext as _

from core.people.scope import is_staff
from core.plugins import hookimpl
from plugins.attendance import corrections, rules, services
from plugins.journal.api import Cell, CellSource, Column, LessonAction
from plugins.journal.batch import typed_saver
from plugins.journal.corrections import show_pending

CSS = {"absent": "att-absent", "late": "att-late"}


def _rows(load, lessons) -> list[services.AbsenceRow]:
    cache = g.setdefault("attendance_page_rows", {})
    key = (load.id, tuple(lesson.id for lesson in lessons))
    if key not in cache:
        cache[key] = services.page_absences(list(key[1]))
    return cache[key]


def _editable_lessons(load, lessons, user) -> frozenset[int]:
    """Lessons whose attendance ``user`` may mark now (one batch question for the page); past
    the window a change is a correction with a reason."""
    from plugins.journal import api as journal

    return journal.editable_lesson_ids(user, load, lessons, "attendance.edit",
                                       lambda lesson: services.AbsenceTarget(load, lesson, 0))


@hookimpl(specname="journal_cells")
def cells(load, lessons, students, user) -> CellSource:
    hours = {lesson.id: lesson.hours for lesson in lessons}
    editable = _editable_lessons(load, lessons, user)
    reasons = {key: str(title) for key, title in rules.REASONS.items()}
    unknown = _("причина не указана")
    out: dict[tuple[int, int], Cell] = {}
    for row in _rows(load, lessons):
        text = rules.text_of(row.kind, row.hours, row.minutes, hours.get(row.lesson_id, 2))
        can = row.lesson_id in editable
        if not text and not can:
            continue
        css = CSS.get(row.kind, "")
        if row.kind == "absent":
            css = f"{css} att-{row.reason or 'unknown'}"
        title = reasons.get(row.reason, unknown) if row.kind == "absent" else ""
        out[(row.lesson_id, row.student_id)] = Cell(text, title, css, can, text, row.version)
    # an empty value is "present": «н» → «» (one query for the page)
    show_pending(out, corrections.pending_in(list(hours)), editable)
    present = LessonAction(
        title=_("Все присутствуют (кроме отмеченных): посещаемость занятия отмечена"), label="✓",
        url=url_for("attendance.all_present", lesson_id=0).replace("/0/", "/{lesson_id}/"),
        lessons=editable)
    return CellSource(plugin="attendance", cells=out,
                      save=typed_saver("attendance", load, services.save_cells),
                      editable_lessons=editable,
                      history_url=url_for("attendance.history") if is_staff(user) else None,
                      lesson_actions=(present,) if editable else (),
                      shortcuts=(("KeyN", "н"),) if editable else (), order=20,
                      label=_("посещаемость"))


@hookimpl(specname="journal_columns")
def columns(load, students, user) -> list[Column]:
    from plugins.journal import api as journal

    lessons = journal.lessons(load)
    hours = {lesson.id: lesson.hours for lesson in lessons}
    missed: dict[int, int] = defaultdict(int)
    unexcused: dict[int, int] = defaultdict(int)
    for row in _rows(load, lessons):
        if row.kind == "absent" and row.lesson_id in hours:
            missed[row.student_id] += row.hours
            if row.reason in services.UNEXCUSED:
                unexcused[row.student_id] += row.hours
    cells = {sid: Cell(str(total), _("из них без уважительной причины: %(n)s",
                                     n=unexcused[sid]), "att-total")
             for sid, total in missed.items()}
    return [Column(key="absent_hours", title=_("Пропущено, ч"), plugin="attendance",
                   cells=cells, order=90)]
