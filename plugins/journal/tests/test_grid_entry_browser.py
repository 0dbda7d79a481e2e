"""Entering marks and absences in the grid, in Chromium at a laptop's 1366 × 768 (issue #23):
one input understands «н», «5н», «н 5»; the «Зачёт» column takes «зач»; an old lesson and
its cells lead to the correction form; the history panel shows an approved correction; a
session that ended keeps what was typed and sends it after signing in again in another tab;
30 students and a month of lessons fit the screen.

Needs /usr/bin/chromium (`apt-get install chromium`); skipped without it. Screenshots go to
``EJOURNAL_SCREENSHOTS`` when set (``tests.browser.shot``).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.extensions import db
from plugins.journal.entry import CASES
from plugins.journal.tests.world import build, college_today, include_day
from tests.browser import NEEDS_CHROMIUM, shot, sign_in

pytestmark = NEEDS_CHROMIUM

LAPTOP = {"width": 1366, "height": 768}


def _laptop(chromium, base, user, **options):
    page = chromium.new_context(viewport=LAPTOP, locale="ru-RU", **options).new_page()
    sign_in(page, base, user)
    return page


@pytest.fixture
def month(live_app, serve):
    """30 students, a month of past lessons (every other day) and today's lesson (pair 4):
    ``(base URL, world, app, today's lesson id)``."""
    from plugins.journal.models import Lesson

    world = build(live_app, students=30, lessons=0, prefix="e")
    day = college_today(live_app)
    include_day(live_app, world, day)
    with live_app.app_context():
        for number in range(15):  # 4 hours a week: a month is about 16 lessons
            db.session.add(Lesson(load_id=world.ids["load"], date=day - timedelta(days=30 - 2 * number),
                                  pair_number=1, hours=2, topic=f"Тема {number + 1}",
                                  work_type=("lecture", "practical", "laboratory")[number % 3],
                                  taught_by_id=world.users["teacher"].id))
        today = Lesson(load_id=world.ids["load"], date=day, pair_number=4, hours=2,
                       topic="Циклы", work_type="lecture", taught_by_id=world.users["teacher"].id)
        db.session.add(today)
        db.session.commit()
        today_id = today.id
    return serve(live_app), world, live_app, today_id


def _cell(page, plugin, lesson_id, student_id):
    return page.locator(f'input.grid-input[name^="cell-{plugin}-{lesson_id}-{student_id}-"]')


@pytest.mark.committing
def test_one_input_takes_a_mark_an_absence_or_both_and_a_credit_takes_zach(month, chromium,
                                                                           tmp_path):
    from playwright.sync_api import expect

    from plugins.attendance.models import Absence
    from plugins.grading.models import AssessmentKind, Final, Mark, MinimumException

    base, world, app, today = month
    s = world.students
    with app.app_context():
        db.session.add(AssessmentKind(load_id=world.ids["load"], kind="credit"))
        for student_id in s[:2]:  # no marks yet: the minimum is waived for these two
            db.session.add(MinimumException(load_id=world.ids["load"], student_id=student_id,
                                            reason="Индивидуальный план",
                                            granted_by_id=world.users["deputy"].id))
        db.session.commit()
    page = _laptop(chromium, base, world.users["teacher"])
    page.goto(f"{base}/journal/load/{world.ids['load']}")
    # what the grid understands, as a unit: [absence, mark]
    for typed, expected in CASES.items():  # the page splits as the plain form's save does
        assert page.evaluate("text => window.ejournalSplitEntry(text)", typed) == list(expected), \
            typed
    for number, typed in enumerate(["н", "5н", "н 4", "3"]):
        _cell(page, "grading", today, s[number]).click()
        page.keyboard.type(typed)
        page.keyboard.press("Enter")
    expect(page.locator('input.grid-input.cell-saved[name^="cell-attendance-"]')).to_have_count(3)
    expect(page.locator('input.grid-input.cell-saved[name^="cell-grading-"]')).to_have_count(3)
    assert _cell(page, "grading", today, s[0]).input_value() == ""  # «н» is no mark
    assert _cell(page, "attendance", today, s[1]).input_value() == "н"
    credit = page.locator(f'input.grid-input[name^="col-grading-credit_final-{s[0]}-"]')
    credit.click()
    page.keyboard.type("зач")
    page.keyboard.press("Enter")
    other = page.locator(f'input.grid-input[name^="col-grading-credit_final-{s[1]}-"]')
    other.click()
    page.keyboard.type("Незачёт")
    page.keyboard.press("Enter")
    expect(page.locator('input.grid-input.cell-saved[name^="col-grading-credit_final-"]')) \
        .to_have_count(2)
    # the cell's history: the mark's and the absence's changes together
    _cell(page, "grading", today, s[1]).dblclick()
    expect(page.locator("#grid-history tbody tr")).to_have_count(2)
    assert sorted(page.locator("#grid-history tbody tr td:nth-child(3)").all_inner_texts()) \
        == ["5", "н"]
    shot(page, "grid-entry")
    page.screenshot(path=str(tmp_path / "grid-entry.png"))
    with app.app_context():
        absences = {row.student_id: (row.kind, row.hours) for row in db.session.scalars(
            select(Absence).where(Absence.lesson_id == today))}
        marks = {row.student_id: row.value for row in db.session.scalars(
            select(Mark).where(Mark.lesson_id == today, Mark.value != ""))}
        finals = {row.student_id: row.value for row in db.session.scalars(
            select(Final).where(Final.kind == "credit"))}
    assert {sid: kind for sid, (kind, _h) in absences.items() if kind} == {
        s[0]: "absent", s[1]: "absent", s[2]: "absent"}
    assert marks == {s[1]: "5", s[2]: "4", s[3]: "3"}
    assert finals == {s[0]: "pass", s[1]: "fail"}


@pytest.mark.committing
def test_thirty_students_and_a_month_fit_a_laptop_with_sticky_names_and_dates(month, chromium):
    from playwright.sync_api import expect

    base, world, _app, _today = month
    page = _laptop(chromium, base, world.users["teacher"])
    page.goto(f"{base}/journal/load/{world.ids['load']}")
    expect(page.locator("#journal-grid tbody tr")).to_have_count(30)
    sizes = page.evaluate("""() => {
        const wrap = document.querySelector('.journal-grid-wrap');
        const rows = [...document.querySelectorAll('#journal-grid tbody tr')];
        return {page: document.documentElement.scrollWidth, viewport: window.innerWidth,
                wrapWidth: wrap.clientWidth, tableWidth: wrap.scrollWidth,
                grid: rows[29].getBoundingClientRect().bottom
                      - document.querySelector('#journal-grid thead').getBoundingClientRect().top,
                row: Math.max(...rows.map(r => r.getBoundingClientRect().height))};
    }""")
    assert sizes["page"] <= sizes["viewport"]  # no page wider than the laptop
    assert sizes["tableWidth"] <= sizes["wrapWidth"]  # a month's lessons with no side scroll
    assert sizes["row"] <= 20 and sizes["grid"] <= 768 - 56 - 40, sizes  # 30 rows on the screen
    shot(page, "grid-month-1366")
    # scrolled inside its box: the dates stay on top and the names on the left
    wrap = page.locator(".journal-grid-wrap")
    wrap.evaluate("box => { box.style.maxHeight = '300px'; box.scrollTop = 200; box.scrollLeft = 400; }")
    stuck = page.evaluate("""() => {
        const box = document.querySelector('.journal-grid-wrap').getBoundingClientRect();
        const head = document.querySelector('#journal-grid thead th.lesson').getBoundingClientRect();
        const name = document.querySelector('#journal-grid tbody th.student').getBoundingClientRect();
        return [Math.round(head.top - box.top), Math.round(name.left - box.left)];
    }""")
    assert stuck == [0, 0] or all(abs(v) <= 1 for v in stuck), stuck
    # each input named by its row's and column's headers and its kind, and the keyboard moves
    mark = page.locator('input.grid-input[name^="cell-grading-"]').first
    absent = page.locator('input.grid-input[name^="cell-attendance-"]').first
    for field, kind in ((mark, "оценка"), (absent, "посещаемость")):
        parts = field.get_attribute("aria-labelledby").split()
        assert parts[0].startswith("s") and parts[1].startswith("l") and len(parts) == 3
        assert page.locator(f"#{parts[2]}").text_content() == kind
    mark.focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.name").startswith(
        f"cell-grading-{_today}-{world.students[1]}-")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.activeElement.name").startswith(
        f"cell-attendance-{_today}-{world.students[1]}-")


