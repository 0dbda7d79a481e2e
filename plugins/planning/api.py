"""The КТП's public interface for other plugins (control, the diary): plan against fact per
load, and how far each course has gone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from plugins.journal import api as journal
from plugins.planning.progress import PlanLag

__all__ = ["CourseProgress", "PlanLag", "course_progress", "lag_by_load"]


def lag_by_load(load_ids: list[int], today: date) -> dict[int, PlanLag]:
    """Plan against fact on ``today`` of each load of ``load_ids`` (unknown ids are left out):
    hours planned by the day and held, the lag, the planned topics not held, the plan's state.
    A fixed number of queries whatever the number of loads."""
    from plugins.planning.progress import lag_of_loads

    loads = list(journal.loads_by_id(load_ids).values())
    return lag_of_loads(loads, today)


@dataclass(frozen=True)
class CourseProgress:
    """How far a load's course has gone on a day (BTT 2.10, KTIS 2.10): the hours held of the
    whole, which is the КТП's hours when its plan is submitted or approved (``by_plan``; then
    ``planned_to_date`` is what the plan meant to have held by the day), else the load's."""

    load_id: int
    held_hours: int
    total_hours: int
    by_plan: bool
    planned_to_date: int | None

    @property
    def percent(self) -> int | None:
        """The share held, in whole percent (``None`` when the whole is unknown)."""
        if not self.total_hours:
            return None
        return round(100 * self.held_hours / self.total_hours)


def course_progress(loads: list[journal.LoadInfo], on: date) -> dict[int, CourseProgress]:
    """Each of ``loads``' course progress on ``on`` (``CourseProgress``): three queries
    whatever the number of loads."""
    from plugins.planning.progress import lag_of_loads

    by_id = {load.id: load for load in loads}
    found = {}
    for load_id, lag in lag_of_loads(list(by_id.values()), on).items():
        load = by_id[load_id]
        by_plan = lag.submitted and lag.planned_hours > 0
        found[load_id] = CourseProgress(
            load_id, lag.held_hours, lag.planned_hours if by_plan else load.hours_total,
            by_plan, lag.planned_hours_to_date if by_plan else None)
    return found
