"""Saving a batch of grid cells all or nothing: the contract every plugin's save follows.

A plugin checks every change first and records each refusal; if any was refused, nothing is
written and ``CellBatch.raise_if_refused`` raises one ``BatchError`` whose status is the worst
(404 > 422 > 409) and whose ``cells`` name every refused cell with its reason and current value
(the grid shows them in the cells).
"""

from __future__ import annotations

from typing import Any

from core.errors import DomainError


class BatchError(DomainError):
    """A refused batch: the worst status of its cells, each cell's message and current value."""


class CellBatch:
    def __init__(self) -> None:
        self.refused: list[tuple[int, dict]] = []

    def refuse(self, change: dict, status: int, message: str, current: Any = None,
               extra: dict | None = None) -> None:
        """Record a refused cell; ``extra`` adds fields for the grid (``correction_url``)."""
        self.refused.append((status, {"lesson_id": change.get("lesson_id"),
                                      "key": change.get("key"),
                                      "student_id": change.get("student_id"),
                                      "message": message, "current": current, **(extra or {})}))

    def raise_if_refused(self) -> None:
        if not self.refused:
            return
        statuses = {status for status, _cell in self.refused}
        status = 404 if 404 in statuses else 422 if 422 in statuses else max(statuses)
        first = next(cell["message"] for s, cell in self.refused if s == status)
        raise BatchError(first, status=status, cells=[cell for _s, cell in self.refused])


def version_matches(sent: Any, current: int) -> bool:
    """Whether the version a client saw (``None`` for an empty cell) is still the current one."""
    if sent is None or sent == "":
        return current == 0
    try:
        return int(sent) == current
    except (TypeError, ValueError):
        return False
