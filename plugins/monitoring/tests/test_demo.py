"""The demo's month of sign-ins: teachers on nearly every working day, parents about weekly,
a quarter of the families never signed in (some only read the digest), the demo's own logins
with a history; the usage page and the curator's page open on it."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from core.demo import load_demo
from core.extensions import db
from core.people.models import RoleAssignment, User
from core.people.roles import Role
from plugins.monitoring.demo import KEEP
from plugins.monitoring.models import DigestOpen, SignIn

TODAY = date(2026, 11, 25)


def _days_by_role(role: Role) -> list[int]:
    """Distinct sign-in days of each active holder of ``role`` (0 for none)."""
    users = select(RoleAssignment.user_id).where(RoleAssignment.role == role)
    counted = dict(db.session.execute(
        select(SignIn.user_id, func.count(SignIn.day.distinct()))
        .where(SignIn.user_id.in_(users)).group_by(SignIn.user_id)).all())
    return [counted.get(user_id, 0) for user_id in db.session.scalars(users)]


def test_demo_month_of_sign_ins_with_gaps(demo_day_app):
    with demo_day_app.test_request_context():
        load_demo(seed=2026, today=TODAY)
        first, last = db.session.execute(select(func.min(SignIn.day), func.max(SignIn.day))).one()
        assert first >= TODAY - timedelta(days=30) and last < TODAY
        teachers = _days_by_role(Role.TEACHER)
        assert min(teachers) >= 10  # about 20 working days, nearly all of them
        parents = _days_by_role(Role.PARENT)
        never = sum(1 for days in parents if days == 0)
        assert 0.1 < never / len(parents) < 0.45
        assert any(1 <= days <= 8 for days in parents)  # weekly or so
        assert db.session.scalar(select(func.count(DigestOpen.id))) > 0
        for login in KEEP:
            user = db.session.scalar(select(User).where(User.login == login))
            assert user is not None and user.last_login_at is not None, login
        # last_login_at agrees with the sign-ins
        latest = dict(db.session.execute(select(SignIn.user_id, func.max(SignIn.at))
                                         .group_by(SignIn.user_id)).all())
        for user in db.session.scalars(select(User).where(User.id.in_(latest))):
            assert user.last_login_at == latest[user.id]
