"""Domain events: raised during a transaction, handled in it or only after it commits.

An event is a frozen dataclass derived from :class:`DomainEvent`, declared by the plugin that
raises it (``plugins/grading/events.py``: ``GradePosted(mark_id=..., lesson_id=..., ...)``)
with a dotted ``name`` ("grade.posted"). ``emit(GradePosted(...))`` queues it in the session.
Before commit, ``in_transaction`` handlers run (they may write rows, e.g. outbox rows, that
commit with the change); after commit, ``after_commit`` handlers run. A rollback drops the
events, so nothing is announced that did not happen.

A handler subscribes by the event's class or by its name (``EventHandler``): a plugin that does
not require the event's owner matches the name and reads the fields the owner documents, so it
never imports a plugin it may run without.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from core.extensions import db
from core.models import utcnow
from core.plugins import hook
from core.plugins.types import EventHandler

log = logging.getLogger(__name__)
_QUEUED = "ejournal.events.queued"
_COMMITTED = "ejournal.events.committed"


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """The base of every domain event: a subclass sets ``name`` and declares its fields, which
    carry what subscribers need to show (texts as shown, titles, days), not only ids."""

    name: ClassVar[str] = ""
    at: datetime = field(default_factory=utcnow)


@dataclass(frozen=True, kw_only=True)
class RecipientsEvent(DomainEvent):
    """An event each of ``recipient_ids`` is to be told of once, with a link to what it is about:
    ``url_for(endpoint, **values)`` (a notification channel builds the address, never the text of
    what it links to)."""

    recipient_ids: tuple[int, ...]
    endpoint: str
    values: dict[str, int]


def emit(raised: DomainEvent, session: Session | None = None) -> DomainEvent:
    """Queue the domain event ``raised`` in the current transaction."""
    if not isinstance(raised, DomainEvent) or not raised.name:
        raise TypeError(f"emit() takes a named DomainEvent, not {raised!r}")
    session = session or db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback, even before any SQL, drops the event
    session.info.setdefault(_QUEUED, []).append(raised)
    return raised


def handlers(phase: str) -> list[EventHandler]:
    """The app's event handlers of one phase, cached on the app."""
    cache = current_app.extensions.setdefault("ejournal.event_handlers", {})
    if phase not in cache:
        found = [h for batch in hook().event_handlers() for h in batch]
        cache["in_transaction"] = [h for h in found if h.phase == "in_transaction"]
        cache["after_commit"] = [h for h in found if h.phase == "after_commit"]
    return cache[phase]


def _matching(phase: str, raised: DomainEvent) -> list[EventHandler]:
    return [h for h in handlers(phase) if h.event_name in (raised.name, "*")]


def run_in_transaction(session: Session) -> None:
    """Run the in-transaction handlers of the queued events (called just before commit)."""
    if not has_app_context():
        return
    # handlers may emit further events; run until the queue is drained
    while queued := session.info.pop(_QUEUED, None):
        session.info.setdefault(_COMMITTED, []).extend(queued)
        for raised in queued:
            for handler in _matching("in_transaction", raised):
                handler.handler(raised)
        session.flush()


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    done = session.info.pop(_COMMITTED, [])
    if not done or not has_app_context():
        return
    for raised in done:
        for handler in _matching("after_commit", raised):
            try:
                handler.handler(raised)
            except Exception:  # a subscriber's failure must not undo a committed change
                log.exception("after-commit handler for %s failed", raised.name)


@event.listens_for(Session, "after_soft_rollback")
def _drop_on_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is not None:
        return  # a savepoint rolled back: the outer transaction's events still stand
    session.info.pop(_QUEUED, None)
    session.info.pop(_COMMITTED, None)
