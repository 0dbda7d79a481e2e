"""The monitoring in a real browser (Debian's Chromium through Playwright), 1366 px wide: the
administrator's usage page with its two charts, the curator's page of the group's families with
the one-click re-issue and the printable list; no page wider than the window, nothing refused
by the CSP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.calendar.clock import college_today
from plugins.monitoring.tests.world import build, sign_in_at
from tests.browser import NEEDS_CHROMIUM, open_menu, shot, signed_in_page
from tests.fixtures import user_maker

pytestmark = NEEDS_CHROMIUM


@pytest.fixture
def world(live_app):
    world = build(live_app, user_maker(live_app), prefix="b")
    with live_app.app_context():
        today = college_today()
    noon = datetime.combine(today, datetime.min.time(), UTC) + timedelta(hours=9)
    for days in range(20):
        for key in ("teacher", "teacher2", "curator", "admin"):
            if (days + len(key)) % 6:
                sign_in_at(live_app, world, key, noon - timedelta(days=days))
        if days % 7 == 2:
            sign_in_at(live_app, world, "pa_active", noon - timedelta(days=days, hours=-9))
        if days % 3 == 0:
            sign_in_at(live_app, world, "st_active", noon - timedelta(days=days, hours=-6))
    return world


def _watched(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" else None)
    page.set_viewport_size({"width": 1366, "height": 900})
    return problems


def _width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.committing
def test_the_administrators_usage_page_and_the_curators_page(base, world, chromium):
    from playwright.sync_api import expect

    admin = signed_in_page(chromium, base, world.users["admin"])
    problems = _watched(admin)
    open_menu(admin, "Мониторинг")
    expect(admin.locator("h1")).to_have_text("Использование журнала")
    expect(admin.locator("figure.usage-chart > svg[role=img]")).to_have_count(2)
    expect(admin.locator("figure.usage-chart polyline").first).to_be_visible()
    assert _width(admin) <= 1366
    shot(admin, "monitoring-01-usage-days")
    admin.click("text=По неделям")
    expect(admin.locator("figure.usage-chart > svg rect:not([height='0.0'])").first).to_be_visible()
    assert _width(admin) <= 1366
    shot(admin, "monitoring-02-usage-weeks")
    assert problems == []

    curator = signed_in_page(chromium, base, world.users["curator"])
    problems = _watched(curator)
    open_menu(curator, "Входы семей")
    expect(curator.locator("h1")).to_contain_text("ИСП-b1")
    unused = curator.locator("tr[data-member='b.pa_unused']")
    expect(unused).to_contain_text("не входил(а) ни разу")
    expect(curator.locator("tr[data-member='b.pa_active']")).not_to_contain_text("ни разу")
    assert _width(curator) <= 1366
    shot(curator, "monitoring-03-curator-families")
    curator.click("text=Список не входивших для печати")
    expect(curator.locator("main")).to_contain_text("Белова Галина")
    expect(curator.locator("main")).not_to_contain_text("Акимова Вера")
    curator.emulate_media(media="print")
    expect(curator.locator("nav.navbar")).to_be_hidden()
    shot(curator, "monitoring-04-never-print")
    curator.emulate_media(media="screen")
    curator.go_back()
    curator.locator("tr[data-member='b.pa_unused'] button").click()
    expect(curator.locator(".credential-slip")).to_contain_text("b.pa_unused")
    shot(curator, "monitoring-05-reissued-slip")
    assert problems == []
