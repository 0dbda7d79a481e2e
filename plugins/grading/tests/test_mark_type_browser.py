"""The mark's type in a real browser: the lesson header's chooser gives new marks their type,
and Alt+T in a cell changes the type of its mark (Playwright driving Debian's Chromium).

Needs /usr/bin/chromium; skipped without it. Screenshots go to the test's tmp_path.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from plugins.journal.tests.world import build, college_today, include_day
from tests.browser import NEEDS_CHROMIUM, sign_in

pytestmark = NEEDS_CHROMIUM


@pytest.fixture
def served(live_app, serve):
    """A journal of written and practical work with two lessons today (a combined one and a
    practical one), served: ``(base URL, world, app)``."""
    from plugins.journal.models import Discipline, Lesson

    world = build(live_app, students=3, lessons=1, prefix="t")
    day = college_today(live_app)
    include_day(live_app, world, day)
    with live_app.app_context():
        db.session.get(Discipline, world.ids["discipline"]).work_kinds = "written,practical"
        db.session.add_all([
            Lesson(load_id=world.ids["load"], date=day, pair_number=3, hours=2, topic="Циклы",
                   work_type="combined", taught_by_id=world.users["teacher"].id),
            Lesson(load_id=world.ids["load"], date=day, pair_number=4, hours=2, topic="Массивы",
                   work_type="practical", taught_by_id=world.users["teacher"].id)])
        db.session.commit()
    return serve(live_app), world, live_app


@pytest.mark.committing
def test_the_teacher_chooses_a_marks_type_in_the_header_and_changes_it_with_alt_t(
        served, chromium, tmp_path):
    from playwright.sync_api import expect

    from plugins.grading.models import Mark

    base, world, app = served
    page = chromium.new_page(viewport={"width": 1100, "height": 700})
    sign_in(page, base, world.users["teacher"])
    page.goto(f"{base}/journal/load/{world.ids['load']}")
    choosers = page.locator("select.lesson-type")
    assert choosers.count() == 1  # the combined lesson; the practical work fixes its type
    choosers.first.select_option("written")
    cells = page.locator('input.grid-input[name^="cell-grading-"]')
    free = cells.nth(0)  # the first student's cell of the combined lesson
    free.click()
    page.keyboard.type("5")
    page.keyboard.press("Enter")
    expect(page.locator("input.grid-input.cell-saved")).to_have_count(1)
    assert free.get_attribute("title") == "письменная работа"
    free.click()
    page.keyboard.press("Alt+KeyT")  # written -> control, and the saved mark follows
    expect(page.locator("#grid-status")).to_contain_text("контрольная работа")
    expect(free).to_have_attribute("title", "контрольная работа")
    page.screenshot(path=str(tmp_path / "grid-mark-type.png"), full_page=True)
    page.goto(f"{base}/journal/planning/loads")  # a teacher does not plan: 404
    page.goto(f"{base}/grading/lessons/{_lesson_id(app, world, 3)}/marks")
    page.screenshot(path=str(tmp_path / "lesson-marks.png"), full_page=True)
    with app.app_context():
        assert db.session.scalars(select(Mark.mark_type).where(Mark.value == "5")).one() == \
            "control"


def _lesson_id(app, world, pair: int) -> int:
    from plugins.journal.models import Lesson

    with app.app_context():
        return db.session.scalar(select(Lesson.id).where(Lesson.load_id == world.ids["load"],
                                                         Lesson.pair_number == pair))
