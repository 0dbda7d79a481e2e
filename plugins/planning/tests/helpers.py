"""Acting on a plan in the tests: through the pages, and reading what was saved."""

from __future__ import annotations

from sqlalchemy import select

from core.extensions import db
from plugins.planning.models import Plan, PlanRow


def save(client, load_id: int, rows: list[dict], version=None):
    return client.post(f"/planning/load/{load_id}/rows", json={"rows": rows, "version": version})


def state(app, load_id: int) -> str | None:
    with app.app_context():
        return db.session.scalar(select(Plan.state).where(Plan.load_id == load_id))


def topics(app, load_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(
            select(PlanRow.topic).join(Plan, Plan.id == PlanRow.plan_id)
            .where(Plan.load_id == load_id).order_by(PlanRow.position)))


def version(app, load_id: int) -> int | None:
    with app.app_context():
        return db.session.scalar(select(Plan.version).where(Plan.load_id == load_id))
