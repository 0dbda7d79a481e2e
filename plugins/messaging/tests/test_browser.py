"""Messages in a real browser (Debian's Chromium through Playwright): a parent writes to a
teacher, the teacher sees the unread count and the waiting message, answers, and the parent sees
the answer and when the teacher read the question."""

from __future__ import annotations

import pytest

from plugins.journal.tests.world import college_today
from plugins.messaging.tests.world import build
from tests.browser import NEEDS_CHROMIUM, open_menu, shot, signed_in_page, submit

pytestmark = NEEDS_CHROMIUM


@pytest.fixture
def world(live_app):
    return build(live_app, college_today(live_app), prefix="b")


@pytest.mark.committing
def test_a_parent_writes_the_teacher_answers_the_parent_sees_the_answer(base, world, chromium):
    from playwright.sync_api import expect

    parent = signed_in_page(chromium, base, world.users["parent"])
    open_menu(parent, "Сообщения")
    shot(parent, "01-parent-inbox-empty")
    parent.click("text=Написать")
    parent.select_option("#to", f"user:{world.id('teacher')}")
    parent.fill("#subject", "Пересдача контрольной")
    parent.fill("#body", "Здравствуйте!\nКогда сын может пересдать контрольную работу?")
    shot(parent, "02-parent-new-message")
    submit(parent, "Сообщение отправлено.")
    expect(parent.locator(".read-receipts")).to_contain_text("Ещё не прочитано")
    shot(parent, "03-parent-thread-sent")

    teacher = signed_in_page(chromium, base, world.users["teacher"])
    # the unread count in the menu
    expect(teacher.locator("nav a[href='/messages/'] .badge")).to_have_text("1")
    expect(teacher.locator("main")).to_contain_text("Ждут вашего ответа")
    shot(teacher, "04-teacher-home-waiting")
    open_menu(teacher, "Сообщения")
    shot(teacher, "05-teacher-inbox")
    teacher.click("text=Пересдача контрольной")
    expect(teacher.locator("main")).to_contain_text("Когда сын может пересдать")
    expect(teacher.locator(".alert-warning")).to_contain_text("Ждёт вашего ответа до")
    shot(teacher, "06-teacher-thread")
    teacher.fill("#body", "Добрый день! Во вторник после 4-й пары, кабинет 305.")
    teacher.click("main form[action$='/messages/" + teacher.url.rsplit("/", 1)[1]
                  + "'] button[type=submit]")
    expect(teacher.locator(".alert-success")).to_contain_text("Ответ отправлен.")
    expect(teacher.locator("nav a[href='/messages/'] .badge")).to_have_count(0)

    parent.reload()
    expect(parent.locator("main")).to_contain_text("Во вторник после 4-й пары, кабинет 305.")
    expect(parent.locator(".read-receipts").first).to_contain_text("Прочитано: Васильев П.")
    shot(parent, "07-parent-sees-the-answer")
