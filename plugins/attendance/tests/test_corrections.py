"""Corrections of attendance after the lesson's day (issue #13): nobody writes a past lesson's
cell directly; whoever could write it on the day files a correction with a reason; a deputy
director or an administrator who is not its author approves it (both presets ask for it), and
the history names the reason and the approver; a pending one shows in its grid cell."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from core import migrate, policy
from core.audit import AuditEntry
from core.errors import DomainError
from core.extensions import db
from core.people.models import User
from plugins.attendance import corrections, grid, services
from plugins.attendance.models import Absence, AbsenceHistory, Correction
from plugins.grading.tests.world import PASSWORD, build, noon, save_on_the_day
from plugins.journal import api as journal
from tests.concurrency import race

PETROV, SMIRNOVA, KUZNETSOV, FEDOROVA = range(4)
TODAY, PAST = 11, 3
REASON = "Был на занятии: ошибка преподавателя, служебная записка № 5"


@pytest.fixture(params=["btt", "ktis"])
def preset_app(request, app, make_app, tmp_path):
    if request.param == "btt":
        return app
    other = make_app(POLICY="ktis", DATABASE_URL=f"sqlite:///{tmp_path / 'ktis.sqlite3'}")
    migrate.upgrade(other)
    return other


@pytest.fixture
def world(app, clock):
    made = build(app, prefix="ac")
    clock.set(noon(made.dates[TODAY]))  # the pages' "now": the last lesson's day
    return made


def signed_in(application, user):
    client = application.test_client()
    assert client.post("/auth/login", data={"login": user.login,
                                            "password": PASSWORD}).status_code == 302
    return client


def cell(world, lesson: int, student: int, value: str, version=None) -> dict:
    return {"lesson_id": world.lessons[lesson], "student_id": world.students[student],
            "value": value, "version": version}


def fill(application, world, cells) -> None:
    """The teacher marks ``cells`` on each lesson's own day."""
    save_on_the_day(application, world, services.save_cells, "teacher", cells)


def file(application, world, who: str, lesson: int, student: int, value: str,
         reason: str = REASON) -> int:
    with application.test_request_context():
        user = db.session.get(User, world.users[who].id)
        filed = corrections.file_correction(user, journal.get_load(world.ids["load"]),
                                            world.lessons[lesson], world.students[student],
                                            value, reason, at=noon(world.dates[TODAY]))
        db.session.commit()
        return filed.id


def decide(application, world, who: str, correction_id: int, approve: bool, note: str = ""):
    with application.test_request_context():
        user = db.session.get(User, world.users[who].id)
        try:
            decided = corrections.decide_correction(user, correction_id, approve, note,
                                                    at=noon(world.dates[TODAY]))
        except DomainError:
            db.session.rollback()
            raise
        db.session.commit()
        return decided.status


def shown(application, world, lesson: int, student: int) -> str:
    with application.app_context():
        text, _version = services.cell_state(world.lessons[lesson], world.students[student], 2)
        return text


def last_history(application) -> AbsenceHistory:
    with application.app_context():
        return db.session.scalars(select(AbsenceHistory).order_by(AbsenceHistory.id.desc())
                                  ).first()


def history_url(world, lesson: int, student: int) -> str:
    return (f"/attendance/history?lesson_id={world.lessons[lesson]}"
            f"&student_id={world.students[student]}")


def test_a_teachers_change_of_a_past_lesson_is_refused_with_the_correction_form_filled_in(
        app, world):
    fill(app, world, [cell(world, PAST, PETROV, "н")])
    teacher = signed_in(app, world.users["teacher"])
    refused = teacher.post(f"/journal/load/{world.ids['load']}/cells/attendance",
                           json={"cells": [cell(world, PAST, PETROV, "", 1)]})
    assert refused.status_code == 409
    detail = refused.get_json()["cells"][0]
    assert "Подайте заявку на исправление" in detail["message"]
    link = detail["correction_url"]
    assert link.startswith("/attendance/corrections/new?")
    page = teacher.get(link)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert re.search(rf'<input[^>]*name="lesson_id"[^>]*value="{world.lessons[PAST]}"', text)
    assert re.search(r'<input[^>]*name="value"[^>]*value=""', text)  # what the teacher typed
    assert "утверждения заместителем директора" in text
    assert shown(app, world, PAST, PETROV) == "н"
    # the history panel of the past cell offers its writer the same form
    assert "correction_url" in teacher.get(history_url(world, PAST, PETROV)).get_json()
    assert "correction_url" not in teacher.get(history_url(world, TODAY, PETROV)).get_json()
    admin = signed_in(app, world.users["admin"])
    by_admin = admin.post(f"/journal/load/{world.ids['load']}/cells/attendance",
                          json={"cells": [cell(world, PAST, PETROV, "", 1)]})
    assert by_admin.status_code == 409 and "correction_url" in by_admin.get_json()["cells"][0]


