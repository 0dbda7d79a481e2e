"""What a lesson's first input (the mark's) understands besides a mark: an absence typed with it.

One obvious way to fill a cell: the teacher types in the mark's input and the grid moves an
absence to the input of the source whose Alt+N shortcut types «н» (attendance) in the same cell.
«н» absent, «н1»/«н2» absent for hours (a lesson has one or two), «оп10» late; with a mark:
«5н», «4н1», «3оп10», «н 5», and «н3»…«н5» (no lesson has three hours, so the digit is a mark).

``static/journal/grid.js`` splits the same way as the teacher types (``splitEntry``); the plain
form's save splits here. ``CASES`` is the table both are tested against.
"""

from __future__ import annotations

import re

ABSENCE_VALUE = "н"  # the shortcut value that names the source taking absences

_ABSENCE = r"(н[12]?|оп[0-9]{1,2})"
_MARK = r"([2-5](?:/[2-5]){0,2})"
_PATTERNS = (
    (re.compile(rf"^{_ABSENCE}$"), 1, 0),
    (re.compile(rf"^{_MARK}\s*{_ABSENCE}$"), 2, 1),
    (re.compile(rf"^{_ABSENCE}\s+{_MARK}$"), 1, 2),
    (re.compile(r"^(н)([3-5](?:/[2-5]){0,2})$"), 1, 2),
)

#: typed → (absence, mark): ``None`` where the text holds none (a mark, «нз», «н/а» stay whole)
CASES: dict[str, tuple[str | None, str | None]] = {
    "н": ("н", None), "Н": ("н", None), "н1": ("н1", None), "оп10": ("оп10", None),
    "5н": ("н", "5"), "4н1": ("н1", "4"), "3оп5": ("оп5", "3"), "н 5": ("н", "5"),
    "н5": ("н", "5"), "н3": ("н", "3"), "5/4н": ("н", "5/4"), "н2": ("н2", None),
    " н ": ("н", None), "n": ("н", None),
    "5": (None, None), "нз": (None, None), "н/а": (None, None), "зач": (None, None),
    "н7": (None, None), "оп": (None, None), "": (None, None), "5 4н": (None, None),
}


def split_entry(text: str) -> tuple[str | None, str | None]:
    """``(absence, mark)`` in what was typed in a mark's input; ``(None, None)`` when it holds
    no absence (the text is then the mark's, as typed)."""
    typed = text.strip().lower().replace("n", "н")
    for pattern, absence, mark in _PATTERNS:
        found = pattern.match(typed)
        if found:
            return found[absence], (found[mark] if mark else None)
    return None, None


def absence_plugin(load, user, lesson_ids: set[int], student_ids: set[int]) -> str | None:
    """The plugin whose input takes the absences of these cells (its Alt+N shortcut types «н»),
    if ``user`` may mark them."""
    from core.plugins import hook
    from plugins.journal import api

    lessons = [lesson for lesson in api.lessons(load) if lesson.id in lesson_ids]
    students = [student for student in api.roster(load) if student.id in student_ids]
    for source in hook().journal_cells(load=load, lessons=lessons, students=students, user=user):
        if source is not None and any(value == ABSENCE_VALUE for _code, value in source.shortcuts):
            return source.plugin
    return None


def move_absences(load, user, fields: list) -> list:
    """The plain form's ``(Field, value)`` pairs with each absence typed in a mark's input moved
    to the absence input of the same cell (the mark keeps the rest, or its value shown)."""
    from core.params import parse_id

    typed = [(field, value) for field, value in fields if field.kind == "cell"
             and field.shown.strip() != value.strip() and split_entry(value)[0] is not None]
    if not typed:
        return fields
    plugin = absence_plugin(load, user, {parse_id(field.target) for field, _v in typed},
                            {field.student_id for field, _v in typed})
    if plugin is None:
        return fields
    inputs = {(field.target, field.student_id): field for field, _v in fields
              if field.kind == "cell" and field.plugin == plugin}
    values = dict(fields)
    for field, value in typed:
        sibling = inputs.get((field.target, field.student_id))
        if field.plugin == plugin or sibling is None:
            continue
        absence, mark = split_entry(value)
        values[sibling] = absence
        values[field] = field.shown if mark is None else mark
    return list(values.items())
