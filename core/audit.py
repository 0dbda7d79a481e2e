"""The append-only, hash-chained audit log (DESIGN §5, 152-ФЗ).

``record()`` queues an entry in the current session; just before commit the entries are chained
(each row stores the previous row's hash and the SHA-256 of its own content) and inserted.
``verify()`` walks the chain and names the first row that was changed or removed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import JSON, String, Text, event, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.extensions import db
from core.models import UTCDateTime, utcnow

GENESIS = "0" * 64
_PENDING = "ejournal.audit.pending"


class AuditEntry(db.Model):
    __tablename__ = "core_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor_id: Mapped[int | None] = mapped_column(index=True)
    actor_login: Mapped[str | None] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(80), index=True)
    target_type: Mapped[str | None] = mapped_column(String(60))
    target_id: Mapped[str | None] = mapped_column(String(60))
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    ip: Mapped[str | None] = mapped_column(String(45))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    note: Mapped[str | None] = mapped_column(Text)

    def content(self) -> dict[str, Any]:
        return _content({name: getattr(self, name) for name in CONTENT_FIELDS})


class AuditHead(db.Model):
    """The chain's newest row, kept apart so that removing the last rows is noticed too."""

    __tablename__ = "core_audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int]
    last_hash: Mapped[str] = mapped_column(String(64))


CONTENT_FIELDS = (
    "at", "actor_id", "actor_login", "action", "target_type", "target_id",
    "before", "after", "ip", "note",
)


def _content(values: dict[str, Any]) -> dict[str, Any]:
    return {**values, "at": values["at"].isoformat(timespec="microseconds")}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def entry_hash(prev_hash: str, content: dict[str, Any]) -> str:
    payload = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}|{payload}".encode()).hexdigest()


def record(
    action: str,
    target: Any = None,
    *,
    before: Any = None,
    after: Any = None,
    note: str | None = None,
    actor: Any = None,
    session: Session | None = None,
) -> None:
    """Queue an audit entry in the current transaction; it is written only if that commits.

    ``target`` is a model instance (its class name and id are kept) or a ``(type, id)`` pair.
    ``actor`` defaults to the signed-in user.
    """
    if actor is None and has_request_context() and current_user and current_user.is_authenticated:
        actor = current_user
    if isinstance(target, tuple):
        target_type, target_id = target
    elif target is not None:
        target_type, target_id = type(target).__name__, getattr(target, "id", None)
    else:
        target_type = target_id = None
    entry = {
        "at": utcnow(),
        "actor_id": getattr(actor, "id", None),
        "actor_login": getattr(actor, "login", None),
        "action": action,
        "target_type": target_type,
        "target_id": None if target_id is None else str(target_id),
        "before": _jsonable(before),
        "after": _jsonable(after),
        "ip": request.remote_addr if has_request_context() else None,
        "note": note,
    }
    session = session or db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback, even before any SQL, drops the entry
    session.info.setdefault(_PENDING, []).append(entry)


def record_read(action: str, target: Any) -> None:
    """Log a staff read of another person's data (152-ФЗ) and commit it at once: a page that
    only reads has nothing else to commit, and the read must not be lost with the request."""
    from core.extensions import db

    record(action, target)
    db.session.commit()


def record_bulk_read(action: str, target: Any, count: int | None = None, **details: Any) -> None:
    """Log a staff read of many people's data at once (a group's roster, another teacher's
    journal, an export of a group's data) like ``record_read``: one row for the page or file,
    never one a person; ``count`` is how many people it showed, ``details`` what was read."""
    after = {**details, **({} if count is None else {"count": count})}
    record(action, target, after=after or None)
    db.session.commit()


def _lock_chain(session: Session) -> None:
    """Serialize writers of the chain so two transactions never link to the same row."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(4242001)"))


def write_pending(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    _lock_chain(session)
    prev = session.execute(
        select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).scalar() or GENESIS
    for values in pending:
        entry = AuditEntry(**values, prev_hash=prev)
        entry.hash = entry_hash(prev, entry.content())
        session.add(entry)
        prev = entry.hash
    session.flush()
    head = session.get(AuditHead, 1) or AuditHead(id=1)
    head.last_id, head.last_hash = entry.id, entry.hash
    session.add(head)
    session.flush()


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    problem: str = ""


def verify(session: Session | None = None, batch: int = 5000) -> VerifyResult:
    """Recompute the chain and name the first row that was changed or after which rows are gone."""
    session = session or db.session()
    columns = [getattr(AuditEntry, name) for name in ("id", "prev_hash", "hash", *CONTENT_FIELDS)]
    prev, prev_id, checked = GENESIS, 0, 0
    while True:
        rows = session.execute(
            select(*columns).where(AuditEntry.id > prev_id).order_by(AuditEntry.id).limit(batch)
        ).all()
        if not rows:
            break
        for row in rows:
            values = row._asdict()
            if values["prev_hash"] != prev:
                return VerifyResult(False, checked, row.id,
                                    f"запись {row.id}: цепочка разорвана после записи {prev_id} "
                                    "(записи между ними удалены или изменены)")
            content = _content({name: values[name] for name in CONTENT_FIELDS})
            if entry_hash(prev, content) != values["hash"]:
                return VerifyResult(False, checked, row.id, f"запись {row.id} изменена")
            prev, prev_id = values["hash"], row.id
            checked += 1
    head = session.execute(select(AuditHead.last_id, AuditHead.last_hash)).first()
    if head is not None and (head.last_id, head.last_hash) != (prev_id, prev):
        return VerifyResult(False, checked, prev_id or None,
                            f"после записи {prev_id} удалены записи (последняя была {head.last_id})")
    if head is None and checked:
        return VerifyResult(False, checked, None, "нет отметки о последней записи журнала аудита")
    return VerifyResult(True, checked)
