"""The demo's plans: most journals' approved, one teacher late (drafts and a journal without a
plan after the deadline), one plan waiting whose hours do not add up; last year's plans to copy
from; no mail queued."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from core import outbox
from core.demo import load_demo
from core.extensions import db
from plugins.journal import api as journal
from plugins.planning import services
from plugins.planning.models import Plan
from plugins.planning.progress import lag_of_loads

TODAY = date(2026, 11, 25)


def test_demo_plans_mostly_approved_some_late_one_whose_hours_do_not_add_up(demo_day_app):
    with demo_day_app.test_request_context():
        load_demo(seed=2026, today=TODAY)
        plans = {plan.load_id: plan for plan in db.session.scalars(select(Plan))}
        loads = [load for load in journal.loads() if load.term.starts_on <= TODAY
                 <= load.term.ends_on]
        states = [plans[load.id].state if load.id in plans else None for load in loads]
        assert states.count("approved") > len(loads) * 3 // 4
        due = services.deadlines(loads)
        late = [load for load, state in zip(loads, states, strict=True)
                if services.is_late(state, due[load.id], TODAY)]
        assert len(late) >= 2 and None in states and "draft" in states
        checks = services.hours_checks(loads, plans, services.rows_by_plan(
            plan.id for plan in plans.values()))
        waiting = [load for load in loads if load.id in plans
                   and plans[load.id].state == "submitted"]
        assert len(waiting) == 1 and not checks[waiting[0].id].ok
        assert all(checks[load.id].ok for load in loads
                   if load.id in plans and plans[load.id].state == "approved")
        lags = lag_of_loads(loads, TODAY)
        assert any(lag.lag_hours for lag in lags.values())
        previous = [load for load in journal.loads() if load.term.ends_on < TODAY]
        assert previous and all(load.id in plans for load in previous)
        assert db.session.scalar(select(func.count()).select_from(outbox.OutboxMessage)) == 0
