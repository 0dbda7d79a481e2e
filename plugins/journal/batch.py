"""Saving a batch of grid cells all or nothing: the contract every plugin's save follows.

A plugin checks every change first and records each refusal; if any was refused, nothing is
written and ``CellBatch.raise_if_refused`` raises one ``BatchError`` whose status is the worst
(404 > 422 > 409) and whose ``cells`` name every refused cell with its reason and current value
(the grid shows them in the cells).

The check in Python only sees what was committed when the batch was read; ``save_batch`` makes
the database check it again at write time (DESIGN §10 "Races hide on SQLite"): the versioned
rows are updated only where their version is still the one read (``version_id_col``), and a new
row takes a unique key. If another transaction got there first, the whole batch is rolled back
and checked again against what is committed now, so the 409 names the cells that changed with
their current values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask_babel import gettext as _

from core.database import refused_on_conflict
from core.errors import DomainError
from core.params import parse_id
from core.plugins.journal_contract import CellChange, CellResult, CellSaver, CellValue

Planned = TypeVar("Planned")


#: the keys of a change and what each must be: an id, a text (or null), a version
ID_KEYS = ("lesson_id", "student_id")
TEXT_KEYS = ("value", "key", "mark_type", "field")


def cell_changes(body: Any) -> list[dict]:
    """The changes of a grid save's JSON body ``{"cells": [{...}, ...]}``, every key of the
    type the plugins expect (an id a whole number, a value a text or null, a version a number,
    a text of digits or null); anything else is a ``DomainError`` 400 saying what is wrong."""
    if not isinstance(body, dict) or not isinstance(body.get("cells"), list):
        raise DomainError(_("Неверный формат запроса"), status=400)
    for number, change in enumerate(body["cells"], start=1):
        if not isinstance(change, dict):
            raise DomainError(_("Ячейка %(n)s: ожидается объект с полями ячейки", n=number),
                              status=400)
        for key in ID_KEYS:
            value = change.get(key)
            if value is not None and (not isinstance(value, int) or parse_id(value) is None):
                raise DomainError(_("Ячейка %(n)s: «%(key)s» — не номер записи", n=number,
                                    key=key), status=400)
        for key in TEXT_KEYS:
            if not isinstance(change.get(key), str | None):
                raise DomainError(_("Ячейка %(n)s: «%(key)s» должно быть строкой", n=number,
                                    key=key), status=400)
        version = change.get("version")
        if version is not None and version != "" and parse_id(version) is None:
            raise DomainError(_("Ячейка %(n)s: «version» — не номер версии", n=number),
                              status=400)
    return body["cells"]


class BatchError(DomainError):
    """A refused batch: the worst status of its cells, each cell's message and current value
    (``details["cells"]``) and each one's own status (``statuses``, in the same order)."""

    statuses: list[int] = []


def worst_status(statuses) -> int:
    """A refused batch's status: 404 > 422 > 409 (and the highest of any other)."""
    found = set(statuses)
    return 404 if 404 in found else 422 if 422 in found else max(found)


class CellBatch:
    def __init__(self) -> None:
        self.refused: list[tuple[int, dict]] = []
        self.accepted: list[tuple[dict, Any]] = []

    def refuse(self, change: dict, status: int, message: str, current: Any = None,
               extra: dict | None = None) -> None:
        """Record a refused cell; ``extra`` adds fields for the grid (``correction_url``)."""
        self.refused.append((status, _named_cell(change, message, current) | (extra or {})))

    def accept(self, change: dict, current: Any) -> None:
        """``change`` passed every check; ``current`` is its cell as read."""
        self.accepted.append((change, current))

    def error(self) -> BatchError | None:
        """The batch's refusal (its worst status, every refused cell), or ``None``."""
        if not self.refused:
            return None
        status = worst_status(status for status, _cell in self.refused)
        first = next(cell["message"] for s, cell in self.refused if s == status)
        error = BatchError(first, status=status, cells=[cell for _s, cell in self.refused])
        error.statuses = [status for status, _cell in self.refused]
        return error

    def raise_if_refused(self) -> None:
        error = self.error()
        if error is not None:
            raise error


