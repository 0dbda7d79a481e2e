"""What someone with access to the database, but not to the audit key nor the anchor file, can
do to the audit log: drop its triggers, rewrite rows and recompute their hashes with plain
SHA-256, move the head. Written against the tables alone, as such a person would.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from core.audit import CONTENT_FIELDS, GENESIS, AuditEntry

AUDIT_TABLES = ("core_audit", "core_audit_head")


def drop_triggers(session: Session) -> list[str]:
    """Drop every trigger on the audit tables (found in the catalogue); their names."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        names = connection.execute(text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name IN ('core_audit', 'core_audit_head')")).scalars().all()
        for name in names:
            connection.execute(text(f'DROP TRIGGER "{name}"'))
        return list(names)
    found = connection.execute(text(
        "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE NOT t.tgisinternal AND pg_table_is_visible(c.oid) "
        "AND c.relname IN ('core_audit', 'core_audit_head')")).all()
    for name, table in found:
        connection.execute(text(f'DROP TRIGGER "{name}" ON "{table}"'))
    return [name for name, _table in found]


def plain_hash(prev_hash: str, values: dict[str, Any]) -> str:
    """The SHA-256 of a row as the chain was before the key: all one can compute without it."""
    content = {name: values[name] for name in CONTENT_FIELDS}
    content["at"] = content["at"].isoformat(timespec="microseconds")
    payload = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}|{payload}".encode()).hexdigest()


def row_values(entry: AuditEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in CONTENT_FIELDS}


def rewrite_from(session: Session, first_id: int, **changes) -> tuple[int, str]:
    """Change row ``first_id`` and recompute its hash and every later one's; the new end."""
    prev = session.scalar(select(AuditEntry.hash).where(AuditEntry.id < first_id)
                          .order_by(AuditEntry.id.desc()).limit(1)) or GENESIS
    last_id = first_id
    for entry in session.scalars(select(AuditEntry).where(AuditEntry.id >= first_id)
                                 .order_by(AuditEntry.id)).all():
        if entry.id == first_id:
            for name, value in changes.items():
                setattr(entry, name, value)
        entry.prev_hash, entry.hash = prev, plain_hash(prev, row_values(entry))
        session.flush()
        prev, last_id = entry.hash, entry.id
    return last_id, prev


def head_row(session: Session) -> dict[str, Any]:
    """The head as it is now, every column (as a backup or a watcher would have kept it)."""
    return dict(session.execute(text("SELECT * FROM core_audit_head")).mappings().one())


def set_head(session: Session, **values) -> None:
    assignments = ", ".join(f"{name} = :{name}" for name in values)
    session.execute(text(f"UPDATE core_audit_head SET {assignments}"), values)
