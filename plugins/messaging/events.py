"""The messaging plugin's domain events (``core.events``). Subscribers that do not require
messaging (the notification channels) match them by ``name`` and read these fields; the link
to the conversation is ``url_for(endpoint, **values)``. Never the message's text: it stays
in the journal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from core.events import RecipientsEvent


@dataclass(frozen=True)
class MessageEvent(RecipientsEvent):
    """A message of a conversation (``subject``) that each of ``recipient_ids`` is to be told
    of once."""

    message_id: int
    thread_id: int
    subject: str


@dataclass(frozen=True)
class MessageSent(MessageEvent):
    """``author_name`` wrote in a conversation (a letter to many when ``letter``)."""

    name: ClassVar[str] = "message.sent"
    author_id: int
    author_name: str
    letter: bool


@dataclass(frozen=True)
class MessageReminder(MessageEvent):
    """A message awaits an answer due on ``due_on``: whoever is to answer is reminded."""

    name: ClassVar[str] = "message.reminder"
    due_on: date
