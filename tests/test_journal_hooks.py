"""The journal's grid hooks, called through the test-only plugin."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.errors import DomainError
from plugins.journal import api
from plugins.journal.api import CellChange
from plugins.journal.batch import BatchError
from plugins.journal.grid import grid_data
from plugins.journal.saving import save_changes
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


def test_a_cell_source_saves_its_cells_through_the_journal(plugin_app):
    """The grid's one save path hands typed changes to the saver the source carries and gives
    back its typed results; a refusal refuses the whole batch."""
    from tests.testplugin import plugin as testplugin

    world = build(plugin_app, students=1, lessons=1, prefix="h3")
    change = CellChange("testplugin", world.students[0], "5", None, lesson_id=world.lessons[0])
    with plugin_app.test_request_context():
        load = api.get_load(world.ids["load"])
        [saved] = save_changes(load, world.users["teacher"], [change])
        assert saved.saved and saved.current.value == "5" and saved.lesson_id == world.lessons[0]
        with pytest.raises(BatchError, match="Только пятёрки") as refused:
            save_changes(load, world.users["teacher"], [change, replace(change, value="4")])
        assert refused.value.status == 422
        assert [c["current"]["value"] for c in refused.value.details["cells"]] == ["4"]
        with pytest.raises(DomainError, match="никто не сохраняет"):
            save_changes(load, world.users["teacher"], [replace(change, plugin="nobody")])
    assert testplugin.SAVED[-3:] == [change, change, replace(change, value="4")]


def test_a_policy_rule_refuses_a_lesson_edit(plugin_app):
    """The edit window is the journal's rule of "lesson.edit": another plugin's rule may refuse
    the action too, and the lesson's save and the grid's cells obey it."""
    from datetime import UTC, datetime, time

    from core.errors import Conflict
    from core.extensions import db
    from core.policy import check_many
    from plugins.grading.services import MarkTarget
    from plugins.journal import services
    from plugins.journal.models import Lesson
    from tests.testplugin.plugin import CLOSED_TOPIC

    world = build(plugin_app, students=1, lessons=2, prefix="h4")
    teacher = world.users["teacher"]
    with plugin_app.test_request_context():
        load = api.get_load(world.ids["load"])
        lessons = api.lessons(load)
        at = datetime.combine(lessons[0].date, time(9), tzinfo=UTC)

        def editable():
            api.forget_cached_reads()
            return api.editable_lesson_ids(teacher, load, api.lessons(load)[:1], "grade.edit",
                                           lambda lesson: MarkTarget(load, lesson, 0), at)

        assert editable() == {lessons[0].id}
        db.session.get(Lesson, lessons[0].id).topic = CLOSED_TOPIC
        db.session.commit()
        assert editable() == frozenset()
        closed = api.get_lesson(lessons[0].id)
        assert not check_many("lesson.edit", teacher, [closed], at)[0]
        with pytest.raises(Conflict, match="закрыто тестовым правилом"):
            services.update_lesson(teacher, closed.id, closed.version, {"homework": "§ 1"}, at=at)
