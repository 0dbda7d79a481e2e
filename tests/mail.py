"""Mail against a real SMTP server (aiosmtpd) on a free local port (a pytest plugin of the root
conftest.py).

``smtp`` is that server: ``(inbox, port)``, the :class:`Inbox` collecting ``(recipients,
message)`` pairs. ``mail_app`` is a migrated app on a SQLite file of its own whose mail goes
there, with links to ``https://journal.example`` and no worker woken after a commit: the test
hands the outbox over with ``deliver(app)``. ``text_and_link(mail, secret)`` reads a mail that
links into the journal instead of carrying ``secret``.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from core import migrate, outbox


class Inbox:
    """Collects what the SMTP server receives; ``delay`` slows each message down."""

    def __init__(self, delay: float = 0.0):
        self.messages = []
        self.delay = delay
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append((envelope.rcpt_tos, parsed))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


def app_mailing_to(make_app, tmp_path, port: int, **config) -> Flask:
    """A migrated app on its own SQLite file (a worker process must see committed data) whose
    mail goes to the SMTP server on ``port``."""
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'mail.sqlite3'}", MAIL_PORT=port,
                   MAIL_SERVER="127.0.0.1", PUBLIC_URL="https://journal.example",
                   MAIL_SUPPRESS_SEND=False, **config)
    migrate.upgrade(app)
    return app


@pytest.fixture
def mail_app(make_app, tmp_path, smtp) -> Flask:
    """An app whose mail goes to ``smtp``; the outbox is delivered by ``deliver(app)`` only."""
    _inbox, port = smtp
    return app_mailing_to(make_app, tmp_path, port, WORKER_WAKE=False)


def deliver(app: Flask) -> dict:
    """Deliver what the outbox holds now, as the worker would (in a request context)."""
    with app.test_request_context():
        return outbox.deliver_due()


def text_and_link(mail, secret: str) -> tuple[str, str]:
    """The plain text of ``mail`` and the path of its first link into the journal; asserts
    that ``secret`` is not in the text (it stays inside the journal)."""
    text = mail.get_body(("plain",)).get_content()
    assert secret not in text
    return text, re.search(r"https://journal\.example(/\S+)", text).group(1)
