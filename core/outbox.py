"""Notifications to send: one row per (channel, recipient, idempotency key), written in the same
transaction as the change that causes it (DESIGN §5).

A rolled-back change leaves no row, so nothing is sent. The worker claims due rows (status
"sending", committed) before handing them to their channel and marks them "sent" after; a worker
killed in between leaves the row "sending", and the next run sends it again with the same
``message_id`` (the Message-ID of a mail, the client id of an SMS through an HTTP gateway), so a
mail client or gateway collapses the repeat (plain SMPP carries no such id: there a repeat after a
crash may reach the phone twice). Failures are retried with back-off and end "failed", visible to the
administrator, who may resend.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import LazyString
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models import UTCDateTime, utcnow
from core.plugins import hook

log = logging.getLogger(__name__)

#: waits before the 2nd, 3rd, ... attempt; after the last the message is "failed"
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
           timedelta(hours=2), timedelta(hours=12))
#: a row left "sending" this long is taken to belong to a worker that died
STALE_CLAIM = timedelta(minutes=10)
QUEUED = "ejournal.outbox.queued"


class OutboxMessage(db.Model):
    __tablename__ = "core_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(254))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), index=True)
    student_id: Mapped[int | None] = mapped_column(ForeignKey("core_student.id"), index=True)
    subject: Mapped[str] = mapped_column(String(300), default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    #: the channel's prepared form (a mail's MIME document), built when queued so that the worker
    #: only hands it over
    payload: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    not_before: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(String(500), default="")
    message_id: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (
        UniqueConstraint("channel", "recipient", "idempotency_key"),
        Index("ix_core_outbox_due", "status", "not_before"),
    )


@dataclass(frozen=True)
class Channel:
    """A way to deliver messages, provided through ``notification_channels``.

    ``open()`` returns a context manager yielding ``send(message)``, which delivers one
    ``OutboxMessage`` or raises (one connection serves a whole run of the worker);
    ``defer(message, at)`` may return a later instant to send it (quiet hours, a daily cap), or
    ``None`` to send now. ``title`` names it for people («SMS», «электронная почта»).
    """

    name: str
    open: Callable[[], AbstractContextManager[Callable[[OutboxMessage], None]]]
    defer: Callable[[OutboxMessage, datetime], datetime | None] | None = None
    title: str | LazyString = ""


def channels() -> dict[str, Channel]:
    return {channel.name: channel for batch in hook().notification_channels()
            for channel in batch or ()}


def family_channel_titles() -> list[str]:
    """The channels families are informed by: those of the policy (``notify.channels``) that an
    enabled plugin provides, in the policy's order, as people name them."""
    from core.policy import policy_value

    provided = channels()
    return [str(provided[name].title or name) for name in policy_value("notify.channels")
            if name in provided]


def enqueue(channel: str, recipient: str, key: str, *, subject: str = "", text: str = "",
            html: str = "", kind: str = "", user_id: int | None = None,
            student_id: int | None = None, not_before: datetime | None = None
            ) -> OutboxMessage | None:
    """Add a message to the outbox in the current transaction, once per (channel, recipient,
    key): a second call with the same key adds nothing and returns ``None``."""
    if is_queued(channel, recipient, key):
        return None
    message = OutboxMessage(channel=channel, recipient=recipient, idempotency_key=key[:200],
                            kind=kind, user_id=user_id, student_id=student_id,
                            subject=" ".join(subject.split())[:300],  # never a line break
                            body_text=text, body_html=html,
                            not_before=not_before or utcnow())
    message.message_id = _message_id(channel, recipient, key)
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:  # a concurrent transaction queued the same message first
        return None
    db.session.info[QUEUED] = True  # the worker is woken once this commits
    return message


def is_queued(channel: str, recipient: str, key: str) -> bool:
    """Whether this message is already in the outbox (to skip building it again)."""
    return db.session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.channel == channel, OutboxMessage.recipient == recipient,
        OutboxMessage.idempotency_key == key[:200])) is not None


def _message_id(channel: str, recipient: str, key: str) -> str:
    digest = hashlib.sha256(f"{channel}\n{recipient}\n{key}".encode()).hexdigest()[:32]
    return f"ej-{digest}"


