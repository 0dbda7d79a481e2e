"""The journal's grid hooks, called through the test-only plugin."""

from __future__ import annotations

import pytest

from core.errors import DomainError
from plugins.journal import api
from plugins.journal.grid import grid_data, save_cells
from plugins.journal.tests.world import build


def test_hook_journal_cells(plugin_app):
    world = build(plugin_app, students=3, lessons=2, prefix="h1")
    with plugin_app.test_request_context():
        data = grid_data(api.get_load(world.ids["load"]), world.users["teacher"])
    source = next(s for s in data.sources if s.plugin == "testplugin")
    assert len(source.cells) == 6
    assert source.cells[(world.lessons[0], world.students[0])].text == "✓"


def test_hook_journal_columns(plugin_app):
    world = build(plugin_app, students=3, lessons=1, prefix="h2")
    with plugin_app.test_request_context():
        data = grid_data(api.get_load(world.ids["load"]), world.users["teacher"])
    column = next(c for c in data.columns if c.plugin == "testplugin")
    assert [column.cells[s].text for s in world.students] == ["0", "1", "2"]


def test_hook_journal_save_cells(plugin_app):
    from tests.testplugin import plugin as testplugin

    world = build(plugin_app, students=1, lessons=1, prefix="h3")
    changes = [{"lesson_id": world.lessons[0], "student_id": world.students[0], "value": "5"}]
    with plugin_app.test_request_context():
        load = api.get_load(world.ids["load"])
        assert save_cells(load, world.users["teacher"], "testplugin", changes) == [
            {"student_id": world.students[0], "text": "5"}]
        with pytest.raises(DomainError, match="никто не сохраняет"):
            save_cells(load, world.users["teacher"], "nobody", changes)
    assert testplugin.SAVED[-1] == changes[0]