def _named_cell(change: dict, message: str, current: Any) -> dict:
    return {"lesson_id": change.get("lesson_id"), "key": change.get("key"),
            "student_id": change.get("student_id"), "message": message, "current": current}


def save_batch(plan: Callable[[CellBatch], Planned],
               write: Callable[[Planned], list[dict]]) -> list[dict]:
    """Check a batch, then write it all or nothing; the caller commits.

    ``plan`` checks every change, refusing into the batch (and ``accept``-ing the rest), and
    returns what to write; ``write`` writes it and returns the saved cells. When the database
    finds a write conflict the batch's writes are rolled back (a savepoint) and ``plan`` runs
    again on what is committed now: its refusals are raised, or, if every change still passes
    (the other transaction has not committed yet), a 409 naming every cell of the batch.
    """
    batch = CellBatch()
    planned = plan(batch)
    batch.raise_if_refused()
    with refused_on_conflict(lambda: _refusal_now(plan)):
        return write(planned)


def _refusal_now(plan: Callable[[CellBatch], Any]) -> BatchError:
    """A batch the database found in conflict, judged again on what is committed now."""
    again = CellBatch()
    plan(again)
    error = again.error()
    if error is not None:
        return error
    message = _("Эти ячейки в тот же момент сохранял другой пользователь. Ничего не сохранено: "
                "повторите.")
    error = BatchError(message, status=409,
                       cells=[_named_cell(change, message, current)
                              for change, current in again.accepted])
    error.statuses = [409] * len(again.accepted)
    return error


def version_matches(sent: Any, current: int) -> bool:
    """Whether the version a client saw (``None`` for an empty cell) is still the current one."""
    if sent is None or sent == "":
        return current == 0
    try:
        return int(sent) == current
    except (TypeError, ValueError):
        return False


# --- the typed contract over a plugin's batch of plain changes ------------------------------------


def change_dict(change: CellChange) -> dict:
    """A typed change as the plugins' batch saves read it (``lesson_id`` or ``key``)."""
    found: dict = {"student_id": change.student_id, "value": change.value,
                   "version": change.version}
    if change.lesson_id is not None:
        found["lesson_id"] = change.lesson_id
    if change.key is not None:
        found["key"] = change.key
    if change.mark_type:
        found["mark_type"] = change.mark_type
    return found


_SHOWN = ("lesson_id", "key", "student_id", "text", "value", "version", "title", "css",
          "message", "current")


def _value_of(current: Any) -> CellValue | None:
    if not isinstance(current, dict):
        return None
    return CellValue(str(current.get("text") or ""), str(current.get("value") or ""),
                     current.get("version"))


def saved_result(plugin: str, cell: dict) -> CellResult:
    """A plugin's saved cell (``text``, ``value``, ``version``, ...) as a ``CellResult``."""
    return CellResult(plugin, cell.get("student_id"), cell.get("lesson_id"), cell.get("key"),
                      True, _value_of(cell), title=cell.get("title") or "",
                      css=cell.get("css") or "",
                      extra={k: v for k, v in cell.items() if k not in _SHOWN})


def refused_result(plugin: str, cell: dict, status: int) -> CellResult:
    """A refused cell of a ``BatchError`` as a ``CellResult``."""
    return CellResult(plugin, cell.get("student_id"), cell.get("lesson_id"), cell.get("key"),
                      False, _value_of(cell.get("current")), status=status,
                      reason=cell.get("message") or "",
                      extra={k: v for k, v in cell.items() if k not in _SHOWN})


def typed_saver(plugin: str, load: Any,
                save_cells: Callable[[Any, Any, list[dict]], list[dict]]) -> CellSaver:
    """A ``CellSource.save`` (or ``Column.save``) over a plugin's batch save of plain changes
    (``save_cells(load, user, changes)``, all or nothing, raising ``BatchError``)."""

    def save(user: Any, changes: list[CellChange]) -> list[CellResult]:
        try:
            saved = save_cells(load, user, [change_dict(change) for change in changes])
        except BatchError as exc:
            statuses = exc.statuses or [exc.status] * len(exc.details.get("cells", []))
            return [refused_result(plugin, cell, status)
                    for cell, status in zip(exc.details.get("cells", []), statuses, strict=True)]
        return [saved_result(plugin, cell) for cell in saved]

    return save
