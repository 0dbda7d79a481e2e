"""What other plugins may ask of grading (they never read its tables): put a mark of a chosen
type into a journal cell as the grid would — the same parsing, edit window and locks
(``grade.edit`` through ``core.policy.check``), history, audit and events — and read marks back
by id."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from core.errors import DomainError
from core.extensions import db
from plugins.grading import rules, services
from plugins.grading.models import Mark
from plugins.journal import api as journal

#: the types a mark may have (key → Russian title)
MARK_TYPES = rules.MARK_TYPES


@dataclass(frozen=True)
class PostedMark:
    """A mark in a journal cell: its id, the cell, its stored value, as the cell shows it, and
    its type."""

    mark_id: int
    lesson_id: int
    student_id: int
    value: str
    text: str
    mark_type: str


def scale_of(load: journal.LoadInfo) -> str:
    return services.scale_of(load.discipline.id)


def fixed_mark_type(lesson: journal.LessonInfo) -> str | None:
    """The type a lesson's kind of work fixes for its marks, or ``None``."""
    return services.fixed_mark_type(lesson.work_type)


def post_mark(user, load: journal.LoadInfo, lesson_id: int, student_id: int, value: str,
              mark_type: str | None = None, *, replace_mark_id: int | None = None,
              at: datetime | None = None) -> PostedMark:
    """Add ``value`` to the cell (``lesson_id``, ``student_id``) of ``load`` beside the marks it
    holds, or put it in place of the mark ``replace_mark_id`` of that cell: saved as a grid edit
    by ``user`` (``services.save_cells``: refusals raise the Russian ``DomainError``, 404, 409,
    422). The caller commits."""
    state = services.cell_states(lesson_id, [student_id]).get(student_id) or \
        services.CellState([])
    live = list(state.live)
    texts = [rules.text_of(mark.value) for mark in live]
    index = next((i for i, mark in enumerate(live) if mark.id == replace_mark_id), None) \
        if replace_mark_id is not None else None
    if index is None:
        index = len(texts)
        texts.append(value)
    else:
        texts[index] = value
    if len(texts) > 3:
        raise DomainError(_("Не больше трёх оценок за урок"), status=422)
    services.save_cells(load, user, [{
        "lesson_id": lesson_id, "student_id": student_id, "value": "/".join(texts),
        "version": state.version or None, "mark_type": mark_type or None}], at)
    after = services.cell_states(lesson_id, [student_id])[student_id].live
    mark = after[index]
    return PostedMark(mark.id, lesson_id, student_id, mark.value, rules.text_of(mark.value),
                      mark.mark_type)


def marks_by_id(mark_ids: Iterable[int]) -> dict[int, PostedMark]:
    """The live marks among ``mark_ids`` (one query); a removed mark is absent."""
    ids = {mark_id for mark_id in mark_ids if mark_id}
    if not ids:
        return {}
    rows = db.session.execute(select(Mark.id, Mark.lesson_id, Mark.student_id, Mark.value,
                                     Mark.mark_type).where(Mark.id.in_(ids), Mark.value != ""))
    return {row.id: PostedMark(row.id, row.lesson_id, row.student_id, row.value,
                               rules.text_of(row.value), row.mark_type) for row in rows}


def mark_type_title(mark_type: str) -> str:
    return str(MARK_TYPES.get(mark_type, mark_type))