def test_the_teacher_files_the_deputy_approves_and_the_history_names_reason_and_approver(
        app, world):
    fill(app, world, [cell(world, PAST, PETROV, "н")])
    teacher = signed_in(app, world.users["teacher"])
    filed = teacher.post("/attendance/corrections/new", data={
        "lesson_id": world.lessons[PAST], "student_id": world.students[PETROV], "value": "",
        "reason": REASON})
    assert filed.status_code == 302
    assert shown(app, world, PAST, PETROV) == "н"  # waits for the deputy
    with app.app_context():
        correction = db.session.scalars(select(Correction)).one()
        assert (correction.old_value, correction.new_value, correction.status) == \
            ("н", "", "pending")
    deputy = signed_in(app, world.users["deputy"])
    page = deputy.get("/attendance/corrections").get_data(as_text=True)
    assert "служебная записка № 5" in page and "Одобрить" in page
    assert world.dates[PAST].strftime("%d.%m.%Y") in page
    assert teacher.post(f"/attendance/corrections/{correction.id}/decide",
                        data={"decision": "approve"}).status_code == 404
    assert deputy.post(f"/attendance/corrections/{correction.id}/decide",
                       data={"decision": "approve"}).status_code == 302
    assert shown(app, world, PAST, PETROV) == ""
    row = last_history(app)
    assert (row.old_value, row.new_value, row.note) == ("н", "", REASON)
    assert (row.actor_id, row.approved_by_id) == (world.users["teacher"].id,
                                                  world.users["deputy"].id)
    rows = teacher.get(history_url(world, PAST, PETROV)).get_json()["history"]
    assert (rows[-1]["who"], rows[-1]["reason"], rows[-1]["approved_by"]) == (
        "Васильев П. А.", REASON, "Лебедева О. С.")
    with app.app_context():
        assert db.session.get(Correction, correction.id).status == "approved"
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "attendance.correction.apply")).one()
        assert entry.actor_id == world.users["deputy"].id and entry.note == REASON
    assert "служебная записка" not in deputy.get("/attendance/corrections").get_data(
        as_text=True).split("Мои исправления")[0]


def test_the_author_of_a_correction_never_decides_it(app, world):
    fill(app, world, [cell(world, PAST, PETROV, "н")])
    own = file(app, world, "admin", PAST, PETROV, "н1")
    admin = signed_in(app, world.users["admin"])
    page = admin.get("/attendance/corrections").get_data(as_text=True)
    assert "ваша заявка: утверждает другой сотрудник" in page
    assert f"/attendance/corrections/{own}/decide" not in page
    refused = admin.post(f"/attendance/corrections/{own}/decide", data={"decision": "approve"})
    assert refused.status_code == 409
    assert "утверждает другой сотрудник" in refused.get_data(as_text=True)
    with pytest.raises(DomainError) as again:
        decide(app, world, "admin", own, approve=True)
    assert again.value.status == 409
    assert shown(app, world, PAST, PETROV) == "н"
    assert decide(app, world, "deputy", own, approve=True) == "approved"
    assert shown(app, world, PAST, PETROV) == "н1"
    row = last_history(app)
    assert (row.actor_id, row.approved_by_id, row.note) == (world.users["admin"].id,
                                                            world.users["deputy"].id, REASON)


