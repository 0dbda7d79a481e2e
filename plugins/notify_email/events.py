"""The mail channel's domain event: a parent followed a digest's link (usage monitoring listens)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class DigestOpened(DomainEvent):
    """``user_id`` followed the diary link of ``student_id`` in a weekly digest at ``at`` (UTC).
    The link is followed without signing in, so this is the only trace of a family that reads
    the digest but never signs in."""

    name: ClassVar[str] = "notify_email.digest_opened"
    user_id: int
    student_id: int
