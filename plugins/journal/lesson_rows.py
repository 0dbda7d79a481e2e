"""A plugin's own rows of the page's lessons (marks, absences, pending corrections), read with
ONE statement built once: grading and attendance both use it for the grid's cells."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from sqlalchemy import bindparam, select

from core.extensions import db

Row = TypeVar("Row", bound=tuple)


class LessonRows(Generic[Row]):
    """Rows of ``model`` (a plugin's table with a ``lesson_id`` column) as ``row_type`` named
    tuples, whose fields name the columns read; ``where`` and ``order_by`` narrow and sort.

    Plain named tuples: the grid reads thousands of them, and a SQLAlchemy row's attribute
    access costs ten times a tuple's. The statement is built once: building it per call (with
    its 80 ids) costs as much as running it.
    """

    def __init__(self, model: Any, row_type: type[Row], *, where: Iterable[Any] = (),
                 order_by: Iterable[Any] = ()):
        self.row_type = row_type
        self.statement = (
            select(*(getattr(model, name) for name in row_type._fields))
            .where(model.lesson_id.in_(bindparam("lesson_ids", expanding=True)), *where)
            .order_by(*order_by))

    def read(self, lesson_ids: Iterable[int]) -> list[Row]:
        """The rows of ``lesson_ids``: ONE query (none for no lessons)."""
        ids = list(lesson_ids)
        if not ids:
            return []
        db.session.flush()  # the core connection below does not autoflush
        rows = db.session.connection().execute(self.statement, {"lesson_ids": ids}).all()
        return [self.row_type._make(row) for row in rows]
