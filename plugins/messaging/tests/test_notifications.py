"""Notifications of new messages through the core outbox, against a real SMTP server
(aiosmtpd): once per message and recipient, only to those the conversation concerns, with a link
that opens it after sign-in; the family's preferences decide which messages reach them, and SMS
go out where the preset and the preferences allow."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core import migrate, outbox
from core.extensions import db
from core.people.models import User
from plugins.messaging.tests.conftest import NOON
from plugins.messaging.tests.helpers import answer, write
from plugins.messaging.tests.world import build
from plugins.notify_email.models import Preference
from tests.mail import deliver, text_and_link


@pytest.fixture
def mail_world(mail_app, clock):
    clock.set(NOON, tick=True)
    return build(mail_app, NOON.date())


def queued(app, channel: str = "email") -> list[tuple[str, str, str]]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(outbox.OutboxMessage.recipient, outbox.OutboxMessage.kind,
                   outbox.OutboxMessage.subject).where(outbox.OutboxMessage.channel == channel)
            .order_by(outbox.OutboxMessage.id))]


def test_a_new_message_reaches_the_recipient_once_by_mail_with_a_link_to_it(
        mail_app, mail_world, smtp):
    inbox, _port = smtp
    thread_id = write(mail_app, mail_world, "parent", "teacher", "Пересдача",
                      "Секретный текст, которому не место в почте.")
    assert queued(mail_app) == [("teacher@college.example", "message", "Новое сообщение: Пересдача")]
    assert deliver(mail_app)["sent"] == 1
    assert deliver(mail_app)["sent"] == 0
    (recipients, mail), = inbox.messages
    assert recipients == ["teacher@college.example"]
    assert mail["Subject"] == "Новое сообщение: Пересдача"
    text, link = text_and_link(mail, "Секретный текст")
    assert "Петрова М. написал(а) вам" in text
    assert link == f"/messages/{thread_id}"

    client = mail_app.test_client()  # the link opens the conversation after sign-in
    response = client.get(link)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    response = client.post(response.headers["Location"], data={
        "login": mail_world.users["teacher"].login, "password": "secret-pass-1"})
    assert response.status_code == 302 and response.headers["Location"].endswith(link)
    assert "Секретный текст" in client.get(link).get_data(as_text=True)


def test_a_replayed_event_queues_nothing_more(mail_app, mail_world):
    from plugins.messaging.events import MessageSent
    from plugins.notify_email import services

    write(mail_app, mail_world, "parent", "teacher")
    with mail_app.test_request_context():
        row = db.session.scalar(select(outbox.OutboxMessage))
        message_id = int(row.idempotency_key.split(":")[1])
        services.on_message(MessageSent(
            message_id=message_id, thread_id=0, author_id=0,
            recipient_ids=(mail_world.id("teacher"),) * 2, author_name="x", subject="x",
            letter=False, endpoint="messaging.inbox", values={}))
        db.session.commit()
    assert len(queued(mail_app)) == 1


def test_the_answer_reaches_the_parent_and_nobody_outside_the_conversation(mail_app,
                                                                           mail_world):
    thread_id = write(mail_app, mail_world, "parent", "teacher")
    answer(mail_app, mail_world, "teacher", thread_id, "Приходите во вторник.")
    assert [r for r, _k, _s in queued(mail_app)] == ["teacher@college.example",
                                                     "parent@family.example"]


def test_a_message_to_the_administration_reaches_its_members_until_one_takes_it(mail_app,
                                                                                mail_world):
    thread_id = write(mail_app, mail_world, "parent", "role:administration", "Справка")
    assert sorted(r for r, _k, _s in queued(mail_app)) == [
        f"{key}@college.example" for key in ("admin", "deputy", "director", "methodist")]
    answer(mail_app, mail_world, "deputy", thread_id)
    before = len(queued(mail_app))
    answer(mail_app, mail_world, "parent", thread_id, "Спасибо!")
    assert queued(mail_app)[before:] == [
        ("deputy@college.example", "message", "Новое сообщение: Справка")]


def test_a_letter_reaches_every_family_of_the_group_once_and_none_outside(mail_app, mail_world,
                                                                          smtp):
    inbox, _port = smtp
    with mail_app.test_request_context():
        from plugins.messaging import letters

        curator = db.session.get(User, mail_world.id("curator"))
        letters.send(curator, f"group:{mail_world.ids['isp']}:parents", "Собрание",
                     "В четверг в 18:00.")
        db.session.commit()
    assert deliver(mail_app)["sent"] == 2
    assert sorted(r for rcpts, _m in inbox.messages for r in rcpts) == [
        "parent2@family.example", "parent@family.example"]


@pytest.mark.parametrize(("choice", "personal", "letter"), [
    ("all", True, True), ("personal", True, False), ("none", False, False)])
def test_the_familys_preferences_say_which_messages_notify_them(app, world, choice, personal,
                                                                letter):
    with app.app_context():
        db.session.add(Preference(user_id=world.id("parent2"), digest_weekday=5, alerts=True,
                                  sms=True, unsubscribed=False, messages=choice))
        db.session.commit()
    write(app, world, "teacher", "parent2", "Успеваемость")
    with app.test_request_context():
        from plugins.messaging import letters

        letters.send(db.session.get(User, world.id("curator")),
                     f"group:{world.ids['isp']}:parents", "Собрание", "В четверг.")
        db.session.commit()
    mine = [s for r, _k, s in queued(app) if r == "parent2@family.example"]
    assert ("Новое сообщение: Успеваемость" in mine) is personal
    assert ("Новое сообщение: Собрание" in mine) is letter


def test_the_preferences_page_offers_the_choice(app, world):
    from tests.fixtures import signed_in

    client = signed_in(app, world.users["parent"])
    page = client.get("/notify/preferences").get_data(as_text=True)
    assert "Письмо о новом сообщении в журнале" in page
    client.post("/notify/preferences", data={"digest_weekday": "5", "alerts": "y",
                                             "messages": "personal", "messages_sms": "y"})
    with app.app_context():
        saved = db.session.get(Preference, world.id("parent"))
        assert (saved.messages, saved.messages_sms) == ("personal", True)


def test_sms_go_where_the_preset_and_the_familys_preferences_allow(make_app, tmp_path, clock):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'sms.sqlite3'}", WORKER_WAKE=False,
                   SMS_GATEWAY_URL="http://127.0.0.1:9/send")
    migrate.upgrade(app)
    clock.set(NOON, tick=True)
    world = build(app, NOON.date())
    with app.app_context():
        db.session.add(Preference(user_id=world.id("parent"), digest_weekday=5, alerts=True,
                                  sms=True, unsubscribed=False, messages="all",
                                  messages_sms=True))
        db.session.commit()
    write(app, world, "teacher", "parent", "Успеваемость")
    write(app, world, "teacher", "parent2", "Успеваемость")  # parent2 did not ask for SMS
    sms = queued(app, "sms")
    assert sms == [("+79000000000", "message", "")]
    with app.app_context():
        text = db.session.scalar(select(outbox.OutboxMessage.body_text).where(
            outbox.OutboxMessage.channel == "sms"))
    assert text.startswith("Новое сообщение в электронном журнале от Васильев П.")
    ktis = make_app(POLICY="ktis", DATABASE_URL=f"sqlite:///{tmp_path / 'ktis.sqlite3'}",
                    WORKER_WAKE=False)  # no gateway: no SMS at all
    migrate.upgrade(ktis)
    world = build(ktis, NOON.date())
    with ktis.app_context():
        db.session.add(Preference(user_id=world.id("parent"), digest_weekday=5, alerts=True,
                                  sms=True, unsubscribed=False, messages_sms=True))
        db.session.commit()
    write(ktis, world, "teacher", "parent")
    assert queued(ktis, "sms") == []
