"""Attendance's public interface for other plugins: absences with their reasons and hours, what
counts as unexcused (forecast), and who missed which lesson (grading)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select

from core.extensions import db
from plugins.attendance.models import Absence
from plugins.attendance.rules import hours_missed
from plugins.attendance.services import UNEXCUSED, AbsenceDetail, details

__all__ = ["UNEXCUSED", "AbsenceDetail", "absent_ids", "chronic_threshold", "details",
           "hours_missed"]


def chronic_threshold() -> int:
    """``attendance.chronic_hours_per_month``: hours missed without a valid reason in a month
    that make a student «систематически пропускающий»."""
    from core.policy import policy_value

    return int(policy_value("attendance.chronic_hours_per_month"))


def absent_ids(lesson_ids: Iterable[int]) -> dict[int, set[int]]:
    """The students marked absent («н», «н1»...) at each of ``lesson_ids``, by lesson (one
    query; a cleared cell or a late arrival is presence). A lesson nobody missed is left out."""
    ids = set(lesson_ids)
    if not ids:
        return {}
    found: dict[int, set[int]] = defaultdict(set)
    for lesson_id, student_id in db.session.execute(
            select(Absence.lesson_id, Absence.student_id)
            .where(Absence.lesson_id.in_(ids), Absence.kind == "absent", Absence.hours > 0)):
        found[lesson_id].add(student_id)
    return dict(found)
