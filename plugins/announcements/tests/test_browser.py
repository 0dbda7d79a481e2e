"""Announcements in a real browser (Debian's Chromium through Playwright): a curator publishes
a parent meeting for their group; a parent of a student of that group sees it on the home page
and in the diary, opens it and its calendar link; a parent of another group does not see it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from plugins.journal.tests.world import college_today
from plugins.messaging.tests.world import build
from tests.browser import NEEDS_CHROMIUM, open_menu, shot, signed_in_page, submit

pytestmark = NEEDS_CHROMIUM


@pytest.fixture
def world(live_app):
    return build(live_app, college_today(live_app), prefix="b")


@pytest.mark.committing
def test_a_curator_announces_a_meeting_the_groups_parent_sees_it_another_does_not(
        base, world, live_app, chromium):
    from playwright.sync_api import expect

    today = college_today(live_app)
    meeting = today + timedelta(days=3)
    curator = signed_in_page(chromium, base, world.users["curator"])
    open_menu(curator, "Объявления")
    curator.click("text=Новое объявление")
    curator.select_option("#kind", "event")
    curator.select_option("#audience", f"group:{world.ids['isp']}")
    curator.fill("#title", "Родительское собрание")
    curator.fill("#body", "Повестка:\n\n1. Итоги аттестации.\n2. **Посещаемость**.")
    curator.fill("#event_day", meeting.isoformat())
    curator.fill("#event_time", "18:00")
    curator.fill("#place", "Кабинет 214")
    shot(curator, "01-curator-new-announcement")
    submit(curator, "Объявление опубликовано.")
    expect(curator.locator(".event-facts")).to_contain_text(meeting.strftime("%d.%m.%Y") + " 18:00")
    expect(curator.locator(".announcement-body strong")).to_have_text("Посещаемость")
    shot(curator, "02-curator-announcement")
    curator.click("text=← Объявления")
    curator.click("text=Написанные")
    expect(curator.locator("main .list-group")).to_contain_text("показывается")
    shot(curator, "02b-curator-written")

    parent = signed_in_page(chromium, base, world.users["parent2"])  # Смирнова is in ИСП-21
    widget = parent.locator(".announcements-widget")
    expect(widget).to_contain_text("Родительское собрание")
    expect(widget).to_contain_text("Кабинет 214")
    shot(parent, "03-parent-home")
    open_menu(parent, "Дневник")
    expect(parent.locator(".diary-widget")).to_contain_text("Родительское собрание")
    shot(parent, "04-parent-diary")
    parent.click(".diary-widget >> text=Родительское собрание")
    expect(parent.locator("h1")).to_have_text("Родительское собрание")
    link = parent.locator("text=Добавить в календарь (.ics)")
    expect(link).to_be_visible()
    shot(parent, "05-parent-announcement")
    with parent.expect_download() as download:
        link.click()
    assert Path(download.value.path()).read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")

    other = signed_in_page(chromium, base, world.users["parent3"])  # Орлов is in ТМ-31
    expect(other.locator("main")).not_to_contain_text("Родительское собрание")
    shot(other, "06-other-parent-home")
    open_menu(other, "Дневник")
    expect(other.locator("main")).not_to_contain_text("Родительское собрание")
    open_menu(other, "Объявления")
    expect(other.locator("main")).to_contain_text("Объявлений пока нет.")
    shot(other, "07-other-parent-list")
    response = other.goto(parent.url)
    assert response.status == 404
