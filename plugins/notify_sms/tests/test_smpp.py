"""SMS through SMPP against a local SMSC (``smpp_server``) and the real smpplib: one session a
run of the worker, Cyrillic in UCS-2 and in concatenated parts, refusals and a wrong password
recorded for a retry, the SMSC's keep-alive answered."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core import migrate, outbox
from core.errors import StartupError
from core.extensions import db
from plugins.notify_sms import adapters, texts
from plugins.notify_sms.tests.smpp_server import SmppServer, Smsc, closed_port
from plugins.notify_sms.tests.test_sms import at_local, two_marks_delivered_twice

LONG = ("Петров А. И.: оценка 5, МДК.01.01 Технологические процессы изготовления деталей машин, "
        "25.11. Ещё: пропущено 12 ч, без уважительной причины 4; средний балл 4,2. «Ёлка» — ок")


@pytest.fixture
def smsc():
    state = Smsc(accounts={"college": "secret"})
    server = SmppServer(state).start()
    yield state, server.port
    server.stop()


def smpp_app(make_app, tmp_path, port, **overrides):
    config = {"DATABASE_URL": f"sqlite:///{tmp_path / 'smpp.sqlite3'}", "SMS_ADAPTER": "smpp",
              "SMS_SMPP_HOST": "127.0.0.1", "SMS_SMPP_PORT": port,
              "SMS_SMPP_SYSTEM_ID": "college", "SMS_SMPP_PASSWORD": "secret",
              "SMS_SENDER": "College", "SMS_DAILY_CAP": 10, **overrides}
    app = make_app(**config)
    migrate.upgrade(app)
    return app


def queue_text(app, text, phone="+79001112233", key="t"):
    with app.app_context():
        outbox.enqueue("sms", phone, key, text=text, kind="test")
        db.session.commit()


def noon():
    """Tomorrow's noon, college time: after the messages queued now, within sending hours."""
    return at_local(date.today() + timedelta(days=1), 12)


def the_message(app):
    with app.app_context():
        return db.session.scalar(select(outbox.OutboxMessage))


def test_a_new_mark_reaches_the_parent_through_smpp(make_app, tmp_path, smsc):
    state, port = smsc
    app = smpp_app(make_app, tmp_path, port)
    counts, again, messages = two_marks_delivered_twice(app, "sp")
    queued = {m.recipient: m.body_text for m in messages}
    assert counts["sent"] == 2 and again["sent"] == 0
    assert state.binds == [("college", "secret", "")] and state.unbinds == 1  # one session
    received = dict(state.texts())
    assert received == {"79001112233": queued["+79001112233"],
                        "79004445566": queued["+79004445566"]}
    assert received["79001112233"].startswith("Петров А. И.: оценка 5,")
    assert "Кузнецов" not in received["79001112233"]
    first = state.submitted[0]
    assert (first.source, first.source_ton) == ("College", 5)  # alphanumeric
    assert first.dest_ton == 1 and first.data_coding == 8  # international, UCS-2


def test_a_long_cyrillic_text_arrives_in_parts_and_is_put_together(make_app, tmp_path, smsc):
    state, port = smsc
    app = smpp_app(make_app, tmp_path, port, SMS_SMPP_SOURCE="Kolledzh")
    queue_text(app, LONG, key="long")
    queue_text(app, "Привет", phone="+79004445566", key="short")
    with app.app_context():
        counts = outbox.deliver_due(now=noon())
    assert counts["sent"] == 2
    parts = [item for item in state.submitted if item.destination == "79001112233"]
    assert len(parts) == texts.measure(LONG).parts == 3
    assert [item.udh[1:] for item in parts] == [(3, 1), (3, 2), (3, 3)]
    assert len({item.udh[0] for item in parts}) == 1  # one reference for the whole text
    assert all(len(item.short_message) <= 140 and item.data_coding == 8 for item in parts)
    assert all(item.source == "Kolledzh" for item in state.submitted)
    short = next(item for item in state.submitted if item.destination == "79004445566")
    assert short.udh is None and short.esm_class == 0
    assert sorted(state.texts()) == [("79001112233", LONG), ("79004445566", "Привет")]


