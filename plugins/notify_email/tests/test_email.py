"""E-mail to parents against a real SMTP server (aiosmtpd): alerts written with the change and
sent by the outbox, the weekly digest (HTML and text, Russian, only the family's own children),
preferences, unsubscribe and report links, header injection, and a worker killed mid-batch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from core import migrate, outbox
from core.extensions import db
from core.people.models import User
from core.people.roles import Role
from plugins.grading.tests.world import PASSWORD, build, noon
from plugins.journal import api as journal
from plugins.notify_email import services
from plugins.notify_email.models import Preference
from tests.college import add_guardian, add_user, keep_roles
from tests.fixtures import ROOT
from tests.mail import Inbox, app_mailing_to, free_port

PETROV, SMIRNOVA, KUZNETSOV, FEDOROVA = range(4)
TODAY = 11


@pytest.fixture
def mail_app(make_app, tmp_path, smtp):
    """An app whose mail goes to ``smtp``, the worker woken after each commit that queues."""
    _inbox, port = smtp
    return app_mailing_to(make_app, tmp_path, port)


def families(app, world) -> dict[str, User]:
    """Three families: Петров's parent (also of Фёдорова), Кузнецов's, Смирнова's."""
    made = {}
    with app.app_context():
        for key, children in (("parent", (PETROV, FEDOROVA)), ("kuznetsov", (KUZNETSOV,)),
                              ("smirnova", (SMIRNOVA,))):
            made[key] = add_user(f"ml.{key}", Role.PARENT, "Родителева", key.capitalize())
            add_guardian(made[key].id, "Родителева", key,
                         [world.students[child] for child in children],
                         email=f"{key}@family.example")
        db.session.commit()
        keep_roles(made.values())
    return made


def mark(app, world, who, lesson, student, value, kind="grading"):
    from plugins.attendance import services as attendance
    from plugins.grading import services as grading

    module = grading if kind == "grading" else attendance
    with app.test_request_context():
        user = db.session.get(User, world.users[who].id)
        module.save_cells(journal.get_load(world.ids["load"]), user, [{
            "lesson_id": world.lessons[lesson], "student_id": world.students[student],
            "value": value, "version": None}], at=noon(world.dates[lesson]))  # on the day
        db.session.commit()


def rows(app) -> list[outbox.OutboxMessage]:
    with app.app_context():
        return db.session.scalars(select(outbox.OutboxMessage).order_by(
            outbox.OutboxMessage.id)).all()


def deliver(app) -> dict:
    with app.app_context():
        return outbox.deliver_due()


def test_hook_notification_channels(app):
    with app.app_context():
        assert "email" in outbox.channels()


def test_hook_scheduled_jobs(app):
    with app.app_context():
        jobs = [job for batch in journal.hook().scheduled_jobs() for job in batch]
    assert sorted(job.name for job in jobs) == [
        "announcements_mail_due", "archive.purge_daily", "archive.verify_weekly", "backup_daily",
        "backup_stale_alert", "control_weekly_gaps", "core.retention_daily",
        "forecast_weekly_warnings", "messaging_answer_reminders", "monthly_sms_reports",
        "people.appointments.apply_due", "planning_remind", "reports.retention_daily",
        "weekly_digests"]


