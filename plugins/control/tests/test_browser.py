"""The control in a real browser (Debian's Chromium through Playwright): the deputy director
opens the control page, starts a check, writes a remark on a teacher's journal and signs; the
teacher sees the remark on the home page and the control page and acknowledges it."""

from __future__ import annotations

import pytest

from plugins.control.tests.world import build
from plugins.journal.tests.world import college_today
from tests.browser import NEEDS_CHROMIUM, open_menu, shot, signed_in_page, submit

pytestmark = NEEDS_CHROMIUM


@pytest.fixture
def world(live_app):
    return build(live_app, college_today(live_app), prefix="b")


@pytest.mark.committing
def test_the_deputy_remarks_and_signs_the_teacher_acknowledges(base, world, chromium):
    from playwright.sync_api import expect

    deputy = signed_in_page(chromium, base, world.users["deputy"])
    open_menu(deputy, "Контроль")
    expect(deputy.locator("h1")).to_have_text("Контроль ведения журнала")
    shot(deputy, "01-deputy-control")
    deputy.click("text=Начать проверку")
    row = deputy.locator(f'tr[data-row="{world.id("teacher")}-{world.ids["load"]}"]')
    expect(row).to_contain_text("Занятия без темы")
    expect(row).to_contain_text("Посещаемость не отмечена в день занятия")
    row.locator("textarea").fill("Записать тему занятия и отметить посещаемость")
    deputy.fill("#remark", "Журналы ведутся с опозданием")
    shot(deputy, "02-deputy-check-draft")
    submit(deputy, "Замечания сохранены.")
    deputy.locator(f'tr[data-row="{world.id("teacher2")}-{world.ids["load2"]}"] textarea').fill(
        "Записать тему 29.11")  # saved with the signature
    deputy.click("text=Сохранить и подписать проверку")
    expect(deputy.locator(".control-signed")).to_contain_text("Подписана")
    expect(deputy.locator(".control-overall")).to_have_text("Журналы ведутся с опозданием")
    expect(deputy.locator("textarea")).to_have_count(0)  # a signed check is not edited
    expect(deputy.locator(f'tr[data-row="{world.id("teacher2")}-{world.ids["load2"]}"]')).to_contain_text(
        "Записать тему 29.11")
    shot(deputy, "03-deputy-check-signed")

    teacher = signed_in_page(chromium, base, world.users["teacher"])
    expect(teacher.locator("main")).to_contain_text("Замечаний, с которыми вы ещё не "
                                                     "ознакомились: 1")
    shot(teacher, "04-teacher-home")
    teacher.click("text=Открыть замечания")
    remarks = teacher.locator(".control-remarks")
    expect(remarks).to_contain_text("Записать тему занятия и отметить посещаемость")
    expect(remarks).to_contain_text("Занятия без темы")
    shot(teacher, "05-teacher-remarks")
    teacher.click(".control-remarks >> text=Ознакомлен(а)")
    expect(teacher.locator(".alert-success")).to_contain_text("с замечанием ознакомлены")
    expect(remarks).to_contain_text("Ознакомлен(а) ")
    shot(teacher, "06-teacher-acknowledged")
    deputy.reload()
    expect(deputy.locator("tr", has_text="Записать тему занятия")).to_contain_text(
        "ознакомлен(а): Васильев П.")
    shot(deputy, "07-deputy-sees-acknowledgement")
