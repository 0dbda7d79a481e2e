"""Attendance corrections in a real browser (Playwright driving Debian's Chromium): the grid's
409 for a past cell links the correction form filled in for it, the pending correction shows in
its cell, the deputy decides it on the corrections page, the author sees no buttons on their own.

Needs /usr/bin/chromium; skipped without it. Screenshots go to the test's tmp_path.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.extensions import db
from plugins.grading.tests.world import build
from tests.browser import NEEDS_CHROMIUM, correct_refused_cell, sign_in

TODAY = 11

pytestmark = NEEDS_CHROMIUM


def _page_of(browser, base: str, user):
    """A page of ``user``'s own browser session."""
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    sign_in(page, base, user)
    return page


@pytest.mark.committing
def test_a_past_attendance_cell_is_corrected_through_the_form_and_the_deputy_approves(
        live_app, serve, chromium, tmp_path):
    """The grid was opened on the lesson's day; the day has passed when «н» is typed."""
    from playwright.sync_api import expect

    from plugins.attendance.models import Absence
    from plugins.journal.models import Lesson

    app, browser = live_app, chromium
    world = build(app, prefix="acb")
    base = serve(app)
    page = _page_of(browser, base, world.users["teacher"])
    page.goto(f"{base}/journal/load/{world.ids['load']}")
    cells = page.locator('input.grid-input[name^="cell-attendance-"]')
    expect(cells).to_have_count(3)  # today's lesson: Смирнова has left the group
    with app.app_context():  # midnight passes while the page is open
        lesson = db.session.get(Lesson, world.lessons[TODAY])
        lesson.date -= timedelta(days=1)
        db.session.commit()
    correct_refused_cell(page, cells.nth(0), "н", "value",
                         "Отсутствовал: отметка не сохранилась на занятии", tmp_path, "att-")
    pending = page.locator("#journal-grid [data-k].cell-pending")
    expect(pending).to_have_count(1)  # its title is put in place by the grid's script
    expect(pending).to_have_attribute("title", "Заявка на исправление «» → «н» ожидает утверждения")
    page.screenshot(path=str(tmp_path / "att-grid-pending.png"), full_page=True)

    page = _page_of(browser, base, world.users["deputy"])
    page.goto(f"{base}/attendance/corrections")
    expect(page.locator("button[value=approve]")).to_have_count(1)
    page.screenshot(path=str(tmp_path / "att-decisions.png"), full_page=True)
    page.click("button[value=approve]")
    expect(page.locator(".alert-success")).to_contain_text("отметка исправлена")

    page = _page_of(browser, base, world.users["admin"])  # the administrator's own one
    page.goto(f"{base}/attendance/corrections/new?lesson_id={world.lessons[3]}"
              f"&student_id={world.students[0]}&value=оп5")
    page.fill("textarea[name=reason]", "Опоздание по записке дежурного")
    page.click("main button[type=submit]")
    page.goto(f"{base}/attendance/corrections")
    expect(page.locator("button[value=approve]")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("утверждает другой сотрудник")
    page.screenshot(path=str(tmp_path / "att-own-correction.png"), full_page=True)
    with app.app_context():
        assert db.session.scalars(select(Absence.kind).where(
            Absence.lesson_id == world.lessons[TODAY])).all() == ["absent"]