def test_an_absence_alerts_the_parents_once_and_a_rollback_sends_nothing(mail_app, smtp):
    inbox, _port = smtp
    world = build(mail_app, prefix="ml")
    people = families(mail_app, world)
    with mail_app.app_context():  # BTT writes to parents of absent students (4.5.2)
        assert services.policy_value("notify.email_failing_or_absent")
    mark(mail_app, world, "teacher", TODAY, PETROV, "н", kind="attendance")
    mark(mail_app, world, "teacher", TODAY, KUZNETSOV, "5")  # a good mark: no alert
    queued = rows(mail_app)
    assert [(m.recipient, m.kind) for m in queued] == [("parent@family.example", "absence")]
    with mail_app.test_request_context():  # a change rolled back leaves nothing to send
        from plugins.attendance import services as attendance

        user = db.session.get(User, world.users["teacher"].id)
        attendance.save_cells(journal.get_load(world.ids["load"]), user, [{
            "lesson_id": world.lessons[TODAY], "student_id": world.students[KUZNETSOV],
            "value": "н", "version": None}])
        db.session.rollback()
    assert len(rows(mail_app)) == 1
    assert deliver(mail_app)["sent"] == 1 and deliver(mail_app)["sent"] == 0
    (recipients, message), = inbox.messages
    assert recipients == ["parent@family.example"]
    assert message["Subject"] == "Пропуск занятия: Петров А. И."
    assert message["Message-ID"].startswith(f"<{queued[0].message_id}@")
    assert "отсутствовал(а)" in message.get_content()
    assert people  # the other families got nothing
    mark(mail_app, world, "teacher", TODAY, FEDOROVA, "2")
    assert [m.kind for m in rows(mail_app)] == ["absence", "failing"]


def _digest_day(app, people, weekday: int) -> None:
    with app.app_context():
        for user in people.values():
            db.session.add(Preference(user_id=user.id, digest_weekday=weekday))
        db.session.commit()


def test_the_weekly_digest_holds_only_the_familys_children(mail_app, smtp):
    inbox, _port = smtp
    world = build(mail_app, prefix="dg")
    people = families(mail_app, world)
    for student, value in ((PETROV, "5"), (KUZNETSOV, "2"), (FEDOROVA, "4"), (SMIRNOVA, "3")):
        if student != SMIRNOVA:
            mark(mail_app, world, "admin", TODAY, student, value)
    day = world.dates[TODAY]
    _digest_day(mail_app, people, day.isoweekday())
    morning = datetime(day.year, day.month, day.day, 6, 0, tzinfo=UTC)  # 09:00 in Moscow
    with mail_app.test_request_context():
        assert services.queue_digests(morning - timedelta(hours=4)) == 0  # before 7:00
        assert services.queue_digests(morning) == 3
        assert services.queue_digests(morning) == 0  # once a week
    deliver(mail_app)
    received = {rcpts[0]: message for rcpts, message in inbox.messages
                if message["Subject"].startswith("Дневник за неделю")}
    assert set(received) == {"parent@family.example", "kuznetsov@family.example",
                             "smirnova@family.example"}
    names = {"parent@family.example": ("Петров", "Фёдорова"),
             "kuznetsov@family.example": ("Кузнецов",), "smirnova@family.example": ("Смирнова",)}
    everyone = {"Петров", "Фёдорова", "Кузнецов", "Смирнова"}
    for address, message in received.items():
        html = message.get_body(("html",)).get_content()
        text = message.get_body(("plain",)).get_content()
        for body in (html, text):
            assert all(name in body for name in names[address])
            assert not any(name in body for name in everyone - set(names[address])), address
        assert "https://journal.example/notify/open/" in text
        assert "https://journal.example/notify/unsubscribe/" in text
        assert message["List-Unsubscribe"].strip().startswith("<https://journal.example/notify/")
    kuznetsov = received["kuznetsov@family.example"].get_body(("plain",)).get_content()
    assert "[2]" in kuznetsov and "[5]" not in kuznetsov


