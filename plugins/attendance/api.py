"""Attendance's public interface for other plugins (forecast): absences with their reasons and
hours, and what counts as unexcused."""

from __future__ import annotations

from plugins.attendance.rules import hours_missed
from plugins.attendance.services import UNEXCUSED, AbsenceDetail, details

__all__ = ["UNEXCUSED", "AbsenceDetail", "chronic_threshold", "details", "hours_missed"]


def chronic_threshold() -> int:
    """``attendance.chronic_hours_per_month``: hours missed without a valid reason in a month
    that make a student «систематически пропускающий»."""
    from core.policy import policy_value

    return int(policy_value("attendance.chronic_hours_per_month"))