def _claim(limit: int, now: datetime) -> list[OutboxMessage]:
    """Mark due messages "sending" and commit, so that no other worker takes them; return them
    detached from the session (the run records each result with a plain UPDATE)."""
    stale = now - STALE_CLAIM
    found = list(db.session.scalars(
        select(OutboxMessage)
        .where(((OutboxMessage.status == "pending") & (OutboxMessage.not_before <= now))
               | ((OutboxMessage.status == "sending") & (OutboxMessage.claimed_at <= stale)))
        .order_by(OutboxMessage.not_before, OutboxMessage.id).limit(limit)))
    for message in found:
        message.status, message.claimed_at = "sending", now
    db.session.flush()
    for message in found:  # kept as they are now: the commit would expire them
        db.session.expunge(message)
    db.session.commit()
    return found


def deliver_due(limit: int = 500, now: datetime | None = None) -> dict[str, int]:
    """Send what is due, one message at a time, recording each result at once (a commit a
    message: a worker that dies repeats at most the message it was handing over)."""
    now = now or utcnow()
    counts = {"sent": 0, "retry": 0, "failed": 0, "deferred": 0}
    claimed = _claim(limit, now)
    if not claimed:
        return counts
    with ExitStack() as stack:
        _deliver(claimed, now, channels(), stack, counts)
    return counts


def _clock(now: datetime) -> Callable[[], datetime]:
    """The run's clock: ``now`` plus the time the run has taken (``now`` may be given)."""
    started = utcnow()
    return lambda: now + (utcnow() - started)


def _record(message: OutboxMessage, **values: Any) -> None:
    """Record one result and commit at once, through the table (no ORM work per message)."""
    table = OutboxMessage.__table__
    db.session.connection().execute(update(table).where(table.c.id == message.id), values)
    db.session.commit()


def _deliver(claimed: list[OutboxMessage], now: datetime, known: dict[str, Channel],
             stack: ExitStack, counts: dict[str, int]) -> None:
    senders: dict[str, Callable[[OutboxMessage], None]] = {}
    clock = _clock(now)
    for message in claimed:
        channel = known.get(message.channel)
        later = channel.defer(message, clock()) if channel and channel.defer else None
        if later is not None:
            _record(message, status="pending", not_before=later, claimed_at=None)
            counts["deferred"] += 1
            continue
        try:
            if channel is None:
                raise RuntimeError(f"канал «{message.channel}» не подключён")
            if channel.name not in senders:
                senders[channel.name] = stack.enter_context(channel.open())
            senders[channel.name](message)
        except Exception as exc:  # any failure of a channel is recorded, not raised
            log.warning("outbox %s via %s failed: %s", message.id, message.channel, exc)
            senders.pop(message.channel, None)  # the next message opens a fresh connection
            attempts = message.attempts + 1
            failed = attempts > len(BACKOFF)
            _record(message, attempts=attempts, last_error=str(exc)[:500], claimed_at=None,
                    status="failed" if failed else "pending",
                    not_before=message.not_before if failed else now + BACKOFF[attempts - 1])
            counts["failed" if failed else "retry"] += 1
        else:
            _record(message, status="sent", sent_at=clock(), last_error="",
                    attempts=message.attempts + 1)
            counts["sent"] += 1


def release_claims() -> int:
    """At a worker's start: messages left "sending" by a worker that died are due again (one
    worker process runs; a message it had handed over may repeat, with the same message id)."""
    found = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "sending")).all()
    for message in found:
        message.status, message.claimed_at = "pending", None
    db.session.commit()
    return len(found)


def resend(message_id: int, actor: Any = None) -> OutboxMessage:
    """The administrator sends a failed message again (audited)."""
    from core import audit
    from core.errors import NotFound

    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.status not in ("failed", "sent"):
        raise NotFound("Такого сообщения нет или его нельзя отправить повторно.")
    before = message.status
    message.status, message.attempts, message.not_before = "pending", 0, utcnow()
    message.last_error, message.claimed_at = "", None
    audit.record("outbox.resend", message, before={"status": before}, after={"status": "pending"},
                 actor=actor)
    return message

