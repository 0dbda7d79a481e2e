"""SMS against a local HTTP gateway: a new mark reaches the parent's phone, with the outbox's
id for the gateway to drop repeats; quiet hours and the daily cap; Cyrillic length rules; the
monthly report; nothing of another family."""

from __future__ import annotations

import threading
import urllib.parse
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from core import migrate, outbox
from core.auth.passwords import hash_password
from core.calendar.clock import college_zone
from core.extensions import db
from core.people.models import Guardian, RoleAssignment, StudentGuardian, User
from core.people.roles import ROLE_SCOPE, Role
from plugins.grading.tests.world import PASSWORD, build, noon
from plugins.journal import api as journal
from plugins.notify_sms import services, texts

PETROV, SMIRNOVA, KUZNETSOV, FEDOROVA = range(4)
TODAY = 11


class Gateway(BaseHTTPRequestHandler):
    received: list[dict] = []
    status = 200

    def do_POST(self):  # noqa: N802  (the http.server API)
        length = int(self.headers.get("Content-Length", 0))
        fields = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        fields["auth"] = self.headers.get("Authorization", "")
        type(self).received.append(fields)
        self.send_response(type(self).status)
        self.end_headers()
        self.wfile.write(b"OK")

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    Gateway.received, Gateway.status = [], 200
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Gateway, f"http://127.0.0.1:{server.server_address[1]}/send"
    server.shutdown()


@pytest.fixture
def sms_app(make_app, tmp_path, gateway):
    _handler, url = gateway
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'sms.sqlite3'}", SMS_GATEWAY_URL=url,
                   SMS_GATEWAY_USER="college", SMS_GATEWAY_PASSWORD="secret", SMS_DAILY_CAP=2)
    migrate.upgrade(app)
    return app


def families(app, world):
    with app.app_context():
        for key, child, phone in (("parent", PETROV, "+79001112233"),
                                  ("kuznetsov", KUZNETSOV, "+79004445566")):
            user = User(login=f"sm.{key}", password_hash=hash_password(PASSWORD),
                        last_name="Родителева", first_name=key)
            user.roles.append(RoleAssignment(role=Role.PARENT, scope_kind=ROLE_SCOPE[Role.PARENT]))
            db.session.add(user)
            db.session.flush()
            guardian = Guardian(last_name="Родителева", first_name=key, user_id=user.id,
                                phone=phone)
            db.session.add(guardian)
            db.session.flush()
            db.session.add(StudentGuardian(student_id=world.students[child],
                                           guardian_id=guardian.id))
        db.session.commit()


def post_mark(app, world, lesson, student, value):
    from plugins.grading import services as grading

    with app.test_request_context():
        user = db.session.get(User, world.users["admin"].id)
        grading.save_cells(journal.get_load(world.ids["load"]), user, [{
            "lesson_id": world.lessons[lesson], "student_id": world.students[student],
            "value": value, "version": None}], at=noon(world.dates[lesson]))  # on the day
        db.session.commit()


def at_local(day, hour) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=3)


def test_a_new_mark_reaches_the_parents_phone_once(sms_app, gateway):
    handler, _url = gateway
    world = build(sms_app, prefix="sm")
    families(sms_app, world)
    post_mark(sms_app, world, TODAY, PETROV, "5")
    post_mark(sms_app, world, TODAY - 1, KUZNETSOV, "4")
    with sms_app.app_context():
        counts = outbox.deliver_due(now=at_local(world.dates[TODAY], 12))
        again = outbox.deliver_due(now=at_local(world.dates[TODAY], 12))
        queued = db.session.scalars(select(outbox.OutboxMessage).order_by(
            outbox.OutboxMessage.id)).all()
    assert counts["sent"] == 2 and again["sent"] == 0
    by_phone = {fields["to"]: fields for fields in handler.received}
    assert set(by_phone) == {"+79001112233", "+79004445566"}
    petrov = by_phone["+79001112233"]
    assert petrov["text"].startswith("Петров А. И.: оценка 5,") and "Кузнецов" not in petrov["text"]
    assert petrov["id"] == queued[0].message_id  # the gateway drops a repeat by this id
    assert petrov["auth"].startswith("Basic ")


