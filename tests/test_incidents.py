"""Problems seen first: an unexpected error gives the user an incident number (and a way to
report it when a plugin offers one), is logged under that number without personal data, and
reaches the error tracker scrubbed when one is configured."""

from __future__ import annotations

import logging
import re

import pytest
from flask import request
from flask_login import current_user

from core import error_tracker, incidents, migrate
from core.people.roles import Role
from tests.fixtures import user_maker

NUMBER = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b")
#: what the signed-in user and the form carry; none of it may reach a log line
SECRETS = ("Уникальнова", "Пелагея", "Евстафьевна", "zz.distinct", "unique.mail@example.org",
           "+79990001122", "ЗНАЧЕНИЕ-ФОРМЫ-42", "session=")


def _boom():
    note = request.form.get("note", "")
    raise RuntimeError(f"failed for {note} by {current_user.email} ({current_user.login})")


def _app(make_app, tmp_path, name: str, plugins: list[str]):
    """An app of ``plugins`` on a file of its own (its sign-ins commit), with a test-only route
    that fails."""
    app = make_app(RATELIMIT_ENABLED=False, DATABASE_URL=f"sqlite:///{tmp_path / name}",
                   PLUGINS=plugins)
    migrate.upgrade(app)
    app.add_url_rule("/test-boom", "test_boom", _boom, methods=["GET", "POST"])
    return app


@pytest.fixture
def boom_app(make_app, tmp_path):
    return _app(make_app, tmp_path, "boom.sqlite3", [])  # no plugin offers a report form


def _distinct(app):
    return user_maker(app)("zz.distinct", [Role.TEACHER], last_name="Уникальнова",
                           first_name="Пелагея", middle_name="Евстафьевна",
                           email="unique.mail@example.org", phone="+79990001122")


@pytest.fixture
def distinct_user(boom_app):
    return _distinct(boom_app)


def _signed_in(app, user):
    client = app.test_client()
    assert client.post("/auth/login", data={"login": user.login,
                                            "password": "secret-pass-1"}).status_code == 302
    return client