def test_a_refused_message_stays_pending_and_goes_on_the_retry(make_app, tmp_path, smsc):
    state, port = smsc
    state.submit_status = 0x14  # ESME_RMSGQFUL
    app = smpp_app(make_app, tmp_path, port)
    queue_text(app, "Петров А. И.: оценка 3")
    with app.app_context():
        counts = outbox.deliver_due(now=noon())
    message = the_message(app)
    assert counts["retry"] == 1 and message.status == "pending" and message.attempts == 1
    assert "0x00000014" in message.last_error and "Message Queue is full" in message.last_error
    assert state.unbinds == len(state.binds) == 1  # the session was closed after the refusal
    state.submit_status = 0
    with app.app_context():
        assert outbox.deliver_due(now=noon())["sent"] == 0  # not before the back-off
        assert outbox.deliver_due(now=noon() + timedelta(minutes=2))["sent"] == 1
    assert state.texts() == [("79001112233", "Петров А. И.: оценка 3")]


def test_a_refusal_closes_the_session_and_the_next_message_binds_again(make_app, tmp_path,
                                                                      smsc):
    state, port = smsc
    app = smpp_app(make_app, tmp_path, port, SMS_SMPP_SOURCE="+79990001122")
    queue_text(app, "я" * 300, key="too-long-for-the-smsc")  # five parts
    queue_text(app, "Привет", phone="+79004445566", key="short")
    state.submit_status = 0x58  # ESME_RTHROTTLED
    with app.app_context():
        counts = outbox.deliver_due(now=noon())
    assert counts["retry"] == 2 and len(state.binds) == state.unbinds == 2
    assert state.submitted == []


def test_a_wrong_password_is_a_recorded_failure(make_app, tmp_path, smsc):
    state, port = smsc
    app = smpp_app(make_app, tmp_path, port, SMS_SMPP_PASSWORD="wrong")
    queue_text(app, "Петров А. И.: оценка 4")
    with app.app_context():
        counts = outbox.deliver_due(now=noon())
    message = the_message(app)
    assert counts["retry"] == 1 and message.status == "pending"
    assert "Invalid Password" in message.last_error
    assert state.refused_binds == 1 and state.submitted == []


def test_an_smsc_that_is_down_is_a_recorded_failure(make_app, tmp_path):
    app = smpp_app(make_app, tmp_path, closed_port())
    queue_text(app, "Петров А. И.: оценка 4")
    with app.app_context():
        counts = outbox.deliver_due(now=noon())
    message = the_message(app)
    assert counts["retry"] == 1 and "SMSC" in message.last_error


def test_the_smscs_keep_alive_is_answered(make_app, tmp_path, smsc):
    state, port = smsc
    state.enquire_first = True
    app = smpp_app(make_app, tmp_path, port)
    queue_text(app, LONG)
    with app.app_context():
        assert outbox.deliver_due(now=noon())["sent"] == 1
    assert state.enquire_answers == 3 and state.texts() == [("79001112233", LONG)]


def test_configured_when_the_chosen_adapter_has_its_address(make_app, tmp_path):
    cases = [({"SMS_ADAPTER": "smpp", "SMS_SMPP_HOST": "smsc.example"}, True),
             ({"SMS_ADAPTER": "smpp", "SMS_GATEWAY_URL": "http://gw.example/send"}, False),
             ({"SMS_ADAPTER": "http", "SMS_SMPP_HOST": "smsc.example"}, False),
             ({"SMS_GATEWAY_URL": "http://gw.example/send"}, True)]
    for overrides, expected in cases:
        app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'c.sqlite3'}", **overrides)
        with app.app_context():
            assert adapters.configured() is expected, overrides


def test_an_unknown_adapter_stops_the_start(make_app, tmp_path):
    with pytest.raises(StartupError, match="SMS_ADAPTER"):
        make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'u.sqlite3'}", SMS_ADAPTER="smtp")


def test_addresses():
    assert adapters.phone_address("+7 900 111-22-33") == adapters.Address(1, 1, "79001112233")
    assert adapters.phone_address("89001112233") == adapters.Address(0, 1, "89001112233")
    assert adapters.source_address("College") == adapters.Address(5, 0, "College")
    assert adapters.source_address("") == adapters.Address(0, 0, "")
