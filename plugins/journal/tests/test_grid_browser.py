"""The grid in a real browser: Playwright driving Debian's Chromium enters marks by keyboard.

Needs /usr/bin/chromium (`apt-get install chromium`; .ci/run installs it); skipped without it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.extensions import db
from plugins.journal.tests.world import build, college_today, include_day
from tests.browser import NEEDS_CHROMIUM, correct_refused_cell, sign_in

pytestmark = NEEDS_CHROMIUM


@pytest.fixture
def served(live_app, serve):
    """A journal with today's lesson, served: ``(base URL, world, app)``."""
    from plugins.journal.models import Lesson

    world = build(live_app, students=3, lessons=1, prefix="b")
    day = college_today(live_app)
    include_day(live_app, world, day)
    with live_app.app_context():
        db.session.add(Lesson(load_id=world.ids["load"], date=day, pair_number=4, hours=2,
                              topic="Циклы", work_type="practical",
                              taught_by_id=world.users["teacher"].id))
        db.session.commit()
    return serve(live_app), world, live_app


@pytest.mark.committing
def test_marks_are_entered_by_keyboard_and_an_invalid_one_is_refused(served, chromium):
    from playwright.sync_api import expect

    from plugins.grading.models import Mark

    base, world, app = served
    page = chromium.new_page()
    sign_in(page, base, world.users["teacher"])
    page.goto(f"{base}/journal/load/{world.ids['load']}")
    inputs = page.locator('input.grid-input[name^="cell-grading-"]')
    assert inputs.count() == 3  # today's lesson, one cell per student
    inputs.nth(0).click()
    page.keyboard.type("5")
    page.keyboard.press("Enter")  # saves and moves down
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    page.keyboard.type("7")
    page.keyboard.press("Enter")
    # locator waits, not wait_for_function: the page's CSP forbids eval
    expect(page.locator("input.grid-input.cell-error")).to_have_count(1)
    refused = inputs.nth(2)
    assert "cell-error" in refused.get_attribute("class")
    assert refused.get_attribute("title")  # the Russian reason, shown on the cell
    expect(page.locator("input.grid-input.cell-saved")).to_have_count(2)
    final = page.locator('input.grid-input[name^="col-grading-term_final-"]').first
    final.click()
    page.keyboard.type("5")
    page.keyboard.press("Enter")  # one mark is short of the minimum: the final is refused
    expect(page.locator("input.grid-input.cell-error")).to_have_count(2)
    assert "оцен" in final.get_attribute("title")
    inputs.nth(0).dblclick()  # the cell's history, for staff
    expect(page.locator("#grid-history tbody tr")).to_have_count(1)
    assert "5" in page.locator("#grid-history tbody tr").first.inner_text()
    page.reload()
    assert [inputs.nth(i).input_value() for i in range(3)] == ["5", "4", ""]
    absent = page.locator('input.grid-input[name^="cell-attendance-"]')
    inputs.nth(1).click()
    page.keyboard.press("Alt+KeyN")  # from a mark's cell: the student is absent
    expect(page.locator('input.grid-input.cell-saved[name^="cell-attendance-"]')).to_have_count(1)
    absent.nth(2).click()
    page.keyboard.type("н3")  # a 2-hour lesson: refused in the cell
    page.keyboard.press("Enter")
    expect(page.locator('input.grid-input.cell-error[name^="cell-attendance-"]')).to_have_count(1)
    page.reload()
    assert [absent.nth(i).input_value() for i in range(3)] == ["", "н", ""]
    with app.app_context():
        assert sorted(db.session.scalars(select(Mark.value).where(Mark.value != "")).all()) == ["4", "5"]


@pytest.mark.committing
def test_a_cell_refused_after_its_day_links_the_correction_form_filled_in(served, chromium,
                                                                          tmp_path):
    """The page was opened on the lesson's day; the day has passed when the mark is typed."""
    from playwright.sync_api import expect

    from plugins.journal.models import Lesson

    base, world, app = served
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    sign_in(page, base, world.users["teacher"])
    page.goto(f"{base}/journal/load/{world.ids['load']}")
    inputs = page.locator('input.grid-input[name^="cell-grading-"]')
    with app.app_context():  # midnight passes while the page is open
        lesson = db.session.scalars(select(Lesson).where(Lesson.pair_number == 4)).one()
        term_start = lesson.date - timedelta(days=30)
        lesson.date = max(term_start, lesson.date - timedelta(days=1))
        db.session.commit()
    correct_refused_cell(page, inputs.nth(0), "4", "new_value",
                         "Ответ на занятии не был внесён вовремя", tmp_path)
    page.screenshot(path=str(tmp_path / "corrections.png"), full_page=True)
    page.goto(f"{base}/journal/load/{world.ids['load']}")
    expect(page.locator("#journal-grid [data-k].cell-pending")).to_have_count(1)
    page.screenshot(path=str(tmp_path / "grid-pending.png"), full_page=True)


@pytest.mark.committing
def test_the_administrator_unlocks_finals_up_to_a_day_and_decides_corrections(served, chromium,
                                                                              tmp_path):
    from playwright.sync_api import expect

    from plugins.grading.models import Final
    from plugins.journal import api

    base, world, app = served
    with app.test_request_context():
        load = api.get_load(world.ids["load"])
        for student in api.roster(load):
            db.session.add(Final(load_id=load.id, student_id=student.id, kind="term", value="4"))
        db.session.commit()
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    sign_in(page, base, world.users["admin"])
    page.goto(f"{base}/grading/loads/{world.ids['load']}/minimum")
    page.fill("textarea[name=reason]", "Пересдача по приказу № 112")
    page.click("form[action$='/unlock'] button")  # no end date: refused, nothing opened
    expect(page.locator(".invalid-feedback")).to_have_count(1)
    page.screenshot(path=str(tmp_path / "unlock-refused.png"), full_page=True)
    page.fill("input[name=until]", "2099-01-31")
    page.click("form[action$='/unlock'] button")
    expect(page.locator(".alert-warning")).to_contain_text("31.01.2099")
    page.screenshot(path=str(tmp_path / "unlocked.png"), full_page=True)