def test_new_numbers_are_short_and_unique():
    numbers = {incidents.new_number() for _ in range(2000)}
    assert len(numbers) == 2000
    assert all(re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", n) for n in numbers)


def test_an_unexpected_error_shows_its_number_which_the_log_line_carries_without_personal_data(
        boom_app, distinct_user, caplog):
    client = _signed_in(boom_app, distinct_user)
    with caplog.at_level(logging.INFO):
        response = client.post("/test-boom?q=Уникальнова", data={"note": "ЗНАЧЕНИЕ-ФОРМЫ-42"})
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    number = NUMBER.search(page.split('id="incident-number"', 1)[1]).group(0)
    assert "Сообщить о проблеме" not in page  # no plugin offers the form
    records = [r for r in caplog.records if getattr(r, "incident", None) == number]
    assert len(records) == 1
    line = records[0].getMessage()
    assert number in line and f"user {distinct_user.id}" in line
    assert "RuntimeError" in line and "POST /test-boom" in line and "_boom" in line
    everything = "\n".join(r.getMessage() for r in caplog.records)
    for secret in SECRETS:
        assert secret not in everything, secret


def test_the_report_button_links_the_helpdesk_form_with_the_number_when_a_plugin_has_it(
        make_app, tmp_path):
    app = _app(make_app, tmp_path, "helpdesk.sqlite3", ["helpdesk"])
    distinct_user = _distinct(app)
    page = _signed_in(app, distinct_user).post("/test-boom").get_data(as_text=True)
    number = NUMBER.search(page.split('id="incident-number"', 1)[1]).group(0)
    assert f'href="/helpdesk/new?kind=problem&amp;incident={number}"' in page
    assert "Сообщить о проблеме" in page
    form = _signed_in(app, distinct_user).get(f"/helpdesk/new?kind=problem&incident={number}")
    assert form.status_code == 200 and f'value="{number}"' in form.get_data(as_text=True)


def test_a_json_caller_gets_the_number_in_the_body(boom_app, distinct_user):
    response = _signed_in(boom_app, distinct_user).post(
        "/test-boom", data={"note": "x"}, headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert NUMBER.fullmatch(response.get_json()["incident"])


def test_the_error_count_grows_with_each_incident(boom_app, distinct_user):
    client = _signed_in(boom_app, distinct_user)
    client.post("/test-boom")
    client.post("/test-boom")
    body = client.get("/healthz").get_json()
    assert body["checks"]["unexpected_errors"]["value"] == 2


# --- the error tracker ---------------------------------------------------------------------


def _event() -> dict:
    return {
        "request": {"method": "POST", "url": "https://ej.example/people/students/7?q=Иванов",
                    "query_string": "q=Иванов", "data": {"note": "ЗНАЧЕНИЕ-ФОРМЫ-42"},
                    "cookies": {"session": "abc"}, "headers": {"Cookie": "session=abc",
                                                               "User-Agent": "x"},
                    "env": {"REMOTE_ADDR": "10.1.2.3"}},
        "user": {"id": "17", "email": "unique.mail@example.org", "username": "zz.distinct",
                 "ip_address": "10.1.2.3"},
        "exception": {"values": [{"type": "RuntimeError", "value": "failed for Уникальнова",
                                  "stacktrace": {"frames": [{"function": "_boom",
                                                             "vars": {"note": "секрет"}}]}}]},
        "breadcrumbs": {"values": [{"category": "query", "message": "SELECT 1",
                                    "data": {"params": ["Уникальнова"]}}]},
        "extra": {"form": "ЗНАЧЕНИЕ-ФОРМЫ-42"},
        "logentry": {"message": "%s", "params": ["Уникальнова"]},
        "tags": {"incident": "ABCD-EF23"},
    }


def test_before_send_keeps_the_user_s_id_only_and_drops_request_data_and_messages():
    event = error_tracker.before_send(_event(), {})
    assert event["request"] == {"method": "POST", "url": "https://ej.example/people/students/7"}
    assert event["user"] == {"id": "17"}
    exception = event["exception"]["values"][0]
    assert exception["type"] == "RuntimeError" and exception["value"] == ""
    assert "vars" not in exception["stacktrace"]["frames"][0]
    assert event["breadcrumbs"]["values"] == [{"category": "query", "message": "SELECT 1"}]
    assert "extra" not in event and "logentry" not in event
    assert event["tags"] == {"incident": "ABCD-EF23"}
    for secret in SECRETS + ("10.1.2.3", "Иванов", "секрет"):
        assert secret not in repr(event), secret


def test_before_send_tags_the_incident_from_the_exception_when_the_scope_did_not():
    event = _event()
    del event["tags"]
    error = RuntimeError("x")
    error.ejournal_incident = "WXYZ-2345"
    assert error_tracker.before_send(event, {"exc_info": (RuntimeError, error, None)})[
        "tags"] == {"incident": "WXYZ-2345"}


def test_without_a_dsn_the_tracker_is_not_started(make_app):
    import sentry_sdk

    app = make_app(SENTRY_DSN=None)
    assert error_tracker.init_app(app) is False
    assert not sentry_sdk.is_initialized()


def test_with_a_dsn_an_incident_reaches_the_tracker_tagged_and_scrubbed(
        boom_app, distinct_user, monkeypatch):
    import sentry_sdk
    from sentry_sdk.transport import Transport

    sent: list[dict] = []

    class Collect(Transport):
        def capture_envelope(self, envelope):
            sent.extend(item.payload.json for item in envelope.items
                        if item.type == "event")

    real_init = sentry_sdk.init

    def init(**options):  # the options init_app chose, sent nowhere but to the list
        return real_init(transport=Collect, **options)

    monkeypatch.setattr(sentry_sdk, "init", init)
    boom_app.config["SENTRY_DSN"] = "https://public@tracker.invalid/1"
    try:
        assert error_tracker.init_app(boom_app) is True
        response = _signed_in(boom_app, distinct_user).post(
            "/test-boom?q=Уникальнова", data={"note": "ЗНАЧЕНИЕ-ФОРМЫ-42"})
        sentry_sdk.flush()
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)  # the other tests run without it
    number = NUMBER.search(response.get_data(as_text=True).split('id="incident-number"', 1)[1])
    assert len(sent) == 1
    event = sent[0]
    assert event["tags"]["incident"] == number.group(0)
    assert event["user"] == {"id": str(distinct_user.id)}
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    for frame in event["exception"]["values"][-1]["stacktrace"]["frames"]:
        assert "vars" not in frame
        for key in ("pre_context", "context_line", "post_context"):  # source code: this file's
            frame.pop(key, None)                                    # list of secrets is there
    for secret in SECRETS:
        assert secret not in repr(event), secret
    assert not sentry_sdk.is_initialized()
