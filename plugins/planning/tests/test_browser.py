"""The КТП in a real browser (Debian's Chromium through Playwright): a teacher pastes ten rows
copied from a spreadsheet into the editor, Enter adds a row, the plan is saved in one request
and submitted; the deputy finds it waiting and approves it."""

from __future__ import annotations

import pytest

from plugins.planning.tests.world import build
from tests.browser import NEEDS_CHROMIUM, open_menu, shot, signed_in_page

pytestmark = NEEDS_CHROMIUM

#: ten rows as Excel copies them: tab between cells, a line a row; 9 × 3 h + 7 h = 34 h
PASTED = "\n".join(
    "\t".join([f"Раздел {1 + n // 5}", f"Тема из таблицы {n + 1}", "7" if n == 9 else "3",
               "Практическая работа" if n % 3 == 2 else "Лекция", f"Упражнения {n + 1}"])
    for n in range(10)) + "\n"

PASTE = """([text]) => {
  const cell = document.querySelector("#ktp-editor tbody tr input[name=section]");
  cell.focus();
  const data = new DataTransfer();
  data.setData("text/plain", text);
  cell.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true,
                                                  cancelable: true}));
}"""


@pytest.fixture
def world(live_app):
    return build(live_app, prefix="b")


@pytest.mark.committing
def test_a_teacher_pastes_ten_rows_saves_and_submits_the_deputy_approves(base, world, chromium):
    from playwright.sync_api import expect

    teacher = signed_in_page(chromium, base, world.users["teacher"])
    open_menu(teacher, "КТП")
    teacher.click("#plans >> text=ОП.04 Основы алгоритмизации b")
    expect(teacher.locator("#plan-state")).to_have_text("Черновик")
    rows = teacher.locator("#ktp-editor tbody tr")
    expect(rows).to_have_count(1)  # the editor's script has built its first, empty row
    shot(teacher, "00-teacher-empty")
    teacher.evaluate(PASTE, [PASTED])
    expect(rows).to_have_count(10)
    expect(teacher.locator("#ktp-total")).to_have_text("34")
    expect(rows.nth(9).locator("input[name=topic]")).to_have_value("Тема из таблицы 10")
    expect(rows.nth(2).locator("input[name=work_type]")).to_have_value("Практическая работа")
    rows.nth(9).locator("input[name=topic]").click()
    teacher.keyboard.press("Enter")  # past the last row: a new row of the same section
    expect(rows).to_have_count(11)
    expect(rows.nth(10).locator("input[name=section]")).to_have_value("Раздел 2")
    expect(rows.nth(10).locator("input[name=topic]")).to_be_focused()
    teacher.keyboard.type("Лишняя тема без часов")
    shot(teacher, "01-teacher-pasted")
    teacher.keyboard.press("Control+s")
    expect(teacher.locator("#ktp-errors")).to_contain_text("11, «Часы»: Не указаны часы")
    expect(rows.nth(10).locator("input[name=hours]")).to_have_class("is-invalid")
    shot(teacher, "02-teacher-refused")
    rows.nth(10).locator(".js-remove").click()
    teacher.click("#ktp-save")
    expect(teacher.locator("#ktp-saved")).to_contain_text("План сохранён: 10 строк, 34 ч.")
    expect(teacher.locator("#hours-check")).to_have_class("alert py-2 alert-success")
    expect(teacher.locator("#hours-problems")).to_have_text("")
    shot(teacher, "03-teacher-saved")
    teacher.click("#submit-plan")
    expect(teacher.locator(".alert-success").first).to_contain_text("План отправлен на утверждение.")
    expect(teacher.locator("#plan-state")).to_have_text("На утверждении")
    expect(teacher.locator("#ktp-rows tbody tr")).to_have_count(10)
    shot(teacher, "04-teacher-submitted")

    deputy = signed_in_page(chromium, base, world.users["deputy"])
    open_menu(deputy, "КТП")
    deputy.click("text=Ждут утверждения")
    deputy.click("#plans >> text=ОП.04 Основы алгоритмизации b")
    shot(deputy, "05-deputy-plan")
    deputy.click("#approve-plan")
    expect(deputy.locator(".alert-success").first).to_contain_text("План утверждён.")
    expect(deputy.locator("#plan-state")).to_have_text("Утверждён")
    shot(deputy, "06-deputy-approved")
