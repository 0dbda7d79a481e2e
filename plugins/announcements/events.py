"""The announcements' domain events (``core.events``). The notification channels, which do not
require this plugin, match them by ``name`` and read these fields; the link is
``url_for(endpoint, **values)``, never the announcement's text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.events import RecipientsEvent


@dataclass(frozen=True)
class AnnouncementPublished(RecipientsEvent):
    """An announcement (``kind`` "notice" or "event", with ``when`` and ``place`` as shown for an
    event) is to be mailed once, by ``key``, to each of ``recipient_ids``."""

    name: ClassVar[str] = "announcement.published"
    announcement_id: int
    title: str
    kind: str
    when: str
    place: str
    key: str
