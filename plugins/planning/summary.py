"""How the plans of a set of journals stand on a day: the counts the home page's block and the
list of plans show (late, waiting for approval, hours not adding up, without a plan)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.calendar.clock import college_today
from core.calendar.years import current_year
from plugins.journal import api as journal
from plugins.planning import services
from plugins.planning.models import SUBMITTED


@dataclass(frozen=True)
class Standing:
    late: int
    submitted: int
    mismatch: int
    without: int
    #: those neither submitted nor approved
    open: int
    deadline: date | None


def standing(loads: list[journal.LoadInfo], today: date) -> Standing:
    plans = services.plans_of(load.id for load in loads)
    rows = services.rows_by_plan(plan.id for plan in plans.values())
    checks = services.hours_checks(loads, plans, rows)
    due = services.deadlines(loads)
    states = {load.id: plans[load.id].state if load.id in plans else None for load in loads}
    upcoming = sorted(day for day in due.values() if day is not None and day >= today)
    return Standing(
        late=sum(services.is_late(states[load.id], due[load.id], today) for load in loads),
        submitted=sum(state == SUBMITTED for state in states.values()),
        mismatch=sum(load.id in plans and not checks[load.id].ok for load in loads),
        without=sum(state is None for state in states.values()),
        open=sum(state not in (SUBMITTED, "approved") for state in states.values()),
        deadline=upcoming[0] if upcoming else None)


def year_bounds() -> tuple[date, date]:
    """The current academic year's days; without one, today (the journals of the day)."""
    year = current_year()
    if year is not None:
        return year.starts_on, year.ends_on
    today = college_today()
    return today, today
