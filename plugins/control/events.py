"""The control's domain events (``core.events``). The notification channels, which do not
require this plugin, match them by ``name`` and read these fields; a link is
``url_for(endpoint, **values)``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.events import RecipientsEvent


@dataclass(frozen=True)
class CheckSigned(RecipientsEvent):
    """``checker_name`` signed the check ``title``: each of ``recipient_ids`` (the director where
    the policy reports results to them, the teachers and curators its remarks concern) is told
    once, by ``key``."""

    name: ClassVar[str] = "control.check.signed"
    check_id: int
    title: str
    checker_name: str
    key: str


@dataclass(frozen=True)
class OpenGaps(RecipientsEvent):
    """The weekly list of a teacher's own open gaps (``recipient_ids``: that teacher): ``lines``
    are the gaps as shown («ИСП-21 · Математика: занятия без темы — 3»), ``period`` the days
    looked at; once a week by ``key``."""

    name: ClassVar[str] = "control.gaps.weekly"
    teacher_id: int
    period: str
    lines: tuple[str, ...]
    key: str
