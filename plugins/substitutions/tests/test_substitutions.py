"""Substitutions: the substitute fills exactly the substituted lessons, the original teacher keeps
the journal, contradictory records are refused, hours add up, the term-end check finds what is
missing, and the register's XLSX equals the page."""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from sqlalchemy import select

from core.errors import DomainError
from core.extensions import db
from core.people.models import User
from plugins.journal.models import Lesson, TeachingLoad, TimetableSlot
from plugins.journal.tests.world import build, college_today, include_day
from plugins.substitutions import services
from plugins.substitutions.models import Substitution
from tests.fixtures import signed_in


@pytest.fixture
def world(app):
    """The journal world with the teacher's weekly lesson on today's weekday (pair 2) and the
    other teacher's lesson on the same day (pair 3, another group)."""
    made = build(app, students=2, lessons=0, prefix="su")
    today = college_today(app)
    include_day(app, made, today)
    with app.app_context():
        for key, pair, hours in (("load", 2, 2), ("other_load", 3, 1)):
            db.session.add(TimetableSlot(load_id=made.ids[key], weekday=today.isoweekday(),
                                         pair_number=pair, hours=hours,
                                         valid_from=today - timedelta(days=21)))
        db.session.commit()
    made.ids["today"] = today.toordinal()
    return made


def today_of(world) -> date:
    return date.fromordinal(world.ids["today"])


def record(app, world, substitute="other", start=None, end=None, **more):
    with app.test_request_context():
        admin = db.session.get(User, world.users["admin"].id)
        start = start or today_of(world) - timedelta(days=7)
        sub = services.record(admin, more.pop("kind", "replacement"), world.users["teacher"].id,
                              world.users[substitute].id if substitute else None, start,
                              end or today_of(world), **more)
        db.session.commit()
        return sub.id


def test_the_substitute_fills_exactly_the_substituted_lessons(app, world):
    record(app, world, start=today_of(world), end=today_of(world))
    other = signed_in(app, world.users["other"])
    home = other.get("/").get_data(as_text=True)
    assert "Замещения сегодня" in home  # the day's lesson now exists in the teacher's journal
    with app.app_context():
        lesson = db.session.scalar(select(Lesson).where(Lesson.load_id == world.ids["load"],
                                                        Lesson.date == today_of(world)))
        assert lesson.taught_by_id == world.users["other"].id
        lesson_id, version = lesson.id, lesson.version
        earlier = Lesson(load_id=world.ids["load"], date=today_of(world) - timedelta(days=7),
                         pair_number=2, hours=2, topic="Раньше", taught_by_id=world.users[
                             "teacher"].id)
        db.session.add(earlier)
        db.session.commit()
        earlier_id = earlier.id
    grid = other.get(f"/journal/load/{world.ids['load']}").get_data(as_text=True)
    assert f"cell-grading-{lesson_id}-" in grid and f"cell-grading-{earlier_id}-" not in grid
    assert "col-grading-term_final" not in grid  # finals are the journal's own teacher's
    edited = other.post(f"/journal/lessons/{lesson_id}", data={
        "date": today_of(world).isoformat(), "pair_number": "2", "hours": "2",
        "work_type": "practical", "topic": "Замена: решение задач", "homework": "",
        "homework_due": "", "version": str(version)})
    assert edited.status_code == 302
    marks = other.post(f"/journal/load/{world.ids['load']}/cells/grading", json={"cells": [
        {"lesson_id": lesson_id, "student_id": world.students[0], "value": "5", "version": None}]})
    assert marks.status_code == 200
    absent = other.post(f"/journal/load/{world.ids['load']}/cells/attendance", json={"cells": [
        {"lesson_id": lesson_id, "student_id": world.students[1], "value": "н", "version": None}]})
    assert absent.status_code == 200
    for url, body in ((f"/journal/load/{world.ids['load']}/cells/grading", {"cells": [
            {"lesson_id": earlier_id, "student_id": world.students[0], "value": "4",
             "version": None}]}), (f"/journal/load/{world.ids['load']}/cells/attendance", {"cells": [
                 {"lesson_id": earlier_id, "student_id": world.students[0], "value": "н",
                  "version": None}]})):
        assert other.post(url, json=body).status_code == 404
    assert other.get(f"/journal/lessons/{earlier_id}").status_code == 404  # not substituted
    assert other.post(f"/journal/lessons/{earlier_id}", data={"topic": "x"}).status_code == 404
    # the teacher keeps the journal, and sees who taught the lesson
    teacher = signed_in(app, world.users["teacher"])
    own_grid = teacher.get(f"/journal/load/{world.ids['load']}")
    assert own_grid.status_code == 200 and "Провёл: " in own_grid.get_data(as_text=True)
    page = teacher.get(f"/journal/lessons/{lesson_id}").get_data(as_text=True)
    assert "Николаева" in page or world.users["other"].short_name in page
    # a third teacher sees nothing
    assert signed_in(app, world.users["head"]).post(
        f"/journal/load/{world.ids['load']}/cells/grading", json={"cells": []}).status_code == 404


