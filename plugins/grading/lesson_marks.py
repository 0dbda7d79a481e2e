"""A lesson's marks on one page: each student's marks and their type, which the teacher sets
where the lesson's type of work does not fix it (the page works without JavaScript)."""

from __future__ import annotations

from dataclasses import dataclass

from plugins.grading import rules, services
from plugins.journal import api as journal


@dataclass(frozen=True)
class MarkLine:
    """A student's cell in the lesson: its text, version and the type of its marks."""

    student: journal.RosterStudent
    value: str
    version: int
    mark_type: str
    title: str


def lines(load: journal.LoadInfo, lesson: journal.LessonInfo) -> list[MarkLine]:
    """The members of the load on the lesson's day, with their marks of the lesson (one query
    for the marks)."""
    students = [s for s in journal.roster(load) if s.member_on(lesson.date)]
    states = services.cell_states(lesson.id, [s.id for s in students])
    preset = services.default_mark_type(lesson.work_type)
    found = []
    for student in students:
        state = states.get(student.id, services.CellState([]))
        live = state.live
        found.append(MarkLine(student, state.value, state.version,
                              live[0].mark_type if live else preset,
                              services.mark_types_title(m.mark_type for m in live)))
    return found


def changes_from_form(form, lesson_id: int, found: list[MarkLine], fixed: bool) -> list[dict]:
    """The changes a posted page asks for: a student's value or (where the lesson does not fix
    it) the type differs from what the page showed. Fields: ``value-<id>``, ``type-<id>``."""
    changes = []
    for line in found:
        sid = line.student.id
        value = form.get(f"value-{sid}", line.value)
        chosen = None if fixed else form.get(f"type-{sid}") or None
        value_changed = value.strip() != line.value
        type_changed = chosen is not None and chosen != line.mark_type and line.value != ""
        if not (value_changed or type_changed):
            continue
        change = {"lesson_id": lesson_id, "student_id": sid,
                  "value": value if value_changed else line.value,
                  "version": line.version or None}
        if chosen is not None:
            change["mark_type"] = chosen
        changes.append(change)
    return changes


def type_choices() -> list[tuple[str, str]]:
    return [(key, str(title)) for key, title in rules.MARK_TYPES.items()]