def test_quiet_hours_and_the_daily_cap(sms_app, gateway):
    handler, _url = gateway
    world = build(sms_app, prefix="qh")
    families(sms_app, world)
    for lesson in (TODAY, TODAY - 1, TODAY - 2):
        post_mark(sms_app, world, lesson, PETROV, "4")
    day = world.dates[TODAY]
    with sms_app.app_context():
        night = outbox.deliver_due(now=at_local(day, 23))
        assert night["deferred"] == 3 and handler.received == []
        message = db.session.scalar(select(outbox.OutboxMessage))
        assert message.not_before.astimezone(college_zone()).hour == 8
        morning = outbox.deliver_due(now=at_local(day + timedelta(days=1), 9))
    assert morning["sent"] == 2 and morning["deferred"] == 1  # the cap is 2 a day
    assert len(handler.received) == 2


def test_a_refusing_gateway_is_retried(sms_app, gateway):
    handler, _url = gateway
    handler.status = 503
    world = build(sms_app, prefix="rf")
    families(sms_app, world)
    post_mark(sms_app, world, TODAY, PETROV, "3")
    with sms_app.app_context():
        counts = outbox.deliver_due(now=at_local(world.dates[TODAY], 12))
        message = db.session.scalar(select(outbox.OutboxMessage))
    assert counts["retry"] == 1 and "503" in message.last_error and message.status == "pending"


@pytest.mark.parametrize(("text", "encoding", "parts"), [
    ("Hello", "GSM-7", 1), ("a" * 160, "GSM-7", 1), ("a" * 161, "GSM-7", 2),
    ("Привет", "UCS-2", 1), ("я" * 70, "UCS-2", 1), ("я" * 71, "UCS-2", 2), ("я" * 135, "UCS-2", 3),
    ("[]" * 40, "GSM-7", 1), ("[]" * 41, "GSM-7", 2),
])
def test_cyrillic_length_rules(text, encoding, parts):
    measured = texts.measure(text)
    assert (measured.encoding, measured.parts) == (encoding, parts)


def test_the_administrator_sees_the_texts_and_their_parts(sms_app):
    with sms_app.app_context():
        user = User(login="sm.admin", password_hash=hash_password(PASSWORD), last_name="А",
                    first_name="А")
        user.roles.append(RoleAssignment(role=Role.ADMIN, scope_kind=ROLE_SCOPE[Role.ADMIN]))
        db.session.add(user)
        db.session.commit()
    client = sms_app.test_client()
    client.post("/auth/login", data={"login": "sm.admin", "password": PASSWORD})
    page = client.get("/notify/sms/").get_data(as_text=True)
    assert "UCS-2" in page and "Новая оценка" in page
    checked = client.post("/notify/sms/", data={"text": "я" * 71}).get_data(as_text=True)
    assert "частей: 2" in checked


def test_hook_summary_lines(app):
    """Grading and attendance sum up a student's month for the SMS report."""
    world = build(app, prefix="sl")
    post_mark(app, world, TODAY, PETROV, "5")
    with app.test_request_context():
        lines = [line for batch in journal.hook().summary_lines(
            student_id=world.students[PETROV], start=world.dates[0], end=world.dates[TODAY])
            for line in batch]
    assert "средний балл 5,0" in lines and "пропусков нет" in lines


def test_the_monthly_report_goes_to_each_family_on_the_first(make_app, tmp_path, gateway):
    _handler, url = gateway
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'ktis.sqlite3'}", SMS_GATEWAY_URL=url,
                   POLICY="ktis")
    migrate.upgrade(app)
    world = build(app, prefix="mr")
    families(app, world)
    post_mark(app, world, TODAY, PETROV, "5")
    first = (world.dates[TODAY].replace(day=1) + timedelta(days=32)).replace(day=1)
    with app.test_request_context():
        assert services.queue_period_reports(at_local(first, 9)) == 0  # before 10:00
        assert services.queue_period_reports(at_local(first, 11)) == 2
        assert services.queue_period_reports(at_local(first, 12)) == 0  # once a month
        texts_sent = {m.recipient: m.body_text for m in db.session.scalars(
            select(outbox.OutboxMessage).where(outbox.OutboxMessage.kind == "period"))}
    assert "Петров" in texts_sent["+79001112233"] and "Петров" not in texts_sent["+79004445566"]
