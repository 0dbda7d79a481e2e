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
from dataclasses import dataclass
from datetime import date

__all__ = ["UNEXCUSED", "AbsenceDetail", "Missed", "chronic_threshold", "details", "hours_missed",
           "missed_hours"]


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
# --- for the early warning and the readiness (plugins/forecast) --------------------------------


@dataclass(frozen=True)
class Missed:
    """Academic hours a student missed in a journal: in all, and without a valid reason (none
    known yet, or «неуважительная»)."""

    hours: int = 0
    unexcused: int = 0


def missed_hours(load_ids, start: date, end: date) -> dict[tuple[int, int], Missed]:
    """(load id, student id) -> ``Missed`` over the lessons of ``load_ids`` dated ``start`` to
    ``end`` (two queries; students who missed nothing are left out)."""
    from sqlalchemy import select

    from core.extensions import db
    from plugins.attendance.models import Absence
    from plugins.journal import api as journal

    ids = set(load_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Absence.lesson_id, Absence.student_id, Absence.hours, Absence.reason)
        .where(Absence.kind == "absent",
               Absence.lesson_id.in_(journal.lesson_ids(start, end, load_ids=ids)))).all()
    places = journal.lessons_by_id({row.lesson_id for row in rows}) if rows else {}
    totals: dict[tuple[int, int], list[int]] = {}
    for lesson_id, student_id, hours, reason in rows:
        tally = totals.setdefault((places[lesson_id].load_id, student_id), [0, 0])
        tally[0] += hours_missed("absent", hours)
        if reason in UNEXCUSED:
            tally[1] += hours_missed("absent", hours)
    return {key: Missed(total, unexcused) for key, (total, unexcused) in totals.items()}
