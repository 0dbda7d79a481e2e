"""The cell's history from the grid: a read-only past mark says whose history it is, so a
double click opens the marks' history (with its correction link), not another plugin's."""

from __future__ import annotations

import html
import json
import re

from plugins.grading.tests import test_grading
from plugins.grading.tests.test_grading import PETROV, cell, fill, signed_in

# the grading tests' world; ``preset_app`` (tests/fixtures.py) runs each test under both presets
world = test_grading.world


def test_a_past_read_only_mark_names_its_plugin_for_the_history_panel(preset_app, world):
    fill(preset_app, world, "teacher", [cell(world, 2, PETROV, "3")])
    client = signed_in(preset_app, world.users["teacher"])
    page = client.get(f"/journal/load/{world.ids['load']}").get_data(as_text=True)
    kinds = json.loads(html.unescape(re.search(r'data-kinds="([^"]*)"', page)[1]))
    values = [kinds[int(n)][0] for n in re.findall(r"<(?:td|i) data-k=(\d+)[^>]*>3</(?:td|i)>", page)]
    assert values == ["grading"]  # the teacher's past mark is read-only, and grading's
    assert 'id="grid-history"' in page and 'class="btn-close"' in page
    assert 'data-timezone="Europe/Moscow"' in page  # the history's times in the college's zone
    history = client.get(f"/grading/history?lesson_id={world.lessons[2]}"
                         f"&student_id={world.students[PETROV]}").get_json()
    assert [row["new"] for row in history["history"]] == ["3"]
    assert "/grading/corrections/new?" in history["correction_url"]
