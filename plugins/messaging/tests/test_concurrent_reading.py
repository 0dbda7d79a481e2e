"""Two tabs of the same reader open a conversation at the same instant (real commits, on
PostgreSQL when the suite runs there): both pages open, and each message keeps one receipt."""

from __future__ import annotations

from sqlalchemy import func, select

from core.extensions import db
from plugins.messaging.models import Receipt
from plugins.messaging.tests.helpers import write
from plugins.messaging.tests.world import build
from tests.concurrency import race
from tests.fixtures import signed_in


def test_two_tabs_reading_at_once_leave_one_receipt(committed_app):
    from plugins.journal.tests.world import college_today

    world = build(committed_app, college_today(committed_app), prefix="c")
    threads = [write(committed_app, world, "parent", "teacher", f"Вопрос {n}")
               for n in range(5)]
    tabs = [signed_in(committed_app, world.users["teacher"]) for _ in range(2)]
    results = race(len(threads), [
        lambda number, tab=tab: tab.get(f"/messages/{threads[number]}").status_code
        for tab in tabs])
    assert results == [[200] * 5, [200] * 5]
    with committed_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Receipt)) == 5
