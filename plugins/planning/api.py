"""The КТП's public interface for other plugins (control): plan against fact per load."""

from __future__ import annotations

from datetime import date

from plugins.journal import api as journal
from plugins.planning.progress import PlanLag

__all__ = ["PlanLag", "lag_by_load"]


def lag_by_load(load_ids: list[int], today: date) -> dict[int, PlanLag]:
    """Plan against fact on ``today`` of each load of ``load_ids`` (unknown ids are left out):
    hours planned by the day and held, the lag, the planned topics not held, the plan's state.
    A fixed number of queries whatever the number of loads."""
    from plugins.planning.progress import lag_of_loads

    loads = list(journal.loads_by_id(load_ids).values())
    return lag_of_loads(loads, today)
