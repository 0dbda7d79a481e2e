"""The administration's list: those awaiting an answer by default (oldest first), or one
status, or all; an unknown filter is the default one."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from plugins.helpdesk.tests.helpers import change, file


def _ids(page: str) -> list[int]:
    return [int(found) for found in re.findall(r'<td>(\d+)</td>\s*<td><a href="/helpdesk/',
                                               page)]


def test_the_queue_shows_the_open_ones_oldest_first_and_filters_by_status(app, world, as_):
    older = file(app, world, "teacher", kind="help", body="1",
                 at=datetime(2026, 9, 1, 9, tzinfo=UTC))
    newer = file(app, world, "parent", kind="help", body="2",
                 at=datetime(2026, 9, 2, 9, tzinfo=UTC))
    done = file(app, world, "student", kind="help", body="3")
    change(app, world, done, "closed")
    admin = as_("admin")
    assert _ids(admin.get("/helpdesk/queue").get_data(as_text=True)) == [older, newer]
    assert _ids(admin.get("/helpdesk/queue?status=bogus").get_data(as_text=True)) == [
        older, newer]
    assert _ids(admin.get("/helpdesk/queue?status=closed").get_data(as_text=True)) == [done]
    assert sorted(_ids(admin.get("/helpdesk/queue?status=all").get_data(as_text=True))) == [
        older, newer, done]
