"""monitoring: the sign-ins the audit log already holds

The sign-ins made before the plugin was installed are in the audit log (``auth.login``); they
are copied once, each on its college day, so the usage pages start with the history. Every
sign-in is audited, so the downgrade empties the table and the upgrade copies them all again.

Revision ID: 5b1e0c7d2a94
Revises: 9d6dc1c33294
Create Date: 2026-12-02 13:40:00.000000
"""

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op
from flask import current_app

import core.models

revision = '5b1e0c7d2a94'
down_revision = '9d6dc1c33294'
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade():
    zone = ZoneInfo(current_app.config.get("TIMEZONE", "Europe/Moscow"))
    audit = sa.table("core_audit", sa.column("at", core.models.UTCDateTime()),
                     sa.column("actor_id", sa.Integer), sa.column("action", sa.String))
    users = sa.table("core_user", sa.column("id", sa.Integer))
    sign_in = sa.table("monitoring_sign_in", sa.column("user_id", sa.Integer),
                       sa.column("at", core.models.UTCDateTime()), sa.column("day", sa.Date),
                       sa.column("week", sa.Date), sa.column("month", sa.Date))
    bind = op.get_bind()
    found = bind.execute(sa.select(audit.c.actor_id, audit.c.at).where(
        audit.c.action == "auth.login", audit.c.actor_id.in_(sa.select(users.c.id)))
        .order_by(audit.c.at)).all()
    rows = []
    for user_id, at in found:
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        day = at.astimezone(zone).date()
        rows.append({"user_id": user_id, "at": at, "day": day,
                     "week": day - timedelta(days=day.weekday()), "month": day.replace(day=1)})
        if len(rows) == BATCH:
            bind.execute(sign_in.insert(), rows)
            rows = []
    if rows:
        bind.execute(sign_in.insert(), rows)


def downgrade():
    op.execute(sa.table("monitoring_sign_in").delete())