@pytest.mark.committing
def test_an_old_lesson_leads_to_the_correction_form_and_the_history_shows_the_approval(
        month, chromium, tmp_path):
    from playwright.sync_api import expect

    from plugins.grading import services
    from plugins.journal import api
    from plugins.journal.models import Lesson

    base, world, app, _today = month
    s = world.students
    with app.app_context():
        old = db.session.scalars(select(Lesson).where(Lesson.load_id == world.ids["load"])
                                 .order_by(Lesson.date)).first()
        old_id, old_date = old.id, old.date
    with app.test_request_context():
        load = api.get_load(world.ids["load"])
        filed = services.file_correction(world.users["teacher"], load, old_id, s[0], "4",
                                         "Ответ не был внесён вовремя")
        services.decide_correction(world.users["deputy"], filed.id, True, "")
        db.session.commit()
    page = _laptop(chromium, base, world.users["teacher"])
    page.goto(f"{base}/journal/load/{world.ids['load']}")
    page.locator(f"#journal-grid tbody tr[data-student='{s[0]}'] td").first.dblclick()
    rows = page.locator("#grid-history tbody tr")
    expect(rows).to_have_count(1)
    assert "Ответ не был внесён вовремя" in rows.first.inner_text()
    assert "Сотрудникова" in rows.first.locator("td").nth(5).inner_text()  # who approved
    expect(page.locator("#grid-history .empty")).to_be_hidden()
    expect(page.locator("#grid-history .correction a")).to_be_visible()
    shot(page, "grid-history-approved")
    # the old lesson's page → its marks → the form, filled in for that student
    page.click(f"#l{old_id} a")
    page.get_by_role("link", name="Исправить оценку (с указанием причины)").click()
    page.get_by_role("link", name=f"Исправить оценку: {_short(app, s[1])}").click()
    expect(page.locator("h1")).to_have_text("Заявка на исправление оценки")
    assert f"lesson_id={old_id}" in page.url and f"student_id={s[1]}" in page.url
    expect(page.locator("main")).to_contain_text(old_date.strftime("%d.%m.%Y"))
    # «Исправления оценок»: how to file one, and the lesson named
    page.goto(f"{base}/grading/corrections")
    expect(page.locator("#how-to-correct")).to_be_visible()
    expect(page.locator("main table")).to_contain_text(old_date.strftime("%d.%m.%Y"))
    page.screenshot(path=str(tmp_path / "corrections.png"))
    shot(page, "grading-corrections-teacher")


