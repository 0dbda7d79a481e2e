"""The test plugin's domain event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.events import DomainEvent


@dataclass(frozen=True)
class Happened(DomainEvent):
    """Something happened in a test: ``what``."""

    name: ClassVar[str] = "test.happened"
    what: str
