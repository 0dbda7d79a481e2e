"""The append-only, hash-chained audit log (DESIGN §5, 152-ФЗ).

``record()`` queues an entry in the current session; just before commit the entries are chained
(each row stores the previous row's hash and the HMAC-SHA256, with the audit key, of that hash
and its own content) and inserted, and the head (the newest row, sealed with the key) moves on.
``verify()`` walks the chain and names the first row that was changed or removed; the anchors
outside the database (``core.audit_anchor``) show rows removed after it together with the head.

Rows written before the key existed keep their plain SHA-256: the migration that brought the key
appended the ``audit.keyed`` row, sealed with the key, which links to the last of them, so they
cannot be rewritten either. The database itself refuses UPDATE and DELETE of the rows and lets
the head only move forward (triggers, same migration); a superuser can drop the triggers, but not
forge a seal without the key, nor the anchor file.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import JSON, String, Text, event, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from core import audit_key
from core.extensions import db
from core.models import UTCDateTime, utcnow

GENESIS = "0" * 64
_PENDING = "ejournal.audit.pending"
#: the row from which the chain is sealed with the key (rows before it: plain SHA-256)
KEYED = "audit.keyed"
#: the row recording that the head was written to the anchor file
ANCHOR = "audit.anchor"


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
    """The chain's newest row, kept apart so that removing the last rows is noticed too.

    One row, sealed with the key (``mac``); the database lets it only move forward, to a row
    whose hash it names."""

    __tablename__ = "core_audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int]
    last_hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64))


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


def entry_hash(prev_hash: str, content: dict[str, Any], key: bytes | None) -> str:
    """A row's hash: the HMAC with ``key`` of the previous hash and the content, or, for the
    rows written before the key (``key=None``), their plain SHA-256. A stored format: the
    migration that brought the key uses it too."""
    payload = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    message = f"{prev_hash}|{payload}".encode()
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return audit_key.mac_with(key, message, "entry")


def head_mac(key: bytes, last_id: int, last_hash: str) -> str:
    """The seal of the head: without the key it cannot be moved back to an earlier row."""
    return audit_key.mac_with(key, f"{last_id}|{last_hash}".encode(), "head")


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
    key = audit_key.key()
    prev = session.execute(
        select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).scalar() or GENESIS
    for values in pending:
        entry = AuditEntry(**values, prev_hash=prev)
        entry.hash = entry_hash(prev, entry.content(), key)
        session.add(entry)
        prev = entry.hash
    session.flush()
    head = session.get(AuditHead, 1) or AuditHead(id=1)
    head.last_id, head.last_hash = entry.id, entry.hash
    head.mac = head_mac(key, entry.id, entry.hash)
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
    #: how many anchors of the anchor file were matched with their rows
    anchors: int = 0


@dataclass
class _Walk:
    """What the walk along the chain has seen so far."""

    prev: str = GENESIS
    prev_id: int = 0
    checked: int = 0
    keyed: bool = False
    anchored: set[int] = field(default_factory=set)
    anchor_rows: list[tuple[int, str]] = field(default_factory=list)


def verify(session: Session | None = None, batch: int = 5000) -> VerifyResult:
    """Recompute the chain and name the first row that was changed or after which rows are gone;
    then check the head and the anchors outside the database."""
    from core import audit_anchor

    session = session or db.session()
    key = audit_key.key()
    book = audit_anchor.read_book()
    if book.problem:
        return VerifyResult(False, 0, None, book.problem)
    walk = _Walk()
    problem = _walk_chain(session, key, book, batch, walk)
    if problem is None:
        problem = _check_end(session, key, walk) or audit_anchor.check_book(
            book, walk.prev_id, walk.anchored, walk.anchor_rows)
    if problem is not None:
        bad_id, message = problem
        return VerifyResult(False, walk.checked, bad_id, message, len(walk.anchored))
    return VerifyResult(True, walk.checked, anchors=len(walk.anchored))


def _walk_chain(session: Session, key: bytes, book, batch: int,
                walk: _Walk) -> tuple[int | None, str] | None:
    columns = [getattr(AuditEntry, name) for name in ("id", "prev_hash", "hash", *CONTENT_FIELDS)]
    while True:
        rows = session.execute(
            select(*columns).where(AuditEntry.id > walk.prev_id).order_by(AuditEntry.id)
            .limit(batch)
        ).all()
        if not rows:
            return None
        for row_id, prev_hash, hash_, *fields in rows:
            if prev_hash != walk.prev:
                return row_id, (f"запись {row_id}: цепочка разорвана после записи {walk.prev_id} "
                                "(записи между ними удалены или изменены)")
            content = _content(dict(zip(CONTENT_FIELDS, fields, strict=True)))
            starts_keyed = not walk.keyed and content["action"] == KEYED
            keyed = walk.keyed or starts_keyed
            if entry_hash(walk.prev, content, key if keyed else None) != hash_:
                return row_id, _changed(row_id, keyed, starts_keyed, content["after"])
            if row_id in book.lines or content["action"] == ANCHOR:
                problem = _meet_anchor(book, walk, row_id, hash_, content, keyed)
                if problem is not None:
                    return problem
            walk.prev, walk.prev_id, walk.keyed = hash_, row_id, keyed
            walk.checked += 1


def _meet_anchor(book, walk: _Walk, row_id: int, hash_: str, content: dict[str, Any],
                 keyed: bool) -> tuple[int, str] | None:
    """A row named by the anchor file, or an ``audit.anchor`` row, met on the walk."""
    anchor = book.lines.get(row_id)
    if anchor is not None:
        if anchor.hash != hash_:
            return row_id, (f"запись {row_id} не совпадает с отметкой от {anchor.day} "
                            f"(строка {anchor.line} файла {book.path})")
        walk.anchored.add(row_id)
    if keyed and content["action"] == ANCHOR:
        walk.anchor_rows.append((row_id, str((content["after"] or {}).get("date"))))
    return None


def _changed(row_id: int, keyed: bool, starts_keyed: bool, after: Any) -> str:
    if not keyed:
        return f"запись {row_id} изменена"
    if starts_keyed and (after or {}).get("key") != audit_key.fingerprint():
        return (f"запись {row_id} (начало цепочки с ключом) запечатана другим ключом: "
                "AUDIT_KEY не тот, с которым журнал вёлся")
    return f"запись {row_id} изменена или подделана (печать не сходится с ключом журнала)"


def _check_end(session: Session, key: bytes, walk: _Walk) -> tuple[int | None, str] | None:
    if not walk.checked:
        return None, ("журнал аудита пуст: нет даже записи о начале цепочки с ключом "
                      f"({KEYED}), журнал удалён целиком")
    if not walk.keyed:
        return None, (f"нет записи о начале цепочки с ключом ({KEYED}): журнал переписан "
                      f"без ключа (проверено записей {walk.checked})")
    head = session.execute(
        select(AuditHead.last_id, AuditHead.last_hash, AuditHead.mac).where(AuditHead.id == 1)
    ).first()
    if head is None:
        return None, "нет отметки о последней записи журнала аудита"
    if not hmac.compare_digest(head_mac(key, head.last_id, head.last_hash), head.mac or ""):
        return walk.prev_id, (f"отметка о последней записи журнала (запись {head.last_id}) "
                              "подделана: печать не сходится с ключом журнала")
    if (head.last_id, head.last_hash) != (walk.prev_id, walk.prev):
        return walk.prev_id, (f"после записи {walk.prev_id} удалены записи "
                              f"(последняя была {head.last_id})")
    return None
