"""The КТП's domain events (``core.events``). The notification channels, which do not require
planning, match them by ``name`` and read these fields; the link to the plan is
``url_for(endpoint, **values)``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from core.events import RecipientsEvent


@dataclass(frozen=True)
class PlanStateChanged(RecipientsEvent):
    """The plan of ``journal_title`` («ИСП-21 · ОП.04 Основы алгоритмизации») went from
    ``from_state`` to ``state`` (``state_title`` as shown) by ``actor_name``; ``comment`` is the
    approver's when it was returned. Told once to each of ``recipient_ids`` (the teacher), by
    ``key``."""

    name: ClassVar[str] = "planning.plan.changed"
    plan_id: int
    load_id: int
    from_state: str
    state: str
    state_title: str
    journal_title: str
    actor_name: str
    comment: str
    key: str


@dataclass(frozen=True)
class PlanReminder(RecipientsEvent):
    """The plan of ``journal_title`` is not submitted and is due by ``deadline``: the teacher
    (``recipient_ids``) is reminded once per load and deadline (``key``)."""

    name: ClassVar[str] = "planning.plan.reminder"
    load_id: int
    journal_title: str
    deadline: date
    key: str
