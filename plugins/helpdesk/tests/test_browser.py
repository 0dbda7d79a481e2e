"""The helpdesk in a real browser (Debian's Chromium through Playwright): a parent reports a new
phone (the form shows only that kind's fields, with the current values), the administrator sees
the difference and applies it, the parent sees the request answered (the menu's counter)."""

from __future__ import annotations

import pytest

from plugins.helpdesk.tests.world import build
from tests.browser import NEEDS_CHROMIUM, open_menu, shot, signed_in_page, submit
from tests.fixtures import user_maker

pytestmark = NEEDS_CHROMIUM


@pytest.fixture
def world(live_app):
    return build(live_app, user_maker(live_app), prefix="b")


@pytest.mark.committing
def test_a_parent_reports_a_new_phone_the_administrator_applies_it_the_parent_sees_it(
        base, world, chromium, live_app):
    from playwright.sync_api import expect

    parent = signed_in_page(chromium, base, world.users["parent"])
    open_menu(parent, "Обращения")
    expect(parent.locator("main")).to_contain_text("Вы ещё не обращались к администрации")
    parent.click("text=Новое обращение")
    expect(parent.locator("fieldset[data-kind=data_change]")).to_be_hidden()
    parent.select_option("#kind", "data_change")
    expect(parent.locator("fieldset[data-kind=data_change]")).to_be_visible()
    expect(parent.locator(".current-phone")).to_have_text("+79120001122")
    expect(parent.locator("#incident")).to_be_hidden()
    parent.fill("#phone", "8 912 777-66-55")
    parent.fill("#body", "Сменила номер телефона в октябре.")
    shot(parent, "01-parent-new-request")
    submit(parent, "Обращение №1 отправлено администрации.")
    expect(parent.locator(".helpdesk-status")).to_have_text("Новое")
    shot(parent, "02-parent-request-filed")

    admin = signed_in_page(chromium, base, world.users["admin"])
    admin.goto(f"{base}/")
    expect(admin.locator("main")).to_contain_text("Ждут ответа: 1.")
    shot(admin, "03-admin-home")
    open_menu(admin, "Обращения")
    admin.click("text=Изменились мои данные")
    expect(admin.locator(".helpdesk-diff")).to_contain_text("+79127776655")
    expect(admin.locator(".helpdesk-diff del")).to_have_text("+79120001122")
    shot(admin, "04-admin-sees-the-difference")
    admin.click("text=Применить изменения")
    expect(admin.locator("[role=alert].alert-success")).to_contain_text(
        "Данные изменены: Телефон: +79120001122 → +79127776655.")
    expect(admin.locator(".helpdesk-status")).to_have_text("Дан ответ")
    shot(admin, "05-admin-applied")

    parent.goto(f"{base}/")
    expect(parent.locator("nav a[href='/helpdesk/'] .badge")).to_have_text("1")
    open_menu(parent, "Обращения")
    expect(parent.locator(".helpdesk-own")).to_contain_text("Дан ответ")
    parent.click("text=Изменились мои данные")
    expect(parent.locator(".helpdesk-history")).to_contain_text("+79127776655")
    expect(parent.locator("nav a[href='/helpdesk/'] .badge")).to_have_count(0)
    shot(parent, "06-parent-sees-it-answered")
