"""The forecast on the grid in a real browser: hovering over a cell of the final column shows
the student's expected final and the reasons, fetched once (Playwright driving Debian's
Chromium; skipped without it)."""

from __future__ import annotations

import pytest

from core.extensions import db
from plugins.grading.models import Mark
from plugins.grading.tests.world import build
from tests.browser import NEEDS_CHROMIUM, shot, signed_in_page

pytestmark = NEEDS_CHROMIUM


@pytest.mark.committing
def test_hovering_over_the_final_column_shows_the_forecast(live_app, serve, chromium):
    from playwright.sync_api import expect

    world = build(live_app, prefix="fh")
    with live_app.app_context():
        for number, value in enumerate(("2", "3", "2", "3")):
            db.session.add(Mark(lesson_id=world.lessons[number], student_id=world.students[0],
                                position=0, mark_type="oral", value=value))
        db.session.commit()
    base = serve(live_app)
    page = signed_in_page(chromium, base, world.users["teacher"])
    feeds = []
    page.on("request", lambda request: feeds.append(request.url) if "/feed" in request.url
            else None)
    page.goto(f"{base}/journal/load/{world.ids['load']}")
    index = page.evaluate("() => { const th = document.getElementById('c-term_final');"
                          " return Array.prototype.indexOf.call(th.parentNode.children, th) + 1; }")
    row = f'#journal-grid tbody tr[data-student="{world.students[0]}"]'
    page.hover(f"{row} > :nth-child({index})")
    box = page.locator("#forecast-popover")
    expect(box).to_be_visible()
    expect(box).to_contain_text("Прогноз итоговой оценки")
    expect(box).to_contain_text("Текущий средний балл 2,50 по 4 оценкам.")
    shot(page, "forecast-grid-hover")
    page.hover("h1")
    expect(box).to_be_hidden()
    page.hover(f"{row} > :nth-child({index})")
    expect(box).to_be_visible()
    assert len(feeds) == 1  # fetched once, on the first hover