def test_without_approval_in_the_policy_a_correction_applies_at_once_naming_its_author(
        app, world):
    fill(app, world, [cell(world, PAST, PETROV, "н")])
    with app.test_request_context():
        policy.set_override("attendance.correction_approval", False)
        db.session.commit()
    correction_id = file(app, world, "teacher", PAST, PETROV, "оп10")
    assert shown(app, world, PAST, PETROV) == "оп10"
    with app.app_context():
        correction = db.session.get(Correction, correction_id)
        assert (correction.status, correction.decided_by_id) == ("approved",
                                                                 world.users["teacher"].id)
    row = last_history(app)
    assert (row.note, row.actor_id, row.approved_by_id) == (REASON, world.users["teacher"].id,
                                                            world.users["teacher"].id)


def test_a_rejection_needs_a_note_and_leaves_the_mark(app, world):
    fill(app, world, [cell(world, PAST, PETROV, "н")])
    correction_id = file(app, world, "teacher", PAST, PETROV, "")
    deputy = signed_in(app, world.users["deputy"])
    bare = deputy.post(f"/attendance/corrections/{correction_id}/decide",
                       data={"decision": "reject", "note": "  "})
    assert bare.status_code == 422 and "почему заявка отклонена" in bare.get_data(as_text=True)
    assert decide(app, world, "deputy", correction_id, approve=False,
                  note="Служебная записка не подписана") == "rejected"
    assert shown(app, world, PAST, PETROV) == "н"
    with app.app_context():
        assert db.session.get(Correction, correction_id).decision_note == \
            "Служебная записка не подписана"
    page = signed_in(app, world.users["teacher"]).get("/attendance/corrections")
    assert "Служебная записка не подписана" in page.get_data(as_text=True)


def test_a_pending_correction_shows_in_its_grid_cell(app, world):
    fill(app, world, [cell(world, PAST, PETROV, "н")])
    file(app, world, "teacher", PAST, PETROV, "")
    file(app, world, "teacher", PAST, KUZNETSOV, "н")  # a cell that was empty
    with app.test_request_context():
        user = db.session.get(User, world.users["teacher"].id)
        load = journal.get_load(world.ids["load"])
        source = grid.cells(load, journal.lessons(load), journal.roster(load), user)
    marked = source.cells[(world.lessons[PAST], world.students[PETROV])]
    empty = source.cells[(world.lessons[PAST], world.students[KUZNETSOV])]
    assert marked.text == "н"  # the mark stays until the correction is approved
    assert "cell-pending" in marked.css
    assert "Заявка на исправление «н» → «» ожидает утверждения" in marked.title
    assert (empty.text, empty.css) == ("", "cell-pending")
    assert empty.title == "Заявка на исправление «» → «н» ожидает утверждения"
    page = signed_in(app, world.users["teacher"]).get(f"/journal/load/{world.ids['load']}")
    assert "«н» → «» ожидает утверждения" in page.get_data(as_text=True)


def test_a_cell_takes_one_pending_correction_at_a_time(app, world):
    fill(app, world, [cell(world, PAST, PETROV, "н")])
    file(app, world, "teacher", PAST, PETROV, "")
    with pytest.raises(DomainError) as twice:
        file(app, world, "admin", PAST, PETROV, "н1")
    assert twice.value.status == 409 and "уже подана заявка" in twice.value.message