def test_overlapping_or_contradictory_records_are_refused(app, world):
    record(app, world)
    for substitute, kind, message in (("other", "replacement", "уже замещено"),
                                      ("head", "cancelled", "уже замещено"),
                                      ("teacher", "replacement", "сам себя"),
                                      ("parent", "replacement", "кто замещает")):
        with pytest.raises(DomainError) as refused:
            record(app, world, substitute=substitute, kind=kind)
        assert message in refused.value.message and refused.value.status == 422
    with pytest.raises(DomainError, match="нет занятий"):
        record(app, world, start=today_of(world) + timedelta(days=1),
               end=today_of(world) + timedelta(days=5))
    with pytest.raises(DomainError, match="раньше даты начала"):
        record(app, world, start=today_of(world), end=today_of(world) - timedelta(days=1))


def test_a_busy_substitute_is_refused(app, world):
    with app.app_context():  # the other teacher has their own lesson at the same pair
        db.session.add(TimetableSlot(load_id=world.ids["other_load"],
                                     weekday=today_of(world).isoweekday(), pair_number=2,
                                     hours=2, valid_from=today_of(world) - timedelta(days=21)))
        db.session.commit()
    with pytest.raises(DomainError, match="своё занятие"):
        record(app, world)
    client = signed_in(app, world.users["deputy"])
    refused = client.post("/substitutions/new", data={
        "absent_id": str(world.users["teacher"].id), "kind": "replacement",
        "substitute_id": str(world.users["other"].id), "date_from": today_of(world).isoformat(),
        "date_to": today_of(world).isoformat(), "load_id": "0", "pairs": "", "reason": ""})
    assert refused.status_code == 422 and "своё занятие" in refused.get_data(as_text=True)


def test_hours_for_one_and_two_hour_lessons_and_the_register_xlsx(app, world):
    from openpyxl import load_workbook

    with app.app_context():  # the other teacher is away too: the teacher covers their 1-hour pair
        load = db.session.get(TeachingLoad, world.ids["other_load"])
        load.teacher_id = world.users["head"].id
        from core.people.models import RoleAssignment
        from core.people.roles import ROLE_SCOPE, Role

        db.session.add(RoleAssignment(user_id=world.users["head"].id, role=Role.TEACHER,
                                      scope_kind=ROLE_SCOPE[Role.TEACHER]))
        db.session.commit()
    day = today_of(world)
    start = day - timedelta(days=14)
    record(app, world, start=start, end=day)  # the teacher's 2-hour pair, 3 weeks
    with app.test_request_context():
        admin = db.session.get(User, world.users["admin"].id)
        services.record(admin, "other_discipline", world.users["head"].id,
                        world.users["teacher"].id, start, day)
        db.session.commit()
        rows = services.register(start, day)
        by_substitute, by_absent = services.totals(rows)
    assert by_absent == {world.users["teacher"].id: 6, world.users["head"].id: 3}
    # a replacement pays what was taught: nothing filled yet; another discipline pays the plan
    assert by_substitute == {world.users["other"].id: 0, world.users["teacher"].id: 3}
    with app.app_context():
        for lesson in db.session.scalars(select(Lesson).where(Lesson.load_id == world.ids["load"])):
            lesson.topic, lesson.taught_by_id = "Проведено замещающим", world.users["other"].id
        db.session.commit()
    with app.test_request_context():
        by_substitute, _absent = services.totals(services.register(start, day))
    assert by_substitute[world.users["other"].id] == 6
    client = signed_in(app, world.users["deputy"])
    month = day.strftime("%Y-%m")
    page = client.get(f"/substitutions/?month={month}").get_data(as_text=True)
    book = load_workbook(BytesIO(client.get(f"/substitutions/?month={month}&format=xlsx").data))
    values = [row for row in book.active.iter_rows(values_only=True) if any(row)]
    payable = values[values.index(("Часов к оплате замещающим",) + (None,) * 6) + 1:]
    sheet_hours = []
    for row in payable:
        if not isinstance(row[1], int):
            break
        sheet_hours.append((row[0], row[1]))
    table = re.search(r'id="by-substitute">(.*?)</table>', page, re.S)[1]
    page_hours = [(name, int(hours)) for name, hours in re.findall(
        r"<td>([^<]+)</td><td class=\"text-end\">(\d+)</td>", table)]
    assert len(page_hours) == 2 and sorted(page_hours) == sorted(sheet_hours)


