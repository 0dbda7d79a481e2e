"""The early warning's domain event (``core.events``). The notification channels, which do not
require this plugin, match it by ``name`` and read these fields; the link is
``url_for(endpoint, **values)``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.events import RecipientsEvent


@dataclass(frozen=True)
class WeeklyWarnings(RecipientsEvent):
    """The weekly list of a curator's students at risk (``recipient_ids``: that curator):
    ``lines`` are the students as the page shows them («Иванов И. И. — 2: Математика: прогноз:
    неудовлетворительно; …»), ``group`` the group's name, ``day`` the day looked at; once a week
    by ``key``."""

    name: ClassVar[str] = "forecast.warnings.weekly"
    curator_id: int
    group: str
    day: str
    lines: tuple[str, ...]
    key: str
