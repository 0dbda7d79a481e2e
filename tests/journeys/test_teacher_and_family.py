"""Journeys of issue #23 «Keep it fixed» in Chromium: a teacher's, a parent's and a student's
working day in the demo college on 25 November 2026 (tests/journeys/conftest.py), every page
looked at (axe-core's WCAG 2.1 AA check, no side scroll, a screenshot among the artefacts).

- The teacher (novikova.ld, who has pair 4 today): home, the journals, a grid; a mark and an
  absence typed into today's lesson with the keyboard, kept on reload; a correction asked for
  from an old lesson's refused cell.
- The parent (anisimova.sv, on a phone): home, the diary, «Пропуски» and a reason reported;
  a parent of two (skvortsova.nv) switches between the children's diaries.
- The student (anisimov.am, on a laptop): home and the diary.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from core.extensions import db
from tests.browser import NEEDS_CHROMIUM, PHONE, correct_refused_cell, look_at, page_in
from tests.journeys.conftest import DEMO_DAY

pytestmark = NEEDS_CHROMIUM

TODAY = date(2026, 11, 25)


def _todays_lesson(app, login):
    """``(load id, today's lesson id)`` of the teacher ``login``."""
    from core.people.models import User
    from plugins.journal.models import Lesson

    with app.app_context():
        teacher = db.session.scalar(select(User).where(User.login == login))
        today = db.session.scalars(select(Lesson).where(
            Lesson.date == TODAY, Lesson.taught_by_id == teacher.id)).first()
        return today.load_id, today.id


def _cell(page, plugin, lesson_id, student_id=None):
    student = f"{student_id}-" if student_id else ""
    return page.locator(f'input.grid-input[name^="cell-{plugin}-{lesson_id}-{student}"]')


def _two_blank_students(page, lesson_id):
    """The ids of the first two students with nothing yet in the lesson's cells (the demo's
    teacher has marked most of today's lesson already)."""
    students = page.locator("#journal-grid tbody tr[data-student]").evaluate_all(
        "rows => rows.map(row => row.dataset.student)")
    blank = [student for student in students
             if not any(_cell(page, plugin, lesson_id, student).input_value()
                        for plugin in ("grading", "attendance"))]
    return blank[0], blank[1]


def _blank_mark_cell(page):
    """The grid's first mark input still blank."""
    name = page.locator('input.grid-input[name^="cell-grading-"]').evaluate_all(
        'inputs => inputs.find(input => input.value === "").name')
    return page.locator(f'input.grid-input[name="{name}"]')


def _move_past_the_window(app, lesson_id):
    """Move the lesson to the latest free day of its pair before the edit window's first."""
    from plugins.journal.api import window_days
    from plugins.journal.models import Lesson

    with app.app_context():
        lesson = db.session.get(Lesson, lesson_id)
        day = window_days(DEMO_DAY)[0] - timedelta(days=1)
        while db.session.scalar(select(Lesson.id).where(
                Lesson.load_id == lesson.load_id, Lesson.date == day,
                Lesson.pair_number == lesson.pair_number)):
            day -= timedelta(days=1)
        lesson.date = day
        db.session.commit()


def test_a_teacher_marks_todays_lesson_sets_a_final_and_asks_to_correct_an_old_one(
        demo_site, chromium, shots):
    from playwright.sync_api import expect

    from plugins.attendance.models import Absence
    from plugins.grading.models import Final, Mark

    base = demo_site.base
    load_id, today_id = _todays_lesson(demo_site.app, "novikova.ld")
    page = page_in(chromium, base, demo_site.user("novikova.ld"))
    look_at(page, "teacher-home", shots)
    page.goto(f"{base}/journal/")
    look_at(page, "teacher-journals", shots)
    page.goto(f"{base}/journal/load/{load_id}")
    look_at(page, "teacher-grid", shots)
    first, second = _two_blank_students(page, today_id)
    mark, absent = _cell(page, "grading", today_id, first), _cell(page, "grading", today_id, second)
    # each input named for the student, the lesson's date and its kind
    for field in (mark, absent):
        names = [page.locator(f"#{part}").text_content().strip()
                 for part in field.get_attribute("aria-labelledby").split()]
        assert len(names) == 3 and all(names), names
        assert "25.11" in names[1], names
    # the keyboard: a mark, then down (Enter, the arrows) to the other student for «н»
    mark.focus()
    page.keyboard.type("5")
    page.keyboard.press("Enter")
    for _row in range(40):
        if absent.evaluate("input => input === document.activeElement"):
            break
        page.keyboard.press("ArrowDown")
    expect(absent).to_be_focused()
    page.keyboard.type("н")
    page.keyboard.press("Enter")
    expect(page.locator(f'input.grid-input.cell-saved[name^="cell-grading-{today_id}-"]')) \
        .to_have_count(1)
    expect(page.locator(f'input.grid-input.cell-saved[name^="cell-attendance-{today_id}-"]')) \
        .to_have_count(1)
    look_at(page, "teacher-grid-typed", shots)
    page.reload()
    expect(_cell(page, "grading", today_id, first)).to_have_value("5")
    expect(_cell(page, "attendance", today_id, second)).to_have_value("н")
    with demo_site.app.app_context():
        assert db.session.scalar(select(Mark.value).where(
            Mark.lesson_id == today_id, Mark.student_id == int(first))) == "5"
        assert db.session.scalar(select(Absence.kind).where(
            Absence.lesson_id == today_id, Absence.student_id == int(second))) == "absent"
    # the term's final of a student who has none yet, typed in the grid's final column
    final = page.locator('input.grid-input[name^="col-grading-term_final-"]:not([disabled])'
                         ':not([value]), input.grid-input[name^="col-grading-term_final-"]'
                         ':not([disabled])[value=""]').first
    finalist = int(final.get_attribute("name").split("-")[3])  # col-grading-term_final-<id>-…
    final = page.locator(f'input[aria-labelledby="{final.get_attribute("aria-labelledby")}"]')
    final.click()  # held by its labels: the name changes with the saved version
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    expect(final).to_have_class(re.compile(r"\bcell-saved\b"))
    with demo_site.app.app_context():
        assert db.session.scalar(select(Final.value).where(
            Final.load_id == load_id, Final.student_id == finalist,
            Final.kind == "term")) == "4"
    # the page stays open while the lesson's edit window closes (its day moved back past the
    # grace days, as the clock cannot jump without ending her session): its cell is refused
    # and the refusal leads to the correction form, filed
    blank = _blank_mark_cell(page)
    _move_past_the_window(demo_site.app, today_id)
    correct_refused_cell(page, blank, "4", "new_value",
                         "Ответ не был внесён вовремя", shots, prefix="teacher-")
    expect(page.locator(".alert-success")).to_be_visible()
    look_at(page, "teacher-correction-filed", shots)


def test_a_parent_reads_the_diary_on_a_phone_and_reports_a_reason(demo_site, chromium, shots):
    from playwright.sync_api import expect

    base = demo_site.base
    page = page_in(chromium, base, demo_site.user("anisimova.sv"), PHONE)
    look_at(page, "parent-home", shots)
    page.goto(f"{base}/diary/")
    expect(page.locator("h1")).to_have_text("Анисимов Андрей Максимович")
    look_at(page, "parent-diary", shots)
    page.click(".navbar-toggler")  # the phone's menu, folded
    page.locator("#main-nav").get_by_role("link", name="Пропуски").click()
    expect(page.locator("h1")).to_contain_text("Пропуски")
    look_at(page, "parent-attendance", shots)
    reasons = page.locator("select#reason option").all_inner_texts()
    assert reasons and "неуважительная" not in reasons, reasons
    page.fill("#date_from", "2026-11-03")
    page.fill("#date_to", "2026-11-03")
    page.select_option("#reason", label="уважительная")
    page.fill("#comment", "Был у врача, опоздал на занятие")
    page.click("main form button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()
    look_at(page, "parent-reason-sent", shots)
    # a parent of two children switches between their diaries
    page = page_in(chromium, base, demo_site.user("skvortsova.nv"), PHONE)
    page.goto(f"{base}/diary/")
    children = page.get_by_role("navigation", name="Дети").get_by_role("link")
    expect(children).to_have_count(2)
    look_at(page, "parent2-diary-first", shots)
    first = page.locator("h1").inner_text()
    children.nth(1).click()
    expect(page.locator("h1")).not_to_have_text(first)
    expect(children.nth(1)).to_have_class("nav-link active")
    look_at(page, "parent2-diary-second", shots)


def test_a_student_reads_the_diary(demo_site, chromium, shots):
    from playwright.sync_api import expect

    base = demo_site.base
    page = page_in(chromium, base, demo_site.user("anisimov.am"))
    look_at(page, "student-home", shots)
    page.goto(f"{base}/diary/")
    expect(page.locator("h1")).to_have_text("Анисимов Андрей Максимович")
    look_at(page, "student-diary", shots)
