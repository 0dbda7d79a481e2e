"""A mark flag in a real browser (Playwright driving Debian's Chromium, CSRF checked): a parent
reports a mark from the diary, the teacher finds it on the home page, the list and the grid,
keeps the mark with a comment, and the parent reads the answer in the diary.

Needs /usr/bin/chromium; skipped without it. Screenshots go to the test's tmp_path.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from plugins.grading import services
from plugins.grading.models import MarkFlag
from plugins.grading.tests.test_mark_flags import COMMENT, PAST, PETROV, add_parent, cell
from plugins.grading.tests.world import build, save_on_the_day
from tests.browser import NEEDS_CHROMIUM, sign_in

pytestmark = NEEDS_CHROMIUM


@pytest.mark.committing
def test_a_parent_reports_a_mark_and_reads_the_teachers_answer(live_app, serve, chromium,
                                                               tmp_path):
    from playwright.sync_api import expect

    world = build(live_app, prefix="mb")
    add_parent(live_app, world, "parent", PETROV)
    save_on_the_day(live_app, world, services.save_cells, "teacher",
                    [cell(world, PAST, PETROV, "3"), cell(world, PAST + 1, PETROV, "4")])
    base = serve(live_app)
    diary = (f"{base}/diary/students/{world.students[PETROV]}"
             f"?week={world.dates[PAST].isoformat()}")

    family = chromium.new_page(viewport={"width": 390, "height": 844})  # a phone
    sign_in(family, base, world.users["parent"])
    family.goto(diary)
    family.screenshot(path=str(tmp_path / "diary-with-action.png"), full_page=True)
    family.click("text=Сообщить об ошибке")
    family.click("main button[type=submit]")  # an empty comment: refused in Russian
    expect(family.locator(".invalid-feedback")).to_contain_text("Напишите, что не так с оценкой")
    family.fill("textarea[name=comment]", COMMENT)
    family.screenshot(path=str(tmp_path / "flag-form.png"), full_page=True)
    family.click("main button[type=submit]")
    expect(family.locator(".diary-note-detail")).to_contain_text("ждёт ответа преподавателя")
    family.screenshot(path=str(tmp_path / "diary-flag-waiting.png"), full_page=True)

    teacher = chromium.new_page(viewport={"width": 1280, "height": 800})
    sign_in(teacher, base, world.users["teacher"])
    expect(teacher.locator("main")).to_contain_text("Обращения по оценкам")  # the home widget
    teacher.goto(f"{base}/grading/flags")
    expect(teacher.locator("table.mark-flags")).to_contain_text("отвечал у доски")
    teacher.screenshot(path=str(tmp_path / "teacher-flags.png"), full_page=True)
    teacher.goto(f"{base}/journal/load/{world.ids['load']}")
    flagged = teacher.locator(".cell-flagged")
    expect(flagged).to_have_count(1)
    assert "ждёт ответа" in flagged.get_attribute("title")
    teacher.locator("#journal-grid").screenshot(path=str(tmp_path / "grid-flagged.png"))
    teacher.goto(f"{base}/grading/flags")
    teacher.click("text=Ответить")
    teacher.check("input[value=kept]")
    teacher.fill("textarea[name=comment]", "Ответ был неполным: разберём на консультации.")
    teacher.screenshot(path=str(tmp_path / "flag-answer.png"), full_page=True)
    teacher.click("main form button[type=submit]")
    expect(teacher.locator(".alert")).to_contain_text("оценка оставлена")

    family.goto(diary)
    expect(family.locator(".diary-note-detail").first).to_contain_text(
        "Преподаватель оставил оценку «3»: Ответ был неполным")
    family.screenshot(path=str(tmp_path / "diary-answer.png"), full_page=True)
    with live_app.app_context():
        assert db.session.scalars(select(MarkFlag.status)).all() == ["kept"]
