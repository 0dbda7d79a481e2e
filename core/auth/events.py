"""The sign-in's domain event: the core emits it, plugins (usage monitoring) listen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class SignedIn(DomainEvent):
    """``user_id`` signed in with a password at ``at`` (UTC)."""

    name: ClassVar[str] = "auth.signed_in"
    user_id: int
