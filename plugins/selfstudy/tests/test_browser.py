"""Self-study in a real browser (Debian's Chromium through Playwright): the teacher sets a task
from the lesson's page, the student finds it in the diary and hands in a text and a file, the
teacher sees it on the task's page and marks it into today's lesson, the parent sees the mark
in the diary (the lesson's row and the self-study section)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.extensions import db
from plugins.journal.models import Lesson, TeachingLoad
from plugins.journal.tests.world import college_today
from plugins.messaging.tests.world import build
from plugins.selfstudy.tests.helpers import PDF
from tests.browser import NEEDS_CHROMIUM, shot, sign_in, signed_in_page, submit

pytestmark = NEEDS_CHROMIUM


@pytest.fixture
def world(live_app):
    today = college_today(live_app)
    world = build(live_app, today, prefix="sb")
    with live_app.app_context():
        load_id = db.session.scalar(select(TeachingLoad.id).where(
            TeachingLoad.teacher_id == world.id("teacher")).order_by(TeachingLoad.id.desc()))
        lesson = Lesson(load_id=load_id, date=today, pair_number=2, topic="Циклы и ветвления")
        db.session.add(lesson)
        db.session.commit()
        world.ids.update(load=load_id, lesson=lesson.id)
    world.today = today
    return world


@pytest.mark.committing
def test_a_student_hands_in_the_teacher_marks_the_parent_sees_the_mark(
        base, world, chromium, tmp_path):
    from playwright.sync_api import expect

    teacher = signed_in_page(chromium, base, world.users["teacher"])
    teacher.goto(f"{base}/journal/lessons/{world.ids['lesson']}")
    teacher.click("text=Задать самостоятельную работу")
    expect(teacher.locator("#lesson")).to_have_value(str(world.ids["lesson"]))
    teacher.fill("#title", "Решить задачи на циклы 1–5")
    teacher.fill("#description", "Решения — **с блок-схемами**.")
    teacher.fill("#due_on", (world.today + timedelta(days=2)).isoformat())
    teacher.select_option("#consultation", "distance")
    teacher.fill("#consultation_day", (world.today + timedelta(days=1)).isoformat())
    teacher.fill("#consultation_time", "16:00")
    teacher.fill("#consultation_place", "https://meet.college.example/op04")
    shot(teacher, "selfstudy-01-teacher-new-task")
    submit(teacher, "Самостоятельная работа задана.")
    task_url = teacher.url
    expect(teacher.locator(".selfstudy-count")).to_contain_text("Сдали: 0 из 3")
    expect(teacher.locator(".selfstudy-consultation")).to_contain_text("дистанционно")

    answer = tmp_path / "Решения.pdf"
    answer.write_bytes(PDF)
    student = signed_in_page(chromium, base, world.users["student"])
    student.goto(f"{base}/diary/students/{world.ids['petrov']}")
    row = student.locator("li.list-group-item", has_text="Циклы и ветвления")
    expect(row).to_contain_text("Самостоятельная работа до")
    shot(student, "selfstudy-02-student-diary")
    row.locator("a", has_text="Решить задачи на циклы 1–5").click()
    expect(student.locator(".selfstudy-state")).to_have_text("задано")
    student.fill("#text", "Задачи 1–5 решены, блок-схемы в файле.")
    student.set_input_files("#files", str(answer))
    shot(student, "selfstudy-03-student-hand-in")
    submit(student, "Работа сдана.")
    expect(student.locator(".selfstudy-state")).to_have_text("сдано")
    expect(student.locator("a.selfstudy-file")).to_have_text("Решения.pdf")

    teacher.goto(task_url)
    expect(teacher.locator(".selfstudy-count")).to_contain_text("Сдали: 1 из 3")
    mine = teacher.locator(f"tr[data-student='{world.ids['petrov']}']")
    expect(mine).to_contain_text("Задачи 1–5 решены")
    mine.locator("input[name$='-value']").fill("5")
    mine.locator("select[name$='-mark_type']").select_option("written")
    shot(teacher, "selfstudy-04-teacher-marks")
    with teacher.expect_navigation():
        mine.locator("button[type=submit]").click()
    expect(teacher.locator(".alert-success")).to_contain_text("Оценка выставлена в журнал.")
    expect(mine.locator(".selfstudy-state")).to_have_text("оценено")
    teacher.goto(f"{base}/journal/load/{world.ids['load']}")
    expect(teacher.locator("main")).to_contain_text("Самостоятельные работы (1)")
    shot(teacher, "selfstudy-05-teacher-grid")

    parent = chromium.new_context(viewport={"width": 390, "height": 844},
                                  locale="ru-RU").new_page()
    sign_in(parent, base, world.users["parent"])
    parent.goto(f"{base}/diary/students/{world.ids['petrov']}")
    row = parent.locator("li.list-group-item", has_text="Циклы и ветвления")
    expect(row.locator(".diary-note", has_text="5")).to_be_visible()
    expect(row).to_contain_text("оценено")
    section = parent.locator("section", has_text="Самостоятельные работы").last
    expect(section).to_contain_text("Решить задачи на циклы 1–5")
    expect(section.locator("td", has_text="оценено")).to_be_visible()
    shot(parent, "selfstudy-06-parent-diary")
