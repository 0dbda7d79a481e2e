"""A new post mails each subscriber of its topic once, never its author, through the outbox and
a real SMTP server (aiosmtpd): a link to the post, not its text. The topic's author and those
who reply are subscribed automatically; anyone of the staff subscribes and unsubscribes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core import outbox
from core.extensions import db
from plugins.forum.tests.helpers import open_topic, reply
from plugins.forum.tests.world import build
from tests.fixtures import signed_in, user_maker
from tests.mail import deliver, text_and_link


@pytest.fixture
def mail_world(mail_app):
    return build(mail_app, user_maker(mail_app), prefix="fm")


def queued(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(outbox.OutboxMessage.recipient).where(
            outbox.OutboxMessage.channel == "email", outbox.OutboxMessage.kind == "forum")
            .order_by(outbox.OutboxMessage.id)))


def test_each_subscriber_is_mailed_once_and_the_author_never(mail_app, mail_world,
                                                             smtp):
    inbox, _port = smtp
    topic_id = open_topic(mail_app, mail_world, title="Методический день")
    assert queued(mail_app) == []  # only its author follows it yet
    post_id = reply(mail_app, mail_world, "teacher", topic_id, "Секретный текст ответа.")
    assert queued(mail_app) == ["director@college.example"]
    reply(mail_app, mail_world, "teacher2", topic_id, "И мой ответ.")
    assert queued(mail_app)[1:] == ["director@college.example", "teacher@college.example"]
    assert deliver(mail_app)["sent"] == 3
    assert deliver(mail_app)["sent"] == 0
    assert sorted(to for (to,), _mail in inbox.messages) == [
        "director@college.example", "director@college.example", "teacher@college.example"]
    (_to, first), *_rest = inbox.messages
    assert first["Subject"] == "Форум: новое сообщение в теме «Методический день»"
    text, link = text_and_link(first, "Секретный текст")
    assert "Васильев П. ответил(а) в теме «Методический день»" in text
    assert link == f"/forum/p/{post_id}"
    client = signed_in(mail_app, mail_world.users["director"])
    opened = client.get(link)
    assert opened.status_code == 302 and opened.headers["Location"].endswith(
        f"/forum/t/{topic_id}?page=1#post-{post_id}")


def test_a_replayed_event_mails_nobody_twice(mail_app, mail_world):
    from plugins.forum.events import ForumPostCreated
    from plugins.notify_email.forum import on_forum_post

    topic_id = open_topic(mail_app, mail_world)
    post_id = reply(mail_app, mail_world, "teacher", topic_id)
    with mail_app.test_request_context():
        on_forum_post(ForumPostCreated(
            post_id=post_id, topic_id=topic_id, topic_title="x",
            author_id=mail_world.id("teacher"), author_name="x",
            recipient_ids=(mail_world.id("director"),) * 2 + (mail_world.id("teacher"),),
            endpoint="forum.post", values={"post_id": post_id},
            key=f"forum-post:{post_id}"))
        db.session.commit()
    assert queued(mail_app) == ["director@college.example"]


def test_staff_subscribe_and_unsubscribe_on_the_topic_page(mail_app, mail_world):
    topic_id = open_topic(mail_app, mail_world)
    deputy = signed_in(mail_app, mail_world.users["deputy"])
    assert "Подписаться на тему" in deputy.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert deputy.post(f"/forum/t/{topic_id}/subscription", data={"value": "1"}).status_code \
        == 302
    assert "Отписаться от темы" in deputy.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    director = signed_in(mail_app, mail_world.users["director"])
    director.post(f"/forum/t/{topic_id}/subscription", data={"value": "0"})
    reply(mail_app, mail_world, "teacher", topic_id)
    assert queued(mail_app) == ["deputy@college.example"]
    parent = signed_in(mail_app, mail_world.users["parent"])
    assert parent.post(f"/forum/t/{topic_id}/subscription",
                       data={"value": "1"}).status_code == 404