def _short(app, student_id):
    from core.people.models import Student

    with app.app_context():
        return db.session.get(Student, student_id).short_name


@pytest.mark.committing
def test_a_session_that_ended_keeps_what_was_typed_and_sends_it_after_signing_in_again(
        month, chromium, monkeypatch):
    from playwright.sync_api import expect

    from core.auth import sessions
    from plugins.grading.models import Mark

    base, world, app, today = month
    s = world.students
    page = _laptop(chromium, base, world.users["teacher"])
    page.goto(f"{base}/journal/load/{world.ids['load']}")
    real = sessions._now
    monkeypatch.setattr(sessions, "_now", lambda: real() + 4 * 3600)  # the teacher was away
    _cell(page, "grading", today, s[0]).click()
    page.keyboard.type("5")
    page.keyboard.press("Enter")
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    status = page.locator("#grid-status")
    expect(status).to_contain_text("Сеанс завершён")
    expect(status).to_contain_text("ячеек: 2")
    expect(page.locator("input.grid-input.cell-kept")).to_have_count(2)
    shot(page, "grid-session-ended")
    with app.app_context():
        assert db.session.scalars(select(Mark).where(Mark.lesson_id == today)).all() == []
    other = page.context.new_page()  # signing in again, in another tab
    sign_in(other, base, world.users["teacher"])
    expect(status).to_contain_text("Сохранено после повторного входа", timeout=15000)
    expect(page.locator("input.grid-input.cell-kept")).to_have_count(0)
    expect(page.locator('input.grid-input.cell-saved[name^="cell-grading-"]')).to_have_count(2)
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('ejournal-grid-kept:')).length") == 0
    with app.app_context():
        values = {row.student_id: row.value for row in db.session.scalars(
            select(Mark).where(Mark.lesson_id == today))}
    assert values == {s[0]: "5", s[1]: "4"}
