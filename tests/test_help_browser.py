"""The help in a real browser (Playwright driving Debian's Chromium) on the demo college: the «?»
of the teacher's grid opens the grid's help, the «?» of the parent's diary the diary's, the
search finds a page; the administrator's health page and an incident's page as users see them.

Needs /usr/bin/chromium; skipped without it. Screenshots go to the test's tmp_path (and to
``EJOURNAL_SCREENSHOTS`` when set).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.demo import load_demo
from core.people.demo import DEMO_PASSWORD
from tests.browser import NEEDS_CHROMIUM, shot
from tests.test_help import TODAY

pytestmark = NEEDS_CHROMIUM


def _sign_in(browser, base: str, login: str, width: int = 1280):
    page = browser.new_context(viewport={"width": width, "height": 900},
                               locale="ru-RU").new_page()
    page.goto(f"{base}/auth/login")
    page.fill("#login", login)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    return page


def _fail():
    raise RuntimeError("сбой для проверки")


@pytest.mark.committing
def test_the_question_mark_opens_the_help_of_the_grid_and_of_the_diary(
        live_app, serve, chromium, clock, tmp_path):
    from playwright.sync_api import expect

    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC), tick=True)
    live_app.config["RATELIMIT_ENABLED"] = False
    live_app.add_url_rule("/test-fail", "test_fail", _fail)
    with live_app.app_context():
        load_demo(seed=2026, today=TODAY)
    base = serve(live_app)

    teacher = _sign_in(chromium, base, "biriukova.iue")
    teacher.click("#main-nav button.dropdown-toggle:has-text('Журнал')")  # the staff's menu
    teacher.click("#main-nav a.dropdown-item:has-text('Журналы')")
    teacher.locator("main a[href^='/journal/load/']").first.click()
    expect(teacher.locator("#journal-grid")).to_be_visible()
    shot(teacher, "help-grid")
    teacher.screenshot(path=str(tmp_path / "grid.png"), full_page=True)
    teacher.click("#help-link")
    expect(teacher.locator("#help-title")).to_have_text("Журнал группы: оценки и пропуски")
    expect(teacher.locator(".help-body")).to_contain_text("Alt+N")
    teacher.screenshot(path=str(tmp_path / "grid-help.png"), full_page=True)
    shot(teacher, "help-grid-page")
    teacher.fill("#help-q", "исправить оценку после срока")
    teacher.click("form[role=search] button[type=submit]")
    expect(teacher.locator("#help-results")).to_contain_text(
        "Исправить оценку или отметку после срока")
    teacher.screenshot(path=str(tmp_path / "help-search.png"), full_page=True)

    parent = _sign_in(chromium, base, "anisimova.sv", width=390)  # a phone
    parent.goto(f"{base}/diary/")
    expect(parent.locator("main h1").first).to_be_visible()
    parent.screenshot(path=str(tmp_path / "diary.png"), full_page=True)
    parent.click("#help-link")
    expect(parent.locator("#help-title")).to_have_text(
        "Дневник ребёнка: оценки, задания, пропуски")
    parent.screenshot(path=str(tmp_path / "diary-help.png"), full_page=True)
    shot(parent, "help-diary-page")

    admin = _sign_in(chromium, base, "admin")
    admin.goto(f"{base}/admin/health")
    expect(admin.locator("#health-checks")).to_contain_text("База данных доступна")
    admin.screenshot(path=str(tmp_path / "health.png"), full_page=True)
    shot(admin, "admin-health")
    admin.goto(f"{base}/test-fail")
    number = admin.locator("#incident-number").inner_text()
    assert len(number) == 9
    report = admin.locator("text=Сообщить о проблеме")
    expect(report).to_have_attribute("href", f"/helpdesk/new?kind=problem&incident={number}")
    admin.screenshot(path=str(tmp_path / "incident.png"), full_page=True)
    shot(admin, "incident")