def test_unsubscribe_and_preferences(mail_app, smtp):
    world = build(mail_app, prefix="un")
    people = families(mail_app, world)
    user = people["parent"]
    with mail_app.test_request_context():
        url = services.unsubscribe_url(user.id).replace("https://journal.example", "")
    client = mail_app.test_client()
    assert client.get(url).status_code == 200
    assert client.get(url[:-3] + "xyz").status_code == 404  # a forged token
    assert client.post(url).status_code == 200
    _digest_day(mail_app, {"k": people["kuznetsov"]}, world.dates[TODAY].isoweekday())
    _digest_day(mail_app, {"s": people["smirnova"]}, 0)  # not left to the policy's weekday
    with mail_app.app_context():
        assert db.session.get(Preference, user.id).unsubscribed
        day = world.dates[TODAY]
        db.session.get(Preference, user.id).digest_weekday = day.isoweekday()
        db.session.commit()
    with mail_app.test_request_context():
        services.queue_digests(datetime(day.year, day.month, day.day, 9, tzinfo=UTC))
    assert [m.recipient for m in rows(mail_app)] == ["kuznetsov@family.example"]
    signed = mail_app.test_client()
    signed.post("/auth/login", data={"login": user.login, "password": PASSWORD})
    saved = signed.post("/notify/preferences", data={"digest_weekday": "3", "alerts": "y"},
                        follow_redirects=True)
    assert "Настройки уведомлений сохранены" in saved.get_data(as_text=True)
    with mail_app.app_context():
        choice = db.session.get(Preference, user.id)
        assert (choice.digest_weekday, choice.alerts, choice.sms, choice.unsubscribed) == (
            3, True, False, False)
    bad = signed.post("/notify/preferences", data={"digest_weekday": "9"})
    assert bad.status_code == 422


def test_the_report_link_expires(mail_app, smtp, monkeypatch):
    world = build(mail_app, prefix="rl")
    people = families(mail_app, world)
    with mail_app.test_request_context():
        token = services.report_token(people["parent"].id, world.students[PETROV])
    client = mail_app.test_client()
    fresh = client.get(f"/notify/absence/{token}")
    assert fresh.status_code == 302
    assert fresh.headers["Location"].endswith(f"/attendance/students/{world.students[PETROV]}")
    assert client.get(f"/notify/absence/{token[:-2]}xx").status_code == 410
    import itsdangerous.timed

    later = time.time() + (services.REPORT_LINK_DAYS + 1) * 86400
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    expired = client.get(f"/notify/absence/{token}")
    assert expired.status_code == 410 and "Ссылка устарела" in expired.get_data(as_text=True)


def test_no_header_can_be_injected_through_a_subject(mail_app, smtp):
    inbox, _port = smtp
    with mail_app.app_context():
        outbox.enqueue("email", "parent@family.example", "inject",
                       subject="Оценка\r\nBcc: thief@evil.example", text="текст")
        db.session.commit()
        outbox.deliver_due()
    (recipients, message), = inbox.messages
    assert recipients == ["parent@family.example"] and message["Bcc"] is None
    assert message["Subject"] == "Оценка Bcc: thief@evil.example"


def test_a_failing_server_is_retried_with_back_off_then_failed_and_resent(mail_app, smtp):
    with mail_app.app_context():
        outbox.enqueue("email", "parent@family.example", "retry", subject="Тест", text="т")
        db.session.commit()
    mail_app.extensions["mail"].port = free_port()  # nobody listens there
    now = datetime.now(UTC)
    with mail_app.app_context():
        for _attempt in range(len(outbox.BACKOFF) + 1):
            outbox.deliver_due(now=now)
            message = db.session.scalar(select(outbox.OutboxMessage))
            now = message.not_before + timedelta(seconds=1)
        assert message.status == "failed" and message.attempts == len(outbox.BACKOFF) + 1
        assert message.last_error
    admin = mail_app.test_client()
    with mail_app.app_context():
        add_user("ml.admin", Role.ADMIN, "Админ", "А")
        db.session.commit()
    admin.post("/auth/login", data={"login": "ml.admin", "password": PASSWORD})
    page = admin.get("/admin/delivery?status=failed").get_data(as_text=True)
    assert "parent@family.example" in page
    assert admin.post(f"/admin/delivery/{message.id}/resend").status_code == 302
    assert rows(mail_app)[0].status == "pending"


