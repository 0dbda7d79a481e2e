"""The messaging plugin's domain events (``core.events``). Subscribers that do not require
messaging (the notification channels) match them by ``name`` and read these fields; the link
to the conversation is ``url_for(endpoint, **values)``. Never the message's text: it stays
in the journal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from core.events import DomainEvent


@dataclass(frozen=True)
class MessageSent(DomainEvent):
    """``author_name`` wrote in a conversation (a letter to many when ``letter``); each of
    ``recipient_ids`` is to be told once."""

    name: ClassVar[str] = "message.sent"
    message_id: int
    thread_id: int
    author_id: int
    author_name: str
    subject: str
    recipient_ids: tuple[int, ...]
    letter: bool
    endpoint: str
    values: dict[str, int]


@dataclass(frozen=True)
class MessageReminder(DomainEvent):
    """A message awaits an answer due on ``due_on``: ``recipient_ids`` are reminded once."""

    name: ClassVar[str] = "message.reminder"
    message_id: int
    thread_id: int
    subject: str
    due_on: date
    recipient_ids: tuple[int, ...]
    endpoint: str
    values: dict[str, int]
