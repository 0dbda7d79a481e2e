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

__all__ = ["MARK_TYPES", "MarkRow", "Metrics", "Shortfall", "finals_of_loads", "is_failing",
           "load_marks", "metrics", "min_marks", "required_kinds_policy", "rules", "shortfall",
           "weighted_average", "weights"]


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
