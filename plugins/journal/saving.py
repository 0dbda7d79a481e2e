"""The grid's one save path: typed changes (``CellChange``) to the saver of the cell source or
column that shows them (``CellSource.save``, ``Column.save``), all or nothing.

Both faces of the grid come here: its JavaScript (the JSON endpoint, a cell at a time) and its
plain form (every changed input at once). A refused change refuses the whole request: the
caller rolls back, and the ``BatchError`` names every refused cell with its reason and current
value (status 404 > 422 > 409).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from core.errors import DomainError
from core.plugins import hook
from core.plugins.journal_contract import CellChange, CellResult, CellSaver, LoadInfo
from plugins.journal import api
from plugins.journal.batch import BatchError, worst_status
from plugins.journal.grid_html import result_field


def save_changes(load: LoadInfo, user: Any, changes: list[CellChange]) -> list[CellResult]:
    """Save ``changes`` of ``load``'s grid as ``user``: every result saved, or ``BatchError``
    (nothing is kept once the caller rolls back). The caller commits."""
    if not changes:
        raise DomainError(_("Нет изменений для сохранения"))
    savers = _savers(load, user, changes)
    batches: dict[int, tuple[CellSaver, list[CellChange]]] = {}
    for change in changes:
        save = savers.get((change.plugin, change.key))
        if save is None:
            raise DomainError(_("Эти ячейки никто не сохраняет: «%(plugin)s»",
                                plugin=change.plugin), status=422)
        batches.setdefault(id(save), (save, []))[1].append(change)
    results: list[CellResult] = []
    for save, batch in batches.values():
        answered = save(user, batch)
        refused = [result for result in answered if not result.saved]
        if refused:
            raise refusal(refused)
        results.extend(answered)
    return results


def _savers(load: LoadInfo, user: Any,
            changes: list[CellChange]) -> dict[tuple[str, str | None], CellSaver]:
    """``{(plugin, column key or None): saver}``: the savers of the sources and columns the
    grid would show for the changed cells (asked with only their lessons and students)."""
    lesson_ids = {change.lesson_id for change in changes if change.key is None}
    student_ids = {change.student_id for change in changes}
    students = [student for student in api.roster(load) if student.id in student_ids]
    relay = hook()
    found: dict[tuple[str, str | None], CellSaver] = {}
    if lesson_ids:
        lessons = [lesson for lesson in api.lessons(load) if lesson.id in lesson_ids]
        for source in relay.journal_cells(load=load, lessons=lessons, students=students,
                                          user=user):
            if source is not None and source.save is not None:
                found[(source.plugin, None)] = source.save
    if any(change.key is not None for change in changes):
        for columns in relay.journal_columns(load=load, students=students, user=user):
            for column in columns or ():
                if column.save is not None:
                    found[(column.plugin, column.key)] = column.save
    return found


def refusal(refused: list[CellResult]) -> BatchError:
    """The refusal of a request some of whose changes were refused."""
    status = worst_status(result.status for result in refused)
    message = next(result.reason for result in refused if result.status == status)
    error = BatchError(message, status=status, cells=[refused_json(result) for result in refused])
    error.statuses = [result.status for result in refused]
    return error


def _identity(result: CellResult) -> dict:
    found: dict = {}
    if result.lesson_id is not None or result.key is None:
        found["lesson_id"] = result.lesson_id
    if result.key is not None:
        found["key"] = result.key
    found["student_id"] = result.student_id
    return found


def saved_json(result: CellResult) -> dict:
    """A saved cell as the grid's JavaScript reads it; ``field`` is its input's new name."""
    current = result.current
    return {**_identity(result), "text": current.text if current else "",
            "value": current.value if current else "",
            "version": current.version if current else None, "title": result.title,
            "css": result.css, **result.extra, "field": result_field(result)}


def refused_json(result: CellResult) -> dict:
    """A refused cell: its reason, its current value (if known) and, then, its input's name
    for that value (a 409's cell is retyped over the value it now has)."""
    current = result.current
    found = {"lesson_id": result.lesson_id, "key": result.key, "student_id": result.student_id,
             "message": result.reason,
             "current": None if current is None else {"text": current.text,
                                                     "value": current.value,
                                                     "version": current.version},
             **result.extra}
    if current is not None:
        found["field"] = result_field(result)
    return found
