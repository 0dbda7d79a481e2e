"""The sign-ins made before the plugin was installed come from the audit log, on their college
day; the monitoring's branch downgrades and upgrades alone."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from core import migrate
from core.extensions import db
from core.people.roles import Role
from plugins.monitoring.models import SignIn
from tests.fixtures import signed_in, user_maker


def test_sign_ins_of_the_audit_log_are_copied_on_upgrade(make_app, tmp_path, clock):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'backfill.sqlite3'}")
    migrate.upgrade(app)
    teacher = user_maker(app)("mig.teacher", roles=[Role.TEACHER])
    clock.set(datetime(2026, 11, 10, 21, 30, tzinfo=UTC))  # 00:30 on 11.11 in Moscow
    signed_in(app, teacher)
    clock.set(datetime(2026, 11, 12, 6, 0, tzinfo=UTC))
    signed_in(app, teacher)
    migrate.downgrade(app, "monitoring", "9d6dc1c33294")  # as before the copy: no sign-ins
    with app.app_context():
        assert db.session.scalars(select(SignIn.id)).all() == []
        db.session.remove()
    migrate.upgrade(app, only="monitoring")
    with app.app_context():
        rows = db.session.execute(select(SignIn.user_id, SignIn.day, SignIn.week, SignIn.month)
                                  .order_by(SignIn.at)).all()
        db.engine.dispose()
    assert rows == [(teacher.id, date(2026, 11, 11), date(2026, 11, 9), date(2026, 11, 1)),
                    (teacher.id, date(2026, 11, 12), date(2026, 11, 9), date(2026, 11, 1))]