def test_the_term_end_check_finds_an_unrecorded_substitution_and_unfilled_lessons(app, world):
    day = today_of(world)
    with app.app_context():
        db.session.add(Lesson(load_id=world.ids["load"], date=day - timedelta(days=7),
                              pair_number=2, hours=2, topic="Кто-то провёл",
                              taught_by_id=world.users["head"].id))
        db.session.commit()
    record(app, world, start=day - timedelta(days=14), end=day - timedelta(days=14))
    with app.test_request_context():
        unrecorded = services.unrecorded(day - timedelta(days=30), day)
        unfilled = [r for r in services.register(day - timedelta(days=30), day) if r.unfilled]
    assert [u.taught_by_id for u in unrecorded] == [world.users["head"].id]
    assert len(unfilled) == 1
    page = signed_in(app, world.users["deputy"]).get("/substitutions/check").get_data(as_text=True)
    assert "Кто-то провёл" not in page and "unrecorded" in page and "unfilled" in page


def test_free_colleagues_and_only_the_administration_records(app, world):
    with app.test_request_context():
        free = services.free_colleagues(world.users["teacher"].id, today_of(world), 2)
        busy = services.free_colleagues(world.users["teacher"].id, today_of(world), 3)
    assert [u.id for u in free] == [world.users["other"].id]
    assert busy == []  # the other teacher has their own lesson at pair 3
    assert signed_in(app, world.users["teacher"]).get("/substitutions/new").status_code == 404
    helper = signed_in(app, world.users["deputy"]).get(
        f"/substitutions/new?absent={world.users['teacher'].id}&pair=2")
    assert helper.status_code == 200
    sub_id = record(app, world)
    client = signed_in(app, world.users["admin"])
    assert client.post(f"/substitutions/{sub_id}/withdraw").status_code == 302
    with app.app_context():
        assert db.session.get(Substitution, sub_id).withdrawn_at is not None
    assert signed_in(app, world.users["other"]).post(
        f"/journal/load/{world.ids['load']}/cells/grading", json={"cells": []}).status_code == 404


def test_the_form_asks_for_the_absent_teacher_once(app, world):
    """First the absent teacher is chosen (the form then lists their loads), then the rest:
    the page never shows two «Отсутствующий преподаватель» choosers."""
    deputy = signed_in(app, world.users["deputy"])
    first = deputy.get("/substitutions/new").get_data(as_text=True)
    assert first.count("Отсутствующий преподаватель") == 1 and 'name="kind"' not in first
    chosen = deputy.get(f"/substitutions/new?absent={world.users['teacher'].id}")
    page = chosen.get_data(as_text=True)
    assert page.count("Отсутствующий преподаватель") == 1
    assert f'name="absent_id" value="{world.users["teacher"].id}"' in page


def test_teachers_names_in_the_register_xlsx_are_text_not_formulas(app, world):
    from openpyxl import load_workbook

    with app.app_context():
        db.session.get(User, world.users["teacher"].id).last_name = "=cmd|' /C calc'!A0"
        db.session.get(User, world.users["other"].id).last_name = "@SUM(1+1)"
        db.session.commit()
    record(app, world)
    month = today_of(world).strftime("%Y-%m")
    content = signed_in(app, world.users["deputy"]).get(
        f"/substitutions/?month={month}&format=xlsx").data
    cells = [c for row in load_workbook(BytesIO(content)).active.iter_rows() for c in row
             if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if c.data_type == "s"]
    assert any(text.startswith("'=cmd|") for text in texts)
    assert any(text.startswith("'@SUM(1+1)") for text in texts)
    assert any(c.data_type == "n" and c.value > 0 for c in cells)  # the hours stay numbers


def test_the_audit_log_reads_a_substitution_in_russian(app):
    from core.audit_labels import details

    with app.test_request_context():
        shown = {str(d.label): d.text for d in details(
            {"kind": "replacement", "load_id": None, "pairs": None, "from": "2026-11-26",
             "to": "2026-11-27", "lessons": 4})}
    assert shown == {"Вид": "замена по той же дисциплине", "Журнал (№; пусто — все журналы)": "—",
                     "Пары (пусто — все)": "—", "С": "26.11.2026", "По": "27.11.2026",
                     "Занятий": "4"}
