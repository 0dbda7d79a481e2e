"""The demo's checks: the deputy's two signed checks with remarks, one acknowledged by the demo
teacher, a course supervisor's check overdue, the plan with done, planned and overdue items."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.demo import load_demo
from core.extensions import db
from core.people.models import User
from plugins.control import plan, rules, services
from plugins.control.models import Acknowledgement, Check, Remark

TODAY = date(2026, 11, 25)


def test_demo_checks_signed_with_remarks_one_acknowledged_and_one_overdue(demo_day_app):
    with demo_day_app.test_request_context():
        load_demo(seed=2026, today=TODAY)
        checks = db.session.scalars(select(Check).order_by(Check.id)).all()
        assert [c.role for c in checks] == ["deputy", "deputy", "supervisor", "methodist"]
        assert all(c.signed for c in checks)
        assert db.session.scalars(select(Remark)).all()
        ack = db.session.scalars(select(Acknowledgement)).one()
        teacher = db.session.get(User, db.session.get(Remark, ack.remark_id).teacher_id)
        assert teacher.login == "biriukova.iue"
        assert services.since_previous(checks[1]).previous.id == checks[0].id
        overdue = [d for d in rules.dues() if d.overdue_days(TODAY) > 0]
        assert [d.role for d in overdue] == ["supervisor"]
        assert {row.status for row in plan.rows()} == {"done", "planned", "overdue"}
