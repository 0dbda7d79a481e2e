"""A curator reports a student's movement (BTT 4.2.2, KTIS 3.12): the administrator carries
out the order from the request through the core's ``move_student`` (the date and number
prefilled from the curator's, completed at applying); the movement names the request."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.extensions import db
from core.people.models import Movement, Student
from plugins.helpdesk.tests.helpers import load


def _report(as_, **data):
    return as_("curator").post("/helpdesk/new", data={
        "kind": "movement", "movement": "leave", "on_date": "2026-10-12",
        "body": "Академический отпуск по болезни.", **data})


def test_the_curator_reports_and_the_administrator_carries_out_the_order(app, world, as_):
    page = as_("curator").get("/helpdesk/new").get_data(as_text=True)
    assert "Петров Алексей" in page and "Кузин" not in page  # the curator's group only
    filed = _report(as_, student_id=str(world.ids["child"]))
    assert filed.status_code == 302
    request_id = int(filed.headers["Location"].rsplit("/", 1)[1])
    item = load(app, request_id)
    assert item.subject == "Академический отпуск: Петров Алексей"
    admin = as_("admin")
    page = admin.get(f"/helpdesk/{request_id}").get_data(as_text=True)
    assert "Провести приказ" in page and 'value="2026-10-12"' in page
    refused = admin.post(f"/helpdesk/{request_id}/apply", data={"on_date": "2026-10-12"})
    assert refused.status_code == 422
    assert "Укажите номер приказа." in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Student, world.ids["child"]).status == "studying"
    done = admin.post(f"/helpdesk/{request_id}/apply",
                      data={"on_date": "2026-10-12", "order_no": "145-к"})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(Student, world.ids["child"]).status == "leave"
        movement = db.session.scalars(select(Movement).where(
            Movement.student_id == world.ids["child"])).one()
        assert (movement.kind, movement.on_date, movement.order_no) == (
            "leave", date(2026, 10, 12), "145-к")
        assert movement.note == f"По обращению №{request_id}"
        assert movement.created_by_id == world.id("admin")
    item = load(app, request_id)
    assert item.status == "answered" and item.details["movement_id"] == movement.id
    assert "Приказ проведён: Академический отпуск, 12.10.2026, № 145-к." in as_("curator").get(
        f"/helpdesk/{request_id}").get_data(as_text=True)


def test_a_student_of_another_group_is_a_404(as_, world):
    assert _report(as_, student_id=str(world.ids["stranger"])).status_code == 404


def test_a_movement_needs_what_happened_and_a_date(as_, world):
    refused = _report(as_, student_id=str(world.ids["child"]), movement="")
    assert refused.status_code == 422
    assert "Выберите, что произошло." in refused.get_data(as_text=True)
    refused = _report(as_, student_id=str(world.ids["child"]), on_date="")
    assert "Укажите дату приказа" in refused.get_data(as_text=True)


def test_only_a_curator_reports_a_movement(as_, world):
    refused = as_("teacher").post("/helpdesk/new", data={
        "kind": "movement", "student_id": str(world.ids["child"]), "movement": "leave",
        "on_date": "2026-10-12"})
    assert refused.status_code == 422
    assert "Выберите вид обращения из списка" in refused.get_data(as_text=True)


def test_a_malformed_date_or_student_is_a_russian_form_error(app, as_, world):
    refused = _report(as_, student_id=str(world.ids["child"]), on_date="12/10/2026")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Not a valid" not in page and "invalid-feedback" in page
    refused = _report(as_, student_id="abc")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Not a valid" not in page and "Invalid" not in page and "Выберите обучающегося." in page


def test_too_long_values_are_refused_in_russian(as_, world):
    refused = _report(as_, student_id=str(world.ids["child"]), order_no="1" * 41,
                      subject="т" * 201)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Тема — не длиннее 200 знаков." in page
    assert "Номер приказа — не длиннее 40 знаков." in page and "longer" not in page
