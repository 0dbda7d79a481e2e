"""Reports tell the truth (issue #13, item 8): the parents' letter for a period shows only that
period, and a subject commission's head gets the commission's summary (BTT 2.7) — progress and
attendance of its disciplines by group and teacher, the numbers computed by hand below, on
screen, in PDF and XLSX — for their commission only. Every date is set by the test."""

from __future__ import annotations

import os
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from core.extensions import db
from core.people.models import (
    GroupMembership,
    RoleAssignment,
    Student,
    SubjectCommission,
    User,
)
from core.people.roles import ROLE_SCOPE, Role
from core.plugins import hook
from plugins.attendance.models import Absence
from plugins.grading.models import Final, Mark
from plugins.journal import api as journal
from plugins.journal.models import Discipline, Lesson, TeachingLoad
from plugins.journal.tests.world import build
from plugins.reports import registry
from plugins.reports.builtin import commission_rows
from plugins.reports.tests.test_reports import pdf_text, screen_rows, sheet_rows
from tests.fixtures import signed_in

NOVEMBER = {"start": "2026-11-01", "end": "2026-11-30"}
MDK = "МДК.01.01 Разработка программных модулей"


def moscow(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), ZoneInfo("Europe/Moscow"))


def lesson(load_id: int, day: date, pair: int = 1) -> int:
    found = Lesson(load_id=load_id, date=day, pair_number=pair, hours=2, topic="Тема",
                   work_type="lecture")
    db.session.add(found)
    db.session.flush()
    return found.id


def mark(lesson_id: int, student_id: int, value: str) -> None:
    db.session.add(Mark(lesson_id=lesson_id, student_id=student_id, value=value))


def absent(lesson_id: int, student_id: int, reason: str = "", kind: str = "absent") -> None:
    db.session.add(Absence(lesson_id=lesson_id, student_id=student_id, kind=kind,
                           hours=2 if kind == "absent" else 0,
                           minutes=10 if kind == "late" else 0, reason=reason))


def finals(load_id: int, values: dict[int, str]) -> None:
    for student_id, value in values.items():
        db.session.add(Final(load_id=load_id, student_id=student_id, kind="term", value=value))


# --- the parents' letter ------------------------------------------------------------------------


@pytest.fixture
def letter_world(app):
    """A mark 5 on 30 November, a mark 2 and an absence on 1 December, the term's final 4 (the
    term ends on 28 December)."""
    world = build(app, students=1, lessons=0, prefix="lt")
    with app.app_context():
        student = world.students[0]
        november = lesson(world.ids["load"], date(2026, 11, 30))
        december = lesson(world.ids["load"], date(2026, 12, 1))
        mark(november, student, "5")
        mark(december, student, "2")
        absent(december, student)
        finals(world.ids["load"], {student: "4"})
        db.session.commit()
    return world


def letter(app, world, period: dict):
    with app.test_request_context():
        user = db.session.get(User, world.users["admin"].id)
        provider = registry.provider_or_404(user, "reports.letter")
        return provider.build(registry.parse(user, provider,
                                             {"student": str(world.students[0]), **period}))


def test_the_november_letter_shows_no_mark_of_the_first_of_december(app, letter_world, clock):
    clock.set(moscow(date(2026, 12, 10)))
    result = letter(app, letter_world, NOVEMBER)
    marks, progress, absences = result.tables
    assert marks.title == "Оценки с 01.11.2026 по 30.11.2026"
    # the programme's progress (planning) on the period's last day, not on the day printed
    assert progress.title == "Прохождение программы на 30.11.2026"
    assert [row[1:4] for row in marks.rows] == [["5", "5.00", ""]]  # no 2, no final yet
    assert absences.title.startswith("Пропуски с 01.11.2026 по 30.11.2026")
    assert absences.rows == []
    # the letter for the whole term has all of it
    term = letter(app, letter_world, {"start": "2026-09-01", "end": "2026-12-28"})
    assert term.tables[0].title == "Оценки за семестр"
    assert [row[1] for row in term.tables[0].rows] == ["5 2"]
    assert term.tables[0].rows[0][3] == "4"
    assert term.tables[2].rows[-1][1] == "2"
    # and the page the family prints says the same
    page = signed_in(app, letter_world.users["admin"]).get(
        "/reports/reports.letter",
        query_string={"run": 1, "student": letter_world.students[0], **NOVEMBER})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Оценки с 01.11.2026 по 30.11.2026" in text
    assert screen_rows(text)[0][1:3] == ["5", "5.00"]


# --- a commission's summary ---------------------------------------------------------------------


@pytest.fixture
def commission_world(app):
    return build_commission_world(app)