@pytest.mark.parametrize(("change", "status", "message"), [
    ({"reason": ""}, 422, "Укажите причину"),
    ({"value": "x"}, 422, "не отметка посещаемости"),
    ({"value": "оп95"}, 422, "Опоздание — от 1 до"),
    ({"value": "н"}, 422, "совпадает с текущим"),
    ({"lesson": TODAY}, 422, "не истёк"),  # still open: marked in the grid
    ({"lesson_id": 999999}, 404, "Такой страницы нет"),
    ({"student_id": "абв"}, 404, "Такой страницы нет"),
])
def test_bad_corrections_are_refused_in_russian_and_never_a_500(app, world, change, status,
                                                                 message):
    fill(app, world, [cell(world, PAST, PETROV, "н")])
    data = {"lesson_id": world.lessons[change.get("lesson", PAST)],
            "student_id": world.students[PETROV], "value": "", "reason": REASON}
    data.update({key: value for key, value in change.items() if key != "lesson"})
    response = signed_in(app, world.users["teacher"]).post("/attendance/corrections/new",
                                                           data=data)
    assert response.status_code == status
    assert message in response.get_data(as_text=True), re.findall(r"feedback[^<]*", response.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalars(select(Correction)).all() == []


def test_a_lesson_still_to_come_or_anothers_journal_cannot_be_corrected(app, world, clock):
    fill(app, world, [cell(world, PAST, PETROV, "н")])
    clock.set(noon(world.dates[TODAY] - timedelta(days=1)))  # the last lesson is tomorrow
    teacher = signed_in(app, world.users["teacher"])
    url = (f"/attendance/corrections/new?lesson_id={world.lessons[TODAY]}"
           f"&student_id={world.students[PETROV]}")
    early = teacher.get(url)
    assert early.status_code == 422 and "ещё не проведено" in early.get_data(as_text=True)
    posted = teacher.post("/attendance/corrections/new", data={
        "lesson_id": world.lessons[TODAY], "student_id": world.students[PETROV], "value": "н",
        "reason": REASON})
    assert posted.status_code == 422 and "ещё не проведено" in posted.get_data(as_text=True)
    stranger = signed_in(app, world.users["other"])
    assert stranger.get(url.replace(str(world.lessons[TODAY]),
                                    str(world.lessons[PAST]))).status_code == 404
    deputy = signed_in(app, world.users["deputy"])  # reads the journal, does not write it
    assert deputy.get(url.replace(str(world.lessons[TODAY]),
                                  str(world.lessons[PAST]))).status_code == 404
    with app.app_context():
        assert db.session.scalars(select(Correction)).all() == []


def test_a_cell_changed_after_the_correction_was_read_is_a_409_and_it_stays_pending(
        app, world, monkeypatch):
    """The approval writes the absence through the database's version check: a change
    committed between the read and the write (here behind the session's back) refuses it."""
    fill(app, world, [cell(world, PAST, PETROV, "н")])
    correction_id = file(app, world, "teacher", PAST, PETROV, "")
    read = services.absence_of

    def read_then_overtaken(lesson_id, student_id):
        found = read(lesson_id, student_id)
        table = Absence.__table__
        db.session.connection().execute(update(table).where(table.c.id == found.id).values(
            version=table.c.version + 1))
        return found

    monkeypatch.setattr(services, "absence_of", read_then_overtaken)
    with pytest.raises(DomainError) as refused:
        decide(app, world, "deputy", correction_id, approve=True)
    monkeypatch.undo()
    assert refused.value.status == 409 and "изменилась после подачи" in refused.value.message
    with app.app_context():
        assert db.session.get(Correction, correction_id).status == "pending"
    assert shown(app, world, PAST, PETROV) == "н"


@pytest.mark.parametrize("preset", ["btt", "ktis"])
def test_both_presets_ask_a_second_person_to_approve(make_app, tmp_path, preset):
    application = make_app(POLICY=preset,
                           DATABASE_URL=f"sqlite:///{tmp_path / f'{preset}.sqlite3'}")
    migrate.upgrade(application)
    with application.app_context():
        assert corrections.approval_required() is True


@pytest.mark.committing
def test_two_deciders_at_once_give_one_decision_and_a_409(committed_app):
    world = build(committed_app, prefix="adec")
    students = (PETROV, KUZNETSOV, FEDOROVA)
    save_on_the_day(committed_app, world, services.save_cells, "teacher",
                    [cell(world, PAST, s, "н") for s in students])
    filed = [file(committed_app, world, "teacher", PAST, s, "") for s in students]

    def decider(who: str):
        def run(number: int) -> int:
            try:
                decide(committed_app, world, who, filed[number], approve=True)
            except DomainError as exc:
                return exc.status
            return 200
        return run

    rounds = race(len(filed), [decider("admin"), decider("deputy")])

    for number in range(len(filed)):
        assert sorted(tab[number] for tab in rounds) == [200, 409], number
    with committed_app.app_context():
        assert [c.status for c in db.session.scalars(select(Correction))] == ["approved"] * 3
        applied = db.session.scalars(select(AbsenceHistory).where(
            AbsenceHistory.approved_by_id.is_not(None))).all()
        assert len(applied) == 3  # each absence changed once
        assert {row.new_value for row in applied} == {""}
