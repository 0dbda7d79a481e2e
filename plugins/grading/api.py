"""Grading's public interface for other plugins (forecast): current marks, finals, the weights
and the minimum-marks rule, and the progress metrics. Other plugins import from here, never
``plugins.grading.models``."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from core.extensions import db
from plugins.grading import metrics, rules
from plugins.grading.metrics import Metrics
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
