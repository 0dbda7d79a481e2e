"""Materials in a real browser (Debian's Chromium through Playwright): a teacher attaches a
task list to a lesson from the lesson's page, a parent finds it in the diary beside the
homework, opens it and downloads the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from core.extensions import db
from plugins.journal.models import Lesson, TeachingLoad
from plugins.journal.tests.world import college_today
from plugins.materials.tests.helpers import PDF
from plugins.messaging.tests.world import build
from tests.browser import NEEDS_CHROMIUM, shot, sign_in, signed_in_page, submit

pytestmark = NEEDS_CHROMIUM


@pytest.fixture
def world(live_app):
    today = college_today(live_app)
    world = build(live_app, today, prefix="b")
    with live_app.app_context():
        load_id = db.session.scalar(select(TeachingLoad.id).where(
            TeachingLoad.teacher_id == world.id("teacher")).order_by(TeachingLoad.id.desc()))
        lesson = Lesson(load_id=load_id, date=today, pair_number=2, topic="Циклы и ветвления",
                        homework="Решить задачи 1–5 из практикума")
        db.session.add(lesson)
        db.session.commit()
        world.ids.update(load=load_id, lesson=lesson.id)
    return world


@pytest.mark.committing
def test_a_teacher_attaches_a_material_to_a_lesson_a_parent_sees_it_in_the_diary(
        base, world, chromium, tmp_path):
    from playwright.sync_api import expect

    task_file = tmp_path / "Практикум, задачи 1–5.pdf"
    task_file.write_bytes(PDF)
    teacher = signed_in_page(chromium, base, world.users["teacher"])
    teacher.goto(f"{base}/journal/load/{world.ids['load']}")
    expect(teacher.locator("main")).to_contain_text("Материалы")
    shot(teacher, "01-teacher-grid")
    teacher.goto(f"{base}/journal/lessons/{world.ids['lesson']}")
    teacher.click("text=Прикрепить материал к занятию")
    expect(teacher.locator("#lesson")).to_have_value(str(world.ids["lesson"]))
    teacher.select_option("#kind", "tasks")
    teacher.fill("#title", "Практикум: задачи на циклы")
    teacher.fill("#description", "Решения — **в тетради**, к следующему занятию.")
    teacher.set_input_files("#files", str(task_file))
    shot(teacher, "02-teacher-new-material")
    submit(teacher, "Материал добавлен.")
    expect(teacher.locator(".material-description strong")).to_have_text("в тетради")
    shot(teacher, "03-teacher-material")
    teacher.click("text=Материалы >> nth=-1")
    expect(teacher.locator("main")).to_contain_text("Практикум: задачи на циклы")
    teacher.click("text=Добавить материал")
    teacher.select_option("#kind", "literature")
    teacher.fill("#title", "Электронный учебник")
    teacher.fill("#url", "javascript:alert(1)")
    teacher.click("main button[type=submit]")
    expect(teacher.locator(".invalid-feedback")).to_contain_text("http:// или https://")
    teacher.fill("#url", "https://urait.ru/book/algoritmy")
    teacher.click("main button[type=submit]")
    expect(teacher.locator("a.material-link")).to_have_attribute("rel", "noopener noreferrer")
    teacher.click("text=Материалы >> nth=-1")
    shot(teacher, "04-teacher-load-materials")
    teacher.goto(f"{base}/journal/lessons/{world.ids['lesson']}")
    expect(teacher.locator("main")).to_contain_text("Задания: «Практикум: задачи на циклы»")
    shot(teacher, "04b-teacher-lesson")

    parent = chromium.new_context(viewport={"width": 390, "height": 844}, locale="ru-RU",
                                  accept_downloads=True).new_page()
    sign_in(parent, base, world.users["parent"])
    parent.goto(f"{base}/diary/students/{world.ids['petrov']}")
    row = parent.locator("li.list-group-item", has_text="Циклы и ветвления")
    expect(row).to_contain_text("Материал (задания):")
    expect(row.locator("a.diary-note-link")).to_have_text("Практикум: задачи на циклы")
    expect(row).to_contain_text("Решить задачи 1–5 из практикума")
    section = parent.locator("section", has_text="Материалы по дисциплинам")
    expect(section).to_contain_text("Электронный учебник")
    shot(parent, "05-parent-diary")
    row.locator("a.diary-note-link").click()
    expect(parent.locator("h1")).to_have_text("Практикум: задачи на циклы")
    shot(parent, "06-parent-material")
    with parent.expect_download() as download:
        parent.click("a.material-file")
    assert download.value.suggested_filename == "Практикум, задачи 1–5.pdf"
    assert Path(download.value.path()).read_bytes() == PDF