def build_commission_world(app):
    """The commission of the journal world (ОП.04) gains МДК.01.01; another commission has ЕН.01.

    ИСП-cm1 (3 students): ОП.04 by Васильев, finals 5 4 3; absences in November 2 h for illness
    and 2 h with no reason, a lateness, and 2 h on 1 December (outside the period).
    МДК.01.01 by Николаева, finals 5 2 н/а; 2 h not excused.
    ИСП-cm2 (2 students): ОП.04 by Николаева, finals 4 4.
    ЕН.01 (the other commission) by Васильев in ИСП-cm1: finals 2 2 2, 2 h missed: not counted.
    """
    world = build(app, students=3, lessons=0, prefix="cm")
    with app.app_context():
        u = world.users
        db.session.get(User, u["teacher"].id).last_name = "Васильев"
        db.session.get(User, u["other"].id).last_name = "Николаева"
        maths = SubjectCommission(name="ПЦК математики cm")
        db.session.add(maths)
        db.session.flush()
        head = User(login="cm.maths", password_hash=db.session.get(User, u["head"].id)
                    .password_hash, last_name="Математикова", first_name="Анна", active=True)
        head.roles.append(RoleAssignment(role=Role.COMMISSION_HEAD,
                                         scope_kind=ROLE_SCOPE[Role.COMMISSION_HEAD],
                                         scope_id=maths.id))
        db.session.add(head)
        commission = db.session.get(SubjectCommission, world.ids["commission"])
        commission.head_id = u["head"].id
        mdk = Discipline(code="МДК.01.01", name="Разработка программных модулей", kind="mdk",
                         commission_id=commission.id)
        en = Discipline(code="ЕН.01", name="Математика", kind="discipline",
                        commission_id=maths.id)
        db.session.add_all([mdk, en])
        db.session.flush()
        group = world.ids["group"]
        mdk_load = TeachingLoad(teacher_id=u["other"].id, group_id=group, discipline_id=mdk.id,
                                term_id=world.ids["term"], hours_per_week=2, hours_total=34)
        en_load = TeachingLoad(teacher_id=u["teacher"].id, group_id=group, discipline_id=en.id,
                               term_id=world.ids["term"], hours_per_week=2, hours_total=34)
        db.session.add_all([mdk_load, en_load])
        others = []
        for number in range(2):
            student = Student(record_book_no=f"cm-o{number}", last_name=f"Другов{number}",
                              first_name="Пётр")
            db.session.add(student)
            db.session.flush()
            db.session.add(GroupMembership(student_id=student.id,
                                           group_id=world.ids["other_group"],
                                           joined_on=date(2026, 9, 1)))
            others.append(student.id)
        db.session.flush()
        s0, s1, s2 = world.students
        finals(world.ids["load"], {s0: "5", s1: "4", s2: "3"})
        finals(mdk_load.id, {s0: "5", s1: "2", s2: "na"})
        finals(world.ids["other_load"], {others[0]: "4", others[1]: "4"})
        finals(en_load.id, {s0: "2", s1: "2", s2: "2"})
        first = lesson(world.ids["load"], date(2026, 11, 2))
        second = lesson(world.ids["load"], date(2026, 11, 9))
        december = lesson(world.ids["load"], date(2026, 12, 1))
        absent(first, s0, "illness")
        absent(second, s1, "")
        absent(second, s2, kind="late")
        absent(december, s2, "invalid")
        absent(lesson(mdk_load.id, date(2026, 11, 3)), s0, "invalid")
        absent(lesson(en_load.id, date(2026, 11, 4)), s0, "invalid")
        db.session.commit()
        _ = head.roles
        u["maths_head"] = head
        world.ids.update(maths=maths.id, mdk_load=mdk_load.id, en_load=en_load.id)
    return world


#: N, absolute progress, quality, mean; hours missed, unexcused
BY_PAIR = [
    ["ИСП-cm1", "Васильев А.", "ОП.04 Основы алгоритмизации cm", 3, 100.0, 66.7, 4.0, 4, 2],
    ["ИСП-cm1", "Николаева А.", MDK, 3, 33.3, 33.3, 3.5, 2, 2],
    ["ИСП-cm2", "Николаева А.", "ОП.04 Основы алгоритмизации cm", 2, 100.0, 100.0, 4.0, 0, 0],
]
TOTAL = ["Всего по комиссии", "", "", 8, 75.0, 62.5, 3.86, 6, 4]
BY_TEACHER = [
    ["Васильев А.", "ОП.04 Основы алгоритмизации cm", 3, 100.0, 66.7, 4.0, 4, 2],
    ["Николаева А.", f"{MDK}, ОП.04 Основы алгоритмизации cm", 5, 60.0, 60.0, 3.75, 2, 2],
]
BY_GROUP = [
    ["ИСП-cm1", f"{MDK}, ОП.04 Основы алгоритмизации cm", 6, 66.7, 50.0, 3.8, 6, 4],
    ["ИСП-cm2", "ОП.04 Основы алгоритмизации cm", 2, 100.0, 100.0, 4.0, 0, 0],
]


def summary(app, world, user_key: str, **args):
    with app.test_request_context():
        user = db.session.get(User, world.users[user_key].id)
        provider = registry.provider_or_404(user, "reports.commission")
        return provider.build(registry.parse(user, provider, {**NOVEMBER, **args}))


