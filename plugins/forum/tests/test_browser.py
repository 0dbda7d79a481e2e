"""The forum in a real browser (Debian's Chromium through Playwright): the director opens a
topic, a teacher sees it, answers quoting it, the director sees the answer marked unread (the
menu's badge, the section's count, the post marked new); a parent finds no forum."""

from __future__ import annotations

import pytest

from plugins.forum.tests.world import build
from tests.browser import NEEDS_CHROMIUM, open_menu, shot, signed_in_page, submit
from tests.fixtures import user_maker

pytestmark = NEEDS_CHROMIUM


@pytest.fixture
def world(live_app):
    return build(live_app, user_maker(live_app), prefix="b")


@pytest.mark.committing
def test_the_director_opens_a_topic_a_teacher_answers_the_director_sees_it_unread(
        base, world, chromium):
    from playwright.sync_api import expect

    director = signed_in_page(chromium, base, world.users["director"])
    open_menu(director, "Форум")
    expect(director.locator("main")).to_contain_text("Учебный процесс")
    shot(director, "01-director-sections")
    director.click("text=Учебный процесс")
    director.click("text=Открыть тему")
    director.fill("#title", "График промежуточной аттестации")
    director.fill("#body", "Коллеги, прошу до пятницы **согласовать** график:\n\n"
                           "- экзамены — с 20 декабря;\n- зачёты — до 18 декабря.")
    shot(director, "02-director-new-topic")
    submit(director, "Тема открыта.")
    expect(director.locator(".post-text strong")).to_have_text("согласовать")
    shot(director, "03-director-topic")

    teacher = signed_in_page(chromium, base, world.users["teacher"])
    expect(teacher.locator("nav a[href='/forum/'] .badge")).to_have_text("1")
    open_menu(teacher, "Форум")
    expect(teacher.locator(".forum-sections")).to_contain_text("тем с новыми сообщениями: 1")
    teacher.click("text=Учебный процесс")
    expect(teacher.locator("main")).not_to_contain_text("Открыть тему")  # BTT: the director's
    shot(teacher, "04-teacher-section")
    teacher.click("text=График промежуточной аттестации")
    teacher.click("text=Цитировать")
    expect(teacher.locator("#body")).to_have_value(
        "> **Громов В.:**\n> Коллеги, прошу до пятницы **согласовать** график:\n> \n"
        "> - экзамены — с 20 декабря;\n> - зачёты — до 18 декабря.\n\n")
    body = teacher.locator("#body")  # the answer goes after the quotation, wherever the caret is
    body.fill(body.input_value() + "По МДК.01.01 экзамен прошу назначить на 22 декабря.")
    shot(teacher, "05-teacher-quotes")
    teacher.click("form[action$='/forum/t/1'] button[type=submit]")
    expect(teacher.locator(".alert-success")).to_contain_text("Сообщение опубликовано.")
    expect(teacher.locator("article").last).to_contain_text("экзамен прошу назначить")
    expect(teacher.locator("article blockquote")).to_contain_text("Громов В.:")
    shot(teacher, "06-teacher-answered")

    director.goto(f"{base}/")
    expect(director.locator("nav a[href='/forum/'] .badge")).to_have_text("1")
    open_menu(director, "Форум")
    director.click("text=Учебный процесс")
    expect(director.locator(".forum-topics .unread")).to_have_text("новых: 1")
    shot(director, "07-director-section-unread")
    director.click(".forum-topics .unread")
    expect(director.locator("#unread")).to_have_text("Новые сообщения")
    expect(director.locator("article.border-primary")).to_contain_text(
        "По МДК.01.01 экзамен прошу назначить на 22 декабря.")
    shot(director, "08-director-sees-the-answer")
    expect(director.locator("nav a[href='/forum/'] .badge")).to_have_count(0)  # read now

    parent = signed_in_page(chromium, base, world.users["parent"])
    expect(parent.locator("nav")).not_to_contain_text("Форум")
    response = parent.goto(f"{base}/forum/t/1")
    assert response.status == 404
    shot(parent, "09-parent-404")
