"""Issue #23 "Keep it fixed": the staff's working days in Chromium, on the demo college. The
curator answers a parent's absence report, sets a reason over days and prints login slips; the
deputy approves a correction, records a substitution and downloads a report's PDF; the
administrator opens the year's import, the policy and the audit log. Every page visited is
looked at (axe-core WCAG 2.1 AA, no overflow, a screenshot)."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect
from sqlalchemy import select

from core import settings
from core.extensions import db
from core.people.models import Group, GroupMembership, Student, User
from tests.browser import NEEDS_CHROMIUM, look_at, page_in

pytestmark = NEEDS_CHROMIUM


def _new_students(app, group_name: str, names: list[tuple[str, str]]) -> None:
    """Students enrolled in ``group_name`` without a login yet (they came by an order)."""
    with app.app_context():
        group = db.session.scalar(select(Group).where(Group.name == group_name))
        for number, (last, first) in enumerate(names):
            student = Student(record_book_no=f"J23-{number}", last_name=last, first_name=first)
            db.session.add(student)
            db.session.flush()
            db.session.add(GroupMembership(student_id=student.id, group_id=group.id,
                                           joined_on=date(2026, 11, 1)))
        db.session.commit()


def _parent_reports(app, parent_login: str, student_login: str) -> None:
    """The parent reports their child's illness on Monday and Tuesday, as from the family's
    page (the demo's pending reports are of another curator's group)."""
    from plugins.attendance import services

    with app.app_context():
        parent = db.session.scalar(select(User).where(User.login == parent_login))
        child = db.session.scalar(select(Student).join(User, Student.user_id == User.id)
                                  .where(User.login == student_login))
        services.report_reason(parent, child.id, date(2026, 11, 23), date(2026, 11, 24),
                               "illness", "Был у врача, справку принесёт в пятницу.")
        db.session.commit()


def test_the_curators_day(demo_site, chromium, shots):
    _new_students(demo_site.app, "ТМ-25", [("Яковлев", "Игорь"), ("Ясенева", "Ольга")])
    _parent_reports(demo_site.app, "anisimova.sv", "anisimov.am")
    page = page_in(chromium, demo_site.base, demo_site.user("dmitrieva.ef"))
    look_at(page, "home", shots)

    page.goto(demo_site.base + "/attendance/")
    look_at(page, "attendance", shots)
    weeks = page.eval_on_selector_all(
        "main a[href$='/week']", "links => links.map(link => link.getAttribute('href'))")
    accept = page.locator("main form[action*='/excuses/'] button[value=accept]")
    for week in weeks:  # the group whose parents wrote
        page.goto(demo_site.base + week)
        look_at(page, "week" + week.replace("/", "-"), shots)
        if accept.count():
            break
    assert accept.count(), "the parents' pending absence reports"
    before = accept.count()
    accept.first.click()
    expect(page.locator(".alert-success")).to_have_count(1)
    expect(accept).to_have_count(before - 1)
    look_at(page, "excuse-accepted", shots)
    if page.locator("main select[name=student_id]").count():
        page.locator("main select[name=student_id]").select_option(index=1)
        page.fill("main input[name=date_from]", "2026-11-23")
        page.fill("main input[name=date_to]", "2026-11-24")
        page.locator("main select[name=reason]").select_option(index=1)
        page.locator("main form:has(select[name=student_id]) button[type=submit]").click()
        page.wait_for_load_state("load")
        look_at(page, "reason-set", shots)

    page.goto(demo_site.base + "/people/groups/2/accounts")
    look_at(page, "accounts", shots)
    expect(page.locator("input[name=students]:checked")).to_have_count(0)  # a few: tick a few
    page.get_by_label("Яковлев Игорь").check()
    expect(page.locator("input[name=students]:checked")).to_have_count(1)
    page.locator("button[data-check-all=students]").click()  # or everyone without a login
    expect(page.locator("input[name=students]:checked")).to_have_count(2)
    expect(page.get_by_label("Ясенева Ольга")).to_be_checked()
    page.get_by_role("button", name="Выдать логины и напечатать").click()
    page.wait_for_load_state("load")
    slips = page.locator(".credential-slip")
    expect(slips).to_have_count(2)
    expect(page.get_by_role("button", name="Печатать листки")).to_be_visible()
    with demo_site.app.app_context():
        college = settings.get("college.name")
    assert college and college in slips.first.inner_text()
    look_at(page, "slips", shots)


def test_the_deputys_day(demo_site, chromium, shots):
    page = page_in(chromium, demo_site.base, demo_site.user("deputy"))
    look_at(page, "home", shots)

    page.goto(demo_site.base + "/grading/corrections")
    look_at(page, "corrections", shots)
    approve = page.locator("main form[action*='/decide'] button[value=approve]")
    assert approve.count() >= 1, "the demo has a pending correction"
    before = approve.count()
    approve.first.click()
    page.wait_for_load_state("load")
    expect(page.locator("main form[action*='/decide'] button[value=approve]")).to_have_count(
        before - 1)
    look_at(page, "correction-approved", shots)

    page.goto(demo_site.base + "/substitutions/new")
    look_at(page, "substitution-new", shots)
    page.locator("main select[name=absent]").select_option(label="Бирюкова Юлия Егоровна")
    page.locator("main form:has(select[name=absent]) button[type=submit]").click()
    page.wait_for_load_state("load")
    look_at(page, "substitution-lessons", shots)
    page.locator("#substitute_id").select_option(label="Новикова Людмила Дмитриевна")
    page.fill("#date_from", "2026-11-26")  # the rest of her week on sick leave
    page.fill("#date_to", "2026-11-27")
    page.fill("#reason", "Больничный лист № 17")
    page.get_by_role("button", name="Записать", exact=True).click()
    page.wait_for_load_state("load")
    expect(page.locator(".alert-success")).to_have_count(1)
    look_at(page, "substitution-recorded", shots)

    page.goto(demo_site.base + "/reports/")
    look_at(page, "reports", shots)
    page.locator("main a[href='/reports/grading.progress']").click()
    page.wait_for_load_state("load")
    look_at(page, "progress", shots)
    page.locator("#report-params select").first.select_option(label="ТМ-25")
    page.locator("#report-params button[type=submit]").click()
    page.wait_for_load_state("load")
    look_at(page, "progress-shown", shots)
    href = page.locator("main a", has_text="Скачать PDF").first.get_attribute("href")
    response = page.request.get(demo_site.base + href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/pdf")


def test_the_administrators_day(demo_site, chromium, shots, tmp_path):
    page = page_in(chromium, demo_site.base, demo_site.user("admin"))
    look_at(page, "home", shots)
    page.goto(demo_site.base + "/admin/year/import")
    look_at(page, "import", shots)
    template = page.request.get(demo_site.base + "/admin/year/import/template.csv").text()
    header, example = template.strip().splitlines()[:2]
    late = example.replace("26-1508-001", "26-1508-J23").replace("Смирнова", "Лебедева") \
        .replace("anna.smirnova", "anna.lebedeva").replace("e.smirnova", "e.lebedeva")
    upload = tmp_path / "late-enrolment.csv"
    upload.write_text(f"{header}\n{late}\n", encoding="utf-8")
    page.set_input_files("#file", str(upload))
    page.fill("#order_no", "№ 240-к от 24.11.2026")
    page.get_by_role("button", name="Проверить файл").click()
    page.wait_for_load_state("load")
    look_at(page, "import-preview", shots)
    page.get_by_role("button", name="Импортировать").click()
    page.wait_for_load_state("load")
    expect(page.locator(".alert-success")).to_contain_text("обучающихся добавлено 1")
    look_at(page, "import-done", shots)
    page.goto(demo_site.base + "/admin/policy")
    look_at(page, "policy", shots)
    page.goto(demo_site.base + "/admin/audit")
    look_at(page, "audit", shots)
    log = page.locator("main table").inner_text()
    assert "Вход в систему" in log
    assert "auth.login" not in log
