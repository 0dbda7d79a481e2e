"""The helpdesk's domain events (``core.events``). The notification channels, which do not
require the helpdesk, match them by ``name`` and read these fields; the link to the request is
``url_for(endpoint, **values)``, never the text of the answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.events import RecipientsEvent


@dataclass(frozen=True)
class RequestStatusChanged(RecipientsEvent):
    """The administration moved request ``number`` («``subject``») to ``status`` (its Russian
    title ``status_title``): its author (``recipient_ids``) is told once, by ``key``."""

    name: ClassVar[str] = "helpdesk.request.changed"
    request_id: int
    number: int
    subject: str
    status: str
    status_title: str
    key: str
