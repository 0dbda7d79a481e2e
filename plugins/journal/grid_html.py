"""The grid's table body as HTML, and the names of its form fields.

A 30 × 80 journal has 2,400 cells. Rendering them in a Jinja loop costs several times what the
data does, so the body is built here with plain string joins; every value that comes from data is
escaped with ``markupsafe.escape``. The page frame stays a template.

A field's name carries everything the plain-form save needs, so the page has no hidden inputs:
``cell-<plugin>-<lesson id>-<student id>-<version>-<value shown>`` for a lesson's cell and
``col-<plugin>-<column key>-<student id>-<version>-<value shown>`` for a column on the right.
The server saves a field only when its value differs from the value shown, and passes the version
for the optimistic lock. This module is the one that builds and parses the names:
``static/journal/grid.js`` posts an input's name as it is (``field``) and puts the name the
server answers in its place (``result_field``); it reads an input's plugin from ``data-plugin``.
A lesson header's type chooser is ``type-<plugin>-<lesson id>``: its choice goes with every
changed cell of that plugin in that lesson (as ``mark_type``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from core.params import parse_id
from core.plugins.journal_contract import Cell, CellChange, CellResult, LessonInfo, RosterStudent

FIELD = re.compile(r"^(?P<kind>cell|col)-(?P<plugin>[a-z_]+)-(?P<target>[a-z0-9_]+)-"
                   r"(?P<student>\d+)-(?P<version>\d*)-(?P<shown>.*)$", re.DOTALL)


TYPE_FIELD = re.compile(r"^type-(?P<plugin>[a-z_]+)-(?P<lesson>\d+)$")


def type_field(plugin: str, lesson_id: int) -> str:
    """The name of a lesson header's type chooser of ``plugin``'s cells."""
    return f"type-{plugin}-{lesson_id}"


def chosen_types(form) -> dict[tuple[str, int], str]:
    """``{(plugin, lesson id): type}`` from the lesson headers' type choosers of a posted grid."""
    found = {}
    for name, value in form.items():
        match = TYPE_FIELD.match(name)
        lesson_id = parse_id(match["lesson"]) if match is not None else None
        if lesson_id is not None and value:
            found[(match["plugin"], lesson_id)] = value
    return found


@dataclass(frozen=True)
class Field:
    """A grid input parsed back from its name."""

    kind: str
    plugin: str
    target: str
    student_id: int
    version: int | None
    shown: str

    def change(self, value: str | None,
               types: dict[tuple[str, int], str] | None = None) -> CellChange:
        """The change this field asks for (``types``: the headers' chosen types, see
        ``chosen_types``)."""
        if self.kind != "cell":
            return CellChange(self.plugin, self.student_id, value, self.version, key=self.target)
        lesson_id = parse_id(self.target)
        return CellChange(self.plugin, self.student_id, value, self.version, lesson_id=lesson_id,
                          mark_type=(types or {}).get((self.plugin, lesson_id)) or None)


def field_name(plugin: str, student_id: int, version: int | None, shown: str,
               lesson_id: int | None = None, key: str | None = None) -> str:
    """The (unescaped) name of a lesson's input (``lesson_id``) or a column's (``key``)."""
    kind, target = ("cell", lesson_id) if key is None else ("col", key)
    return f"{kind}-{plugin}-{target}-{student_id}-{'' if version is None else version}-{shown}"


def result_field(result: CellResult) -> str:
    """The name of the input of a saved or refused cell for the value it has now."""
    current = result.current
    return field_name(result.plugin, result.student_id, current.version if current else None,
                      current.value if current else "", result.lesson_id, result.key)


def parse_field(name: str) -> Field | None:
    """The field a posted name stands for; ``None`` for another name or ids no row can have."""
    match = FIELD.match(name)
    if match is None or (match["kind"] == "cell" and parse_id(match["target"]) is None):
        return None
    student_id, version = parse_id(match["student"]), match["version"]
    if student_id is None or (version and parse_id(version) is None):
        return None
    return Field(match["kind"], match["plugin"], match["target"], student_id,
                 parse_id(version) if version else None, match["shown"])


class _Escaper(dict):
    """``escape`` with a memory: a journal repeats a few distinct values thousands of times."""

    def __missing__(self, text: str) -> str:
        escaped = self[text] = str(escape(text))
        return escaped


def _input(esc: _Escaper, name: str, plugin: str, cell: Cell | None, labelled_by: str) -> str:
    """``name`` and ``plugin`` arrive escaped; ``labelled_by`` names the ids of the row's and the
    column's headers (the form sets autocomplete off and the stylesheet the width, once for
    all)."""
    if cell is None:
        return (f'<input class="grid-input" name="{name}" value="" data-plugin="{plugin}" '
                f'aria-labelledby="{labelled_by}">')
    css = f"grid-input {esc[cell.css]}" if cell.css else "grid-input"
    title = f' title="{esc[cell.title]}"' if cell.title else ""
    return (f'<input class="{css}" name="{name}" value="{esc[cell.value]}"{title} '
            f'data-plugin="{plugin}" aria-labelledby="{labelled_by}">')


