"""The forum's domain events (``core.events``). The notification channels, which do not require
the forum, match them by ``name`` and read these fields; the link to the post is
``url_for(endpoint, **values)``, never its text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.events import RecipientsEvent


@dataclass(frozen=True)
class ForumPostCreated(RecipientsEvent):
    """``author_name`` replied in the topic ``topic_title``: each of ``recipient_ids`` (the
    topic's subscribers but the author) is told once, by ``key``."""

    name: ClassVar[str] = "forum.post.created"
    post_id: int
    topic_id: int
    topic_title: str
    author_id: int
    author_name: str
    key: str
