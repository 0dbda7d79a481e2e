"""Deadlines for checking written work (BTT 4.5.2, KTIS 3.13; ``grading.check_days``, 7 days in
both presets) at a frozen time: a control, laboratory or practical lesson whose present students
have no mark past the deadline is a late check, in the report «Недостаточно оценок перед
аттестацией», the report «Заполнение журналов», the control findings and the teacher's home.

The world (``world.build``): weekly lessons, the last one today; lesson 1 and 7 are practical,
4 control, 5 laboratory. Смирнова leaves the group the day after lesson 4.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from core.extensions import db
from core.people.models import User
from core.plugins import hook
from core.policy import policy_value, set_override
from plugins.grading import checks
from plugins.grading.tests.test_grading import FEDOROVA, KUZNETSOV, PETROV, SMIRNOVA, fill
from plugins.grading.tests.world import build, noon
from plugins.journal import api as journal
from plugins.journal.models import Discipline, Lesson
from tests import college
from tests.concurrency import cell_of as cell
from tests.fixtures import count_queries, signed_in

#: Wednesday 18 November 2026, noon in Moscow
NOW = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 18)
PRACTICAL, CONTROL, LABORATORY, PRACTICAL2 = 1, 4, 5, 7


@pytest.fixture
def world(preset_app, clock):
    clock.set(NOW, tick=True)
    found = build(preset_app)
    assert found.dates[-1] == TODAY
    with preset_app.app_context():
        # lesson 10 (a week ago: due today) and a lesson six days ago: control work not late yet
        db.session.get(Lesson, found.lessons[10]).work_type = "control"
        recent = Lesson(load_id=found.ids["load"], date=TODAY - timedelta(days=6), pair_number=3,
                        hours=2, topic="Проверочная", work_type="laboratory",
                        taught_by_id=found.users["teacher"].id)
        db.session.add(recent)
        db.session.commit()
        found.ids["recent"] = recent.id
    # lesson 4: everyone present marked; lesson 5: Фёдорова absent, the others marked (Смирнова
    # has left); lesson 1: all but Кузнецов; lesson 7: nobody
    fill(preset_app, found, "teacher", [
        *[cell(found, CONTROL, s, "4") for s in (PETROV, SMIRNOVA, KUZNETSOV, FEDOROVA)],
        cell(found, LABORATORY, PETROV, "5"), cell(found, LABORATORY, KUZNETSOV, "3"),
        *[cell(found, PRACTICAL, s, "5") for s in (PETROV, SMIRNOVA, FEDOROVA)]])
    absent(preset_app, found, LABORATORY, FEDOROVA)
    return found


def absent(application, world, lesson: int, student: int) -> None:
    from plugins.attendance import services as attendance

    with application.test_request_context():
        user = db.session.get(User, world.users["teacher"].id)
        attendance.save_cells(journal.get_load(world.ids["load"]), user,
                              [cell(world, lesson, student, "н")],
                              at=noon(world.dates[lesson]))
        db.session.commit()


def late(application, world, today: date = TODAY) -> list[tuple[int, tuple[str, ...]]]:
    with application.test_request_context():
        loads = [journal.get_load(world.ids["load"]), journal.get_load(world.ids["other_load"])]
        found = checks.late_checks(loads, world.dates[0], today, today)
    return [(world.lessons.index(item.lesson.id) if item.lesson.id in world.lessons else "other",
             item.unmarked) for item in found]


def report(client, code: str) -> str:
    return client.get(f"/reports/{code}", query_string={
        "run": 1, "start": "2026-09-01", "end": "2026-12-31"}).get_data(as_text=True)


def test_late_checks_are_lessons_of_written_work_with_present_students_unmarked(preset_app,
                                                                              world):
    with preset_app.app_context():
        assert policy_value("grading.check_days") == 7
    # lesson 4 is marked, lesson 5 too but for the absent Фёдорова; Смирнова, gone to ИСП-22,
    # is expected at the other teacher's practical lesson there (lesson 6's day)
    assert late(preset_app, world) == [
        (PRACTICAL, ("Кузнецов Иван Дмитриевич",)),
        ("other", ("Смирнова Дарья Олеговна",)),
        (PRACTICAL2, ("Кузнецов Иван Дмитриевич", "Петров Алексей Игоревич",
                      "Фёдорова Мария Андреевна"))]
    # the lesson of a week ago is due today: late from tomorrow, the six-day one not yet
    tomorrow = late(preset_app, world, TODAY + timedelta(days=1))
    assert [index for index, _names in tomorrow] == [PRACTICAL, "other", PRACTICAL2, 10]


def test_a_late_check_shows_in_both_reports_and_as_a_control_finding(preset_app, world):
    deputy = signed_in(preset_app, world.users["deputy"])
    page = report(deputy, "grading.few_marks")
    assert "Работы не проверены в срок (7 дн. после занятия)" in page
    shown = world.dates[PRACTICAL2]
    assert shown.strftime("%d.%m.%Y") in page
    assert (shown + timedelta(days=7)).strftime("%d.%m.%Y") in page  # the deadline
    assert "Практическая работа" in page and "Фёдорова Мария Андреевна" in page
    assert world.dates[CONTROL].strftime("%d.%m.%Y") not in page
    filling = report(deputy, "journal.filling")
    assert "Работы не проверены в срок" in filling and "через 7 дн." in filling
    with preset_app.test_request_context():
        found = [f for batch in hook().control_findings(
            teacher_ids={world.users["teacher"].id}, start=world.dates[0], end=TODAY)
            for f in batch if f.kind == checks.FINDING]
    assert [(f.load_id, f.count, f.detail) for f in found] == [
        (world.ids["load"], 2, ", ".join(world.dates[i].strftime("%d.%m")
                                          for i in (PRACTICAL, PRACTICAL2)))]


def test_hook_filling_figures(preset_app, world):
    with preset_app.test_request_context():
        loads = [journal.get_load(world.ids["load"]), journal.get_load(world.ids["other_load"])]
        answers = [f for f in hook().filling_figures(loads=loads, start=world.dates[0], end=TODAY)
                   if f is not None]
    grading = next(f for f in answers if f.plugin == "grading")
    assert grading.columns == ["Работы не проверены в срок"]
    assert grading.values == {world.ids["load"]: [2], world.ids["other_load"]: [1]}


def test_marks_entered_clear_the_late_check_and_the_teachers_home_shows_it(preset_app, world):
    teacher = signed_in(preset_app, world.users["teacher"])
    home = teacher.get("/").get_data(as_text=True)
    assert "Работы не проверены в срок" in home
    assert f"/grading/lessons/{world.lessons[PRACTICAL2]}/marks" in home
    assert "без оценки 3, срок был " + (world.dates[PRACTICAL2] + timedelta(days=7)).strftime(
        "%d.%m") in home
    other = signed_in(preset_app, world.users["other"]).get("/").get_data(as_text=True)
    assert "ИСП-22 · ОП.04" in other and "ИСП-21 · ОП.04" not in other  # their own journals
    fill(preset_app, world, "teacher", [cell(world, PRACTICAL, KUZNETSOV, "4"),
                                       *[cell(world, PRACTICAL2, s, "4")
                                         for s in (PETROV, KUZNETSOV, FEDOROVA)]])
    assert late(preset_app, world) == [("other", ("Смирнова Дарья Олеговна",))]
    assert "Работы не проверены в срок" not in teacher.get("/").get_data(as_text=True)


def test_the_policy_page_shows_the_enforced_days_and_zero_turns_the_deadline_off(preset_app,
                                                                                 world):
    admin = signed_in(preset_app, world.users["admin"])
    page = admin.get("/admin/policy").get_data(as_text=True)
    assert "grading.check_days" in page and "Срок проверки контрольных" in page
    assert re.search(r"<code>grading\.check_days</code></td>\s*<td>\s*7\s", page)
    bad = admin.post("/admin/policy/grading.check_days", data={"value": "-1"})
    assert bad.status_code == 422 and "не меньше 0" in bad.get_data(as_text=True)
    assert admin.post("/admin/policy/grading.check_days",
                      data={"value": "40"}).status_code == 302
    page = admin.get("/admin/policy").get_data(as_text=True)
    assert re.search(r"<code>grading\.check_days</code></td>\s*<td>\s*40\s", page)
    # 40 days: only lesson 1 (ten weeks ago) is late; lesson 6's day (five weeks) is not
    assert late(preset_app, world) == [(PRACTICAL, ("Кузнецов Иван Дмитриевич",))]
    with preset_app.test_request_context():
        set_override("grading.check_days", 0)
        db.session.commit()
    assert late(preset_app, world) == []
    deputy = signed_in(preset_app, world.users["deputy"])
    assert "Работы не проверены в срок" not in report(deputy, "grading.few_marks")
    assert "Работы не проверены в срок" not in report(deputy, "journal.filling")


def test_the_late_checks_make_a_fixed_number_of_queries(preset_app, world):
    def counted() -> tuple[int, int]:
        with preset_app.test_request_context():
            loads = journal.teachers_loads(None, world.dates[0], TODAY)
            with count_queries(preset_app) as queries:
                found = checks.late_checks(loads, world.dates[0], TODAY, TODAY)
        return queries.count, len({item.load.id for item in found})

    before, journals = counted()
    assert journals == 2
    with preset_app.app_context():  # more written work, in the same journal and in new ones
        for days in (20, 27, 34):
            db.session.add(Lesson(load_id=world.ids["load"], date=TODAY - timedelta(days=days),
                                  pair_number=4, hours=2, topic="Ещё", work_type="control",
                                  taught_by_id=world.users["teacher"].id))
        for number, group in enumerate(("g1", "g2", "g1")):
            discipline = Discipline(code=f"ОП.1{number}", name=f"Дисциплина {number}",
                                    kind="discipline")
            db.session.add(discipline)
            db.session.flush()
            load = college.add_load(world.users["other"].id, world.ids[group], discipline.id,
                                    world.ids["term"])
            db.session.add(Lesson(load_id=load.id, date=TODAY - timedelta(days=15),
                                  pair_number=1, hours=2, topic="Контрольная",
                                  work_type="control", taught_by_id=world.users["other"].id))
        db.session.commit()
    assert counted() == (before, 5)


def test_the_rosters_of_many_journals_are_each_journals_roster(preset_app, world):
    with preset_app.test_request_context():
        loads = journal.teachers_loads(None, world.dates[0], TODAY)
        assert journal.rosters(loads) == {load.id: journal.roster(load) for load in loads}


def test_hook_lesson_absentees(preset_app, world):
    """Attendance names who missed each lesson; grading owes no mark to them (the absent
    Фёдорова at lesson 5 is not a late check above)."""
    from core.plugins import hook

    with preset_app.app_context():
        answers = [a for a in hook().lesson_absentees(lesson_ids=world.lessons) if a]
        absent = {student for answer in answers for students in answer.values()
                  for student in students}
    assert answers and absent <= set(world.students) and absent
