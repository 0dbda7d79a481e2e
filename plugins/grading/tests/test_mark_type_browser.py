"""The mark's type in a real browser: the lesson header's chooser gives new marks their type,
and Alt+T in a cell changes the type of its mark (Playwright driving Debian's Chromium).

Needs /usr/bin/chromium; skipped without it. Screenshots go to the test's tmp_path.
"""

from __future__ import annotations

import shutil
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from core import migrate
from core.extensions import db
from plugins.journal.tests.world import build

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("chromium") is None,
                       reason="Debian's Chromium is not installed: `apt-get install chromium`"),
]


@pytest.fixture
def served(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'types.sqlite3'}",
                   WTF_CSRF_ENABLED=True, SERVER_NAME=None, TESTING=False,
                   SQLITE_BEGIN_MODE="IMMEDIATE")
    migrate.upgrade(app)
    world = build(app, students=3, lessons=1, prefix="t")
    day = datetime.now(ZoneInfo(app.config["TIMEZONE"])).date()
    with app.app_context():
        from core.calendar.models import Term
        from core.people.models import GroupMembership
        from plugins.journal.models import Discipline, Lesson, TeachingLoad

        load = db.session.get(TeachingLoad, world.ids["load"])
        db.session.get(Discipline, load.discipline_id).work_kinds = "written,practical"
        term = db.session.get(Term, load.term_id)
        term.starts_on, term.ends_on = min(term.starts_on, day), max(term.ends_on, day)
        for membership in db.session.scalars(select(GroupMembership)):
            membership.joined_on = min(membership.joined_on, day)
        db.session.add_all([
            Lesson(load_id=load.id, date=day, pair_number=3, hours=2, topic="Циклы",
                   work_type="combined", taught_by_id=world.users["teacher"].id),
            Lesson(load_id=load.id, date=day, pair_number=4, hours=2, topic="Массивы",
                   work_type="practical", taught_by_id=world.users["teacher"].id)])
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", world, app
    server.shutdown()


@pytest.mark.committing
def test_the_teacher_chooses_a_marks_type_in_the_header_and_changes_it_with_alt_t(
        served, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    from plugins.grading.models import Mark

    base, world, app = served
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 700})
        page.goto(f"{base}/auth/login")
        page.fill("#login", world.users["teacher"].login)
        page.fill("#password", "secret-pass-1")
        page.click("main button[type=submit]")
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
        browser.close()
    with app.app_context():
        assert db.session.scalars(select(Mark.mark_type).where(Mark.value == "5")).one() == \
            "control"
    print(tmp_path)


def _lesson_id(app, world, pair: int) -> int:
    from plugins.journal.models import Lesson

    with app.app_context():
        return db.session.scalar(select(Lesson.id).where(Lesson.load_id == world.ids["load"],
                                                         Lesson.pair_number == pair))