def test_hook_summary_figures(app, commission_world):
    """Grading and attendance give their columns for any rows of journals."""
    with app.test_request_context():
        load = journal.get_load(commission_world.ids["load"])
        found = {f.plugin: f for f in hook().summary_figures(
            rows={"one": [load]}, start=date(2026, 11, 1), end=date(2026, 11, 30)) if f}
    assert found["grading"].values["one"] == [3, 100.0, 66.7, 4.0]
    assert found["attendance"].values["one"] == [4, 2]
    assert found["grading"].order < found["attendance"].order


def test_the_commission_summary_numbers_by_group_and_teacher(app, commission_world):
    result = summary(app, commission_world, "head")  # the head's own commission by default
    by_pair, by_teacher, by_group = result.tables
    assert by_pair.columns[3:] == ["N", "Абс. успев., %", "Качество, %", "Средний балл",
                                   "Пропущено, ч", "Без ув. причины, ч"]
    assert by_pair.rows == BY_PAIR
    assert by_pair.footer == [TOTAL]
    assert by_teacher.rows == BY_TEACHER
    assert by_group.rows == BY_GROUP
    assert "ПЦК информатики cm" in result.title
    # the administration reads any commission, the same numbers
    assert summary(app, commission_world, "admin",
                   commission=str(commission_world.ids["commission"])).tables[0].rows == BY_PAIR
    other = summary(app, commission_world, "admin", commission=str(commission_world.ids["maths"]))
    assert other.tables[0].rows == [["ИСП-cm1", "Васильев А.", "ЕН.01 Математика", 3, 0.0, 0.0,
                                     2.0, 2, 2]]


def test_a_commission_head_cannot_ask_for_another_commission(app, commission_world):
    head = signed_in(app, commission_world.users["head"])
    maths = commission_world.ids["maths"]
    for url in ("/reports/reports.commission", "/reports/reports.commission/file.xlsx"):
        assert head.get(url, query_string={"run": 1, "commission": maths,
                                           **NOVEMBER}).status_code == 404
    assert head.get("/reports/reports.commission", query_string={
        "run": 1, "commission": 999999, **NOVEMBER}).status_code == 404
    choices = head.get("/reports/reports.commission").get_data(as_text=True)
    assert "ПЦК информатики cm" in choices and "ПЦК математики cm" not in choices
    # a teacher is no commission head: the report is not theirs at all
    teacher = signed_in(app, commission_world.users["teacher"])
    assert teacher.get("/reports/reports.commission").status_code == 404
    # a head of no single commission must choose (a Russian message, 422)
    admin = signed_in(app, commission_world.users["admin"])
    asked = admin.get("/reports/reports.commission", query_string={"run": 1, **NOVEMBER})
    assert asked.status_code == 422 and "Выберите предметно-цикловую комиссию" in asked.get_data(
        as_text=True)


def test_the_commission_summary_on_screen_and_in_xlsx(app, commission_world):
    head = signed_in(app, commission_world.users["head"])
    args = {"commission": commission_world.ids["commission"], **NOVEMBER}
    page = head.get("/reports/reports.commission", query_string={"run": 1, **args})
    assert page.status_code == 200
    rows = screen_rows(page.get_data(as_text=True))
    assert rows[0] == ["ИСП-cm1", "Васильев А.", "ОП.04 Основы алгоритмизации cm", "3", "100",
                       "66,7", "4", "4", "2"]
    assert rows[-1][0] == "Всего по комиссии" and rows[-1][-2:] == ["6", "4"]
    sheet = sheet_rows(head.get("/reports/reports.commission/file.xlsx",
                                query_string=args).data)
    assert rows[0] in sheet and rows[-1] in sheet


@pytest.mark.skipif(not os.path.exists("/usr/bin/pdftotext"),
                    reason="pdftotext (poppler-utils) is not installed")
def test_the_commission_summary_pdf_names_the_disciplines_in_cyrillic(app, commission_world):
    head = signed_in(app, commission_world.users["head"])
    printed = pdf_text(head.get("/reports/reports.commission/file.pdf", query_string={
        "commission": commission_world.ids["commission"], **NOVEMBER}).data)
    assert MDK in printed and "Сводка комиссии «ПЦК информатики cm»" in printed
    assert "Всего по комиссии" in printed


def test_commission_rows_group_the_journals_by_group_teacher_and_all(app, commission_world):
    with app.app_context():
        loads = [journal.get_load(commission_world.ids[key])
                 for key in ("load", "mdk_load", "other_load")]
    rows = commission_rows(loads)
    group = commission_world.ids["group"]
    other = commission_world.users["other"].id
    assert [load.id for load in rows[("group", group)]] == [loads[0].id, loads[1].id]
    assert [load.id for load in rows[("teacher", other)]] == [loads[1].id, loads[2].id]
    assert [load.id for load in rows[("pair", group, other)]] == [loads[1].id]
    assert len(rows[("all",)]) == 3
