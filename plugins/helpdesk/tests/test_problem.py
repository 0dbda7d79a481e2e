"""The error page's «Сообщить о проблеме» opens ``url_for("helpdesk.new", kind="problem",
incident=…)``: the form comes with the kind chosen and the incident number filled; the request
keeps the number (6–32 letters, digits, hyphens); anything else is a Russian form error."""

from __future__ import annotations

from sqlalchemy import func, select

from core.extensions import db
from plugins.helpdesk.models import HelpRequest
from plugins.helpdesk.tests.helpers import load


def test_the_error_pages_link_is_this_endpoint(app):
    with app.test_request_context():
        from flask import url_for

        assert url_for("helpdesk.new", kind="problem", incident="INC-2026-ab12") == \
            "/helpdesk/new?kind=problem&incident=INC-2026-ab12"


def test_the_form_comes_with_the_problem_kind_and_the_incident_number(as_):
    page = as_("teacher").get("/helpdesk/new?kind=problem&incident=INC-2026-ab12") \
        .get_data(as_text=True)
    assert '<option selected value="problem">' in page
    assert 'value="INC-2026-ab12"' in page


def test_an_incident_number_of_another_format_is_not_filled_in(as_):
    page = as_("teacher").get("/helpdesk/new?kind=problem&incident=%3Cb%3Ex%3C/b%3E") \
        .get_data(as_text=True)
    assert "&lt;b&gt;" not in page and "<b>x</b>" not in page


def test_a_problem_filed_with_the_incident_number_keeps_it(app, as_):
    client = as_("teacher")
    filed = client.post("/helpdesk/new", data={"kind": "problem", "incident": "INC-2026-ab12"})
    assert filed.status_code == 302
    request_id = int(filed.headers["Location"].rsplit("/", 1)[1])
    item = load(app, request_id)
    assert (item.kind, item.incident, item.subject) == ("problem", "INC-2026-ab12",
                                                        "Сообщение о проблеме")
    assert "<code>INC-2026-ab12</code>" in as_("admin").get(f"/helpdesk/{request_id}") \
        .get_data(as_text=True)


def test_a_bad_incident_number_is_a_russian_form_error(app, as_):
    for bad in ("abc", "x" * 33, "INC 2026", "инцидент-1"):
        refused = as_("teacher").post("/helpdesk/new", data={
            "kind": "problem", "incident": bad, "body": "Ошибка"})
        assert refused.status_code == 422
        assert "Номер инцидента — от 6 до 32 латинских букв" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 0


def test_a_problem_without_a_number_needs_words(as_):
    refused = as_("parent").post("/helpdesk/new", data={"kind": "problem"})
    assert refused.status_code == 422
    assert "Опишите, что произошло." in refused.get_data(as_text=True)
    assert as_("parent").post("/helpdesk/new", data={
        "kind": "problem", "body": "Не открывается дневник"}).status_code == 302


def test_the_incident_is_kept_only_on_a_problem(app, as_):
    filed = as_("teacher").post("/helpdesk/new", data={
        "kind": "help", "incident": "INC-2026-ab12", "body": "Как выставить итоговую?"})
    item = load(app, int(filed.headers["Location"].rsplit("/", 1)[1]))
    assert item.kind == "help" and item.incident is None
