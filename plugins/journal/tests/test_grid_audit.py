"""A journal read whole by someone other than its teacher is audited (issue #14 item 9, 152-ФЗ):
one row a page view with how many students it showed, never one a student; the teacher's own
reads of their journal are not (the substitute's are in the substitutions plugin's tests)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.audit import AuditEntry
from core.extensions import db
from plugins.journal.tests.world import build
from tests.fixtures import signed_in


def grid_reads(app, load_id: int) -> list[tuple[str, dict]]:
    with app.app_context():
        return [(row.actor_login, row.after) for row in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "journal.grid.view",
                                     AuditEntry.target_type == "TeachingLoad",
                                     AuditEntry.target_id == str(load_id))
            .order_by(AuditEntry.id))]


@pytest.mark.parametrize("who", ["admin", "deputy", "curator", "head", "supervisor"])
def test_another_teachers_journal_read_whole_leaves_one_audit_row_a_view(app, who):
    world = build(app, students=3, lessons=2, prefix=f"ga{who[:2]}")
    client = signed_in(app, world.users[who])
    for _ in range(2):
        assert client.get(f"/journal/load/{world.ids['load']}").status_code == 200
    row = (world.users[who].login, {"count": 3, "group_id": world.ids["group"],
                                    "subgroup_id": None})
    assert grid_reads(app, world.ids["load"]) == [row, row]


def test_the_teachers_own_journal_is_not_an_audited_read(app):
    world = build(app, students=3, lessons=2, prefix="gat")
    assert signed_in(app, world.users["teacher"]).get(
        f"/journal/load/{world.ids['load']}").status_code == 200
    assert grid_reads(app, world.ids["load"]) == []