def _name(esc: _Escaper, kind: str, plugin: str, target: object, student_id: int,
          cell: Cell | None) -> str:
    if cell is None:
        return f"{kind}-{plugin}-{target}-{student_id}--"
    version = "" if cell.version is None else cell.version
    return f"{kind}-{plugin}-{target}-{student_id}-{version}-{esc[cell.value]}"


class _Kinds(dict):
    """The distinct (plugin, title) pairs of a grid's read-only values, numbered: a value names
    its pair by number (``data-k``) and the table carries the list once (``data-kinds``); the
    script puts each title in place as the page loads. A 30 × 80 journal repeats a handful of
    pairs (grading's «устный ответ», attendance's «причина не указана») 2,400 times."""

    def __missing__(self, kind: tuple[int, str]) -> int:
        number = self[kind] = len(self)
        return number


def _value_attributes(esc: _Escaper, kinds: _Kinds, cell: Cell, plugin: int) -> str:
    """A read-only value's attributes: ``data-k`` the number of its plugin (whose history a
    double click opens) and title, and its class."""
    css = f' class="{esc[cell.css]}"' if cell.css.strip() else ""
    return f"data-k={kinds[(plugin, cell.title)]}{css}"


def _student_header(student: RosterStudent, left_label: str) -> str:
    badge = ""
    if student.left_on is not None:
        badge = (f' <span class="badge text-bg-secondary">'
                 f'{escape(left_label % student.left_on.strftime("%d.%m"))}</span>')
    return (f'<th class="student" scope="row" id="s{student.id}">'
            f'{escape(student.name)}{badge}</th>')


@dataclass(frozen=True)
class GridBody:
    """The grid's rows and what the table carries once for them: the (plugin, title) pairs the
    read-only values name by number (``data-kinds``)."""

    rows: Markup
    kinds: list[tuple[str, str]]

    def kinds_json(self) -> str:
        """The pairs as the table's attribute carries them (readable Cyrillic; the template
        escapes it)."""
        return json.dumps(self.kinds, ensure_ascii=False)


def grid_body(data, writable: bool, left_label: str) -> GridBody:
    """The ``<tr>`` rows of the grid: one per student, a cell per lesson, then the columns.

    A lesson's cell is a bare ``<td>``; a read-only value is the cell itself when it is the
    cell's only content, else an ``<i>`` in it (2,400 cells: every byte counts 2,400 times).
    ``left_label`` is the translated "left on %s" badge text, with one ``%s`` for the date.
    """
    lessons: list[LessonInfo] = data.lessons
    sources = data.sources
    columns = data.columns
    esc = _Escaper()
    kinds = _Kinds()
    plugins = [str(escape(source.plugin)) for source in sources]
    shown: dict[tuple[str, str, str, int], tuple[str, str]] = {}  # a value's td and i
    parts: list[str] = []
    for student in data.students:
        sid = student.id
        # membership is one interval and the lessons are in date order
        always_member = not lessons or (student.member_on(lessons[0].date)
                                        and student.member_on(lessons[-1].date))
        parts.append(f'<tr data-student="{sid}">')
        parts.append(_student_header(student, left_label))
        for lesson in lessons:
            if not (always_member or student.member_on(lesson.date)):
                parts.append('<td class="not-member"></td>')
                continue
            key = (lesson.id, sid)
            inside: list[str] = []
            alone: str | None = None  # the td a read-only value makes when it is all the cell
            for index, (source, plugin) in enumerate(zip(sources, plugins, strict=True)):
                cell = source.cells.get(key)
                if cell is not None and cell.editable or (
                        cell is None and lesson.id in source.editable_lessons):
                    inside.append(_input(esc, _name(esc, "cell", plugin, lesson.id, sid, cell),
                                         plugin, cell, f"s{sid} l{lesson.id}"))
                elif cell is not None:
                    look = (cell.text, cell.title, cell.css, index)
                    html = shown.get(look)
                    if html is None:
                        value = f"{_value_attributes(esc, kinds, cell, index)}>{esc[cell.text]}"
                        html = shown[look] = (f"<td {value}</td>", f"<i {value}</i>")
                    alone = html[0]
                    inside.append(html[1])
            if alone is not None and len(inside) == 1:
                parts.append(alone)
            else:
                parts.append(f"<td>{''.join(inside)}</td>")
        for column in columns:
            cell = column.cells.get(sid)
            if writable and column.save is not None and cell is not None and cell.editable:
                parts.append('<td class="column">')
                parts.append(_input(esc, _name(esc, "col", escape(column.plugin),
                                               escape(column.key), sid, cell),
                                    esc[column.plugin], cell, f"s{sid} c-{esc[column.key]}"))
                parts.append("</td>")
            elif cell is not None:
                css = f' class="column {esc[cell.css]}"' if cell.css else ' class="column"'
                title = f' title="{esc[cell.title]}"' if cell.title else ""
                parts.append(f"<td{css}{title}>{esc[cell.text]}</td>")
            else:
                parts.append('<td class="column"></td>')
        parts.append("</tr>")
    names = [source.plugin for source in sources]
    return GridBody(Markup("".join(parts)), [(names[plugin], title) for plugin, title in kinds])
