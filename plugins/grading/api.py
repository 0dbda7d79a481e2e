"""Grading's public interface for other plugins (forecast): current marks, finals, the weights
and the minimum-marks rule, and the progress metrics. Other plugins import from here, never
``plugins.grading.models``."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from core.extensions import db
from plugins.grading import metrics, rules
from plugins.grading.metrics import Metrics
from plugins.grading.rules import MARK_TYPES, Shortfall, is_failing, shortfall, weighted_average
from plugins.grading.services import MarkRow, load_marks, weights

__all__ = ["MARK_TYPES", "MarkRow", "Metrics", "Shortfall", "finals_as_set", "finals_of_loads",
           "is_failing", "load_marks", "metrics", "min_marks", "pass_fail_disciplines",
           "required_kinds_policy", "rules",
           "shortfall", "term_results", "weighted_average", "weights"]


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