@pytest.mark.committing
def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_at_most_one(make_app, tmp_path):
    inbox = Inbox(delay=0.05)
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        env = {**os.environ, "EJOURNAL_DATABASE_URL": f"sqlite:///{tmp_path / 'w.sqlite3'}",
               "EJOURNAL_INSTANCE_PATH": str(tmp_path / "instance"),
               "EJOURNAL_MAIL_PORT": str(controller.port), "EJOURNAL_MAIL_SERVER": "127.0.0.1",
               "EJOURNAL_SECRET_KEY": "worker-test"}
        app = make_app(DATABASE_URL=env["EJOURNAL_DATABASE_URL"],
                       INSTANCE_PATH=env["EJOURNAL_INSTANCE_PATH"], SECRET_KEY="worker-test")
        migrate.upgrade(app)
        with app.app_context():
            for number in range(40):
                outbox.enqueue("email", f"parent{number}@family.example", f"batch-{number}",
                               subject=f"Письмо {number}", text="Проверка")
            db.session.commit()
        command = [sys.executable, "-m", "core.cli", "worker"]
        first = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while len(inbox.messages) < 10 and time.time() < deadline:
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.wait()
        assert 10 <= len(inbox.messages) < 40  # killed in the middle of the batch
        second = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            deadline = time.time() + 60
            while time.time() < deadline:
                with app.app_context():
                    left = db.session.scalar(select(func.count()).select_from(
                        outbox.OutboxMessage).where(outbox.OutboxMessage.status != "sent"))
                if not left:
                    break
                time.sleep(0.1)
            assert left == 0
        finally:
            second.terminate()
            second.wait(timeout=20)
        ids = [message["Message-ID"] for _r, message in inbox.messages]
        assert len(set(ids)) == 40
        assert len(ids) - len(set(ids)) <= 1  # at most the one handed over when it died
    finally:
        controller.stop()



def test_every_kind_of_mail_passes_a_strict_server_with_long_lines(mail_app, smtp):
    """aiosmtpd with its default limits refuses a line over 1,000 bytes (RFC 5321 allows 998):
    every mail the journal writes is encoded so that no line of it comes near that, and the
    family reads exactly the text that was written."""
    inbox, _port = smtp
    world = build(mail_app, prefix="lg")
    people = families(mail_app, world)
    mark(mail_app, world, "teacher", TODAY, PETROV, "н", kind="attendance")  # the absence alert
    mark(mail_app, world, "teacher", TODAY, KUZNETSOV, "2")  # the failing-mark alert
    day = world.dates[TODAY]
    _digest_day(mail_app, people, day.isoweekday())
    with mail_app.test_request_context():
        assert services.queue_digests(datetime(day.year, day.month, day.day, 6, 0, tzinfo=UTC)) == 3
        long_text = "Домашнее задание: " + "повторить параграф, решить задачи; " * 60
        long_html = "<p>" + "<b>оценка</b> 5 по дисциплине «Математика»; " * 60 + "</p>"
        services.queue_mail("parent@family.example", "long-lines", subject="Длинное письмо",
                            text=long_text, html=long_html, kind="digest",
                            user_id=people["parent"].id)
        db.session.commit()
    kinds = {message.kind for message in rows(mail_app)}
    assert kinds == {"absence", "failing", "digest"}
    assert max(len(line) for line in long_text.encode().splitlines()) > 2000
    outcome = deliver(mail_app)
    assert outcome["sent"] == len(rows(mail_app)) == 6 and not outcome.get("failed"), outcome
    assert {m.status for m in rows(mail_app)} == {"sent"}
    assert len(inbox.messages) == 6
    for _recipients, message in inbox.messages:
        raw = message.as_bytes(policy=policy.SMTP)
        assert max(len(line) for line in raw.splitlines()) <= 78, message["Subject"]
        assert all(byte < 128 for byte in raw), message["Subject"]  # 7-bit: no 8BITMIME needed
    (longest,) = [m for _r, m in inbox.messages if m["Subject"] == "Длинное письмо"]
    # the server hands the body over with CRLF line ends: compare the lines
    assert longest.get_body(("plain",)).get_content().splitlines() == [long_text]
    assert longest.get_body(("html",)).get_content().splitlines() == [long_html]
