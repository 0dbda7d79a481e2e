"""Grading's public interface for other plugins (they never read its tables): current marks,
finals, the weights and the minimum-marks rule, the progress metrics (forecast); and putting a
mark of a chosen type into a journal cell as the grid would — the same parsing, edit window and
locks (``grade.edit`` through ``core.policy.check``), history, audit and events — and reading
marks back by id (selfstudy)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from core.errors import DomainError
from core.extensions import db
from plugins.grading import metrics, rules, services
from plugins.grading.metrics import Metrics
from plugins.grading.models import Mark
from plugins.grading.rules import (
    FINAL_KINDS,
    MARK_TYPES,
    Shortfall,
    is_failing,
    shortfall,
    text_of,
    weighted_average,
)
from plugins.grading.services import MarkRow, load_marks, weights
from plugins.journal import api as journal

__all__ = ["MARK_TYPES", "MarkRow", "Metrics", "Shortfall", "finals_as_set", "finals_of_loads",
           "is_failing", "load_marks", "metrics", "min_marks", "pass_fail_disciplines",
           "required_kinds_policy", "rules", "PostedMark", "post_mark", "marks_by_id",
           "mark_type_title", "scale_of", "fixed_mark_type",
           "shortfall", "term_results", "weighted_average", "weights"]
__all__ = ["FINAL_KINDS", "MARK_TYPES", "MarkRow", "Metrics", "Shortfall", "exceptions_of",
           "finals_by_kind", "finals_of_loads", "is_failing", "load_marks", "metrics",
           "min_marks", "required_kinds_policy", "rules", "shortfall", "shortfall_in",
           "shortfalls_of", "text_of", "weighted_average", "weights"]


def finals_of_loads(load_ids: Iterable[int], kind: str = "term") -> dict[tuple[int, int], str]:
    """(load id, student id) -> the stored value of the ``kind`` final set (non-empty), of
    ``load_ids``: one query."""
    from plugins.grading.models import Final

    ids = set(load_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(Final.load_id, Final.student_id, Final.value)
                              .where(Final.load_id.in_(ids), Final.kind == kind,
                                     Final.value != "")).all()
    return {(load_id, student_id): value for load_id, student_id, value in rows}


def min_marks():
    """The tiers of ``grades.min_marks``."""
    from core.policy import policy_value

    return policy_value("grades.min_marks")


def required_kinds_policy() -> list[str]:
    """``grades.min_marks_required_kinds``: the kinds of work a final needs marks of (those a
    load declares)."""
    from core.policy import policy_value

    return list(policy_value("grades.min_marks_required_kinds"))


def finals_as_set(load_ids: Iterable[int], kind: str, until) -> dict[tuple[int, int], str]:
    """(load id, student id) -> the value the ``kind`` final had at ``until`` (a UTC instant),
    from its history: what the teacher set before any later retake changed it (one query)."""
    from plugins.grading.models import Final, History

    ids = set(load_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Final.load_id, Final.student_id, History.new_value)
        .join(History, History.final_id == Final.id)
        .where(Final.load_id.in_(ids), Final.kind == kind, History.at <= until)
        .order_by(History.at, History.id)).all()
    found = {}
    for load_id, student_id, value in rows:
        found[(load_id, student_id)] = value
    return {key: value for key, value in found.items() if value}


def term_results(loads) -> tuple[dict[int, dict[int, str]], set[int]]:
    """What the progress report counts (``reports.results``): each load's term result per
    student who stayed to the term's end — the final where set, else what the current marks
    point to — and the loads where some result is not a final yet."""
    from plugins.grading.reports import results

    return results(list(loads))


def pass_fail_disciplines(discipline_ids: Iterable[int]) -> set[int]:
    """Those of ``discipline_ids`` marked on the pass/fail scale (зачтено / не зачтено): one
    query."""
    from plugins.grading.models import DisciplineScale

    ids = set(discipline_ids)
    if not ids:
        return set()
    return set(db.session.scalars(select(DisciplineScale.discipline_id).where(
        DisciplineScale.discipline_id.in_(ids), DisciplineScale.scale == rules.PASS_FAIL)))


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
# --- for the early warning and the readiness (plugins/forecast) --------------------------------


def finals_by_kind(load_ids: Iterable[int]) -> dict[tuple[int, int], dict[str, str]]:
    """(load id, student id) -> ``{kind: value}`` of every final set (non-empty) in the journals
    ``load_ids``, of any kind (term, exam, course work, qualification exam...): one query."""
    from plugins.grading.models import Final

    ids = set(load_ids)
    found: dict[tuple[int, int], dict[str, str]] = {}
    if ids:
        for load_id, student_id, kind, value in db.session.execute(
                select(Final.load_id, Final.student_id, Final.kind, Final.value)
                .where(Final.load_id.in_(ids), Final.value != "")):
            found.setdefault((load_id, student_id), {})[kind] = value
    return found


def exceptions_of(load_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(load id, student id) excused from the minimum of marks: one query."""
    from plugins.grading.models import MinimumException

    ids = set(load_ids)
    if not ids:
        return set()
    return {(load_id, student_id) for load_id, student_id in db.session.execute(
        select(MinimumException.load_id, MinimumException.student_id)
        .where(MinimumException.load_id.in_(ids)))}


def shortfall_in(load, marks: list[tuple[str, str]]) -> Shortfall:
    """The minimum-marks rule of the preset for a student's live ``(value, mark_type)`` marks
    in ``load`` (a ``journal.LoadInfo``): ``shortfall_in(load, [])`` for one without marks."""
    return shortfall(marks, min_marks(), required_kinds_policy(), load.hours_per_week,
                     load.work_kinds)


def shortfalls_of(loads, end) -> dict[tuple[int, int], Shortfall]:
    """(load id, student id) -> ``Shortfall`` of every student with marks in lessons of
    ``loads`` (``journal.LoadInfo``) up to the day ``end``; for the others
    ``shortfall_in(load, [])``. Two queries whatever the number of journals."""
    from plugins.journal import api as journal

    loads = list(loads)
    if not loads:
        return {}
    lessons = {lesson.id: lesson.load_id for lesson in journal.lessons_of(
        {load.id for load in loads}, min(load.term.starts_on for load in loads), end)}
    marks: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for row in load_marks(list(lessons)):
        if row.value:
            marks.setdefault((lessons[row.lesson_id], row.student_id), []).append(
                (row.value, row.mark_type))
    by_id = {load.id: load for load in loads}
    return {key: shortfall_in(by_id[key[0]], found) for key, found in marks.items()}
