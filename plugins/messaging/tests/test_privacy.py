"""Property: whatever the conversations and letters, a family never sees one it is not in — not
on the page, not in the inbox or its search, not in the unread count, not a file, not a mail
(REQUIREMENTS A5, 152-ФЗ; like the digest's property test).

Each case draws thirty random acts: someone writes to a random person of their address book (or
to the administration), someone in a conversation answers, a curator or teacher writes a letter
to a group's parents or students. Then every family account opens every conversation.
"""

from __future__ import annotations

import io
import random
import re

import pytest
from sqlalchemy import select

from core import outbox
from core.extensions import db
from core.people import scope
from core.people.models import User
from plugins.messaging import letters, services
from plugins.messaging.models import Attachment, Message, Participant, Receipt, Thread
from plugins.messaging.tests.test_attachments import PDF
from tests.fixtures import signed_in

FAMILY = ("student", "student2", "student3", "parent", "parent2", "parent3")
WRITERS = (*FAMILY, "teacher", "english", "teacher2", "curator", "curator2", "deputy")
SECRET = "тайна"


class Upload:
    def __init__(self, name: str, content: bytes):
        self.filename, self._content = name, content

    def read(self, size: int = -1) -> bytes:
        return io.BytesIO(self._content).read(size)


def act(app, world, rng: random.Random) -> None:
    with app.test_request_context():
        who = rng.choice(WRITERS)
        user = db.session.get(User, world.id(who))
        roll = rng.random()
        threads = list(db.session.scalars(select(Thread.id)))
        if roll < 0.35 and threads:
            thread = db.session.get(Thread, rng.choice(threads))
            if services.may_read(user, thread):
                services.reply(user, thread, f"{SECRET} ответ {who}",
                               files=[Upload("скан.pdf", PDF)] if rng.random() < 0.2 else ())
        elif roll < 0.5 and who in ("curator", "curator2", "teacher", "teacher2", "deputy"):
            group = rng.choice([world.ids["isp"], world.ids["tm"]])
            allowed = scope.letter_group_ids(user)
            if allowed is None or group in allowed:
                letters.send(user, f"group:{group}:{rng.choice(scope.LETTER_KINDS)}",
                             f"Рассылка {who}", f"{SECRET} рассылка")
        else:
            book = sorted(scope.address_book(user).user_ids)
            options = [f"user:{u}" for u in book] + [
                "role:administration"] * scope.may_write_role(user, "administration")
            if options:
                services.start(user, rng.choice(options), f"Тема {who}", f"{SECRET} от {who}",
                               files=[Upload("справка.pdf", PDF)] if rng.random() < 0.2 else ())
        db.session.commit()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_family_ever_sees_a_conversation_it_is_not_in(app, world, seed):
    rng = random.Random(seed)
    for _ in range(30):
        act(app, world, rng)
    with app.app_context():
        threads = list(db.session.scalars(select(Thread.id).order_by(Thread.id)))
        members = {t: set(db.session.scalars(select(Participant.user_id)
                                             .where(Participant.thread_id == t)))
                   for t in threads}
        files = {a.id: a.message_id for a in db.session.scalars(
            select(Attachment).where(Attachment.message_id.is_not(None)))}
        role_threads = set(db.session.scalars(select(Thread.id).where(Thread.to_role.is_not(None))))
        holders = set(scope.role_holder_ids("administration"))
        thread_of = dict(db.session.execute(select(Message.id, Message.thread_id)).all())
        mails = db.session.execute(select(outbox.OutboxMessage.idempotency_key,
                                          outbox.OutboxMessage.user_id)
                                   .where(outbox.OutboxMessage.kind == "message")).all()
    assert len(threads) >= 15
    for key in FAMILY:
        user_id = world.id(key)
        mine = {t for t, people in members.items() if user_id in people}
        with app.test_request_context():
            unread = db.session.scalar(select(db.func.count(Message.id)).where(
                Message.thread_id.in_(mine or {0}), Message.author_id != user_id,
                ~select(Receipt.message_id).where(Receipt.message_id == Message.id,
                                                  Receipt.user_id == user_id).exists()))
            assert services.unread_count(db.session.get(User, user_id)) == unread, key
        client = signed_in(app, world.users[key])
        for thread_id in threads:
            status = client.get(f"/messages/{thread_id}").status_code
            assert status == (200 if thread_id in mine else 404), (key, thread_id)
        listed = set()
        for page in (1, 2, 3):
            html = client.get(f"/messages/?q={SECRET}&page={page}").get_data(as_text=True)
            listed |= {int(t) for t in re.findall(r'href="/messages/(\d+)"', html)}
        assert listed <= mine, key
        for file_id, message_id in files.items():
            status = client.get(f"/messages/file/{file_id}").status_code
            assert status == (200 if thread_of[message_id] in mine else 404), (key, file_id)
    assert mails
    for key, user_id in mails:  # every mail of a message went to a reader of its conversation
        thread_id = thread_of[int(key.split(":")[1])]
        assert user_id in members[thread_id] | (holders if thread_id in role_threads else set())

