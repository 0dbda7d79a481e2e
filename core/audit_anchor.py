"""Anchors of the audit chain outside the database (DESIGN §5).

Once a college day (the worker checks every hour) or on demand (``ejournal audit anchor``) an
``audit.anchor`` row is committed to the log, then a line naming it is appended to the anchor
file (``AUDIT_ANCHOR_PATH``): ``date id hash mac``, the mac sealing the line with the audit key.
The anchored row is the newest of the chain when it is written, so the line fixes the head.

``verify`` finds every anchored row in the chain with its hash, and every ``audit.anchor`` row
of the chain in the file. Someone who removes the newest rows and puts back a head that was true
before (the database consistent again) is found as long as an anchor named a removed row; the
file must be one they cannot rewrite, and without the key they cannot forge a line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from core import audit, audit_key
from core.audit import ANCHOR, AuditEntry
from core.calendar.clock import college_today
from core.extensions import db


@dataclass(frozen=True)
class Anchor:
    day: str
    entry_id: int
    hash: str
    #: its line number in the file (0 for a line not read from it)
    line: int = 0


@dataclass
class AnchorBook:
    """The anchor file as read: its anchors by row id, or what is wrong with it."""

    path: Path
    exists: bool
    lines: dict[int, Anchor] = field(default_factory=dict)
    problem: str | None = None


def anchor_path() -> Path:
    return Path(current_app.config["AUDIT_ANCHOR_PATH"])


def _line_mac(day: str, entry_id: int, hash_: str) -> bytes:
    return f"{day}|{entry_id}|{hash_}".encode()


def read_book(path: Path | None = None) -> AnchorBook:
    """Read and check the anchor file; a line that does not parse or whose seal is not the
    key's is a problem (someone wrote it who had not the key)."""
    path = path or anchor_path()
    try:
        content = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return AnchorBook(path, False)
    book = AnchorBook(path, True)
    for number, raw in enumerate(content.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            day, entry_id, hash_, mac = raw.split()
            anchor = Anchor(day, int(entry_id), hash_, number)
        except ValueError:
            book.problem = f"строка {number} файла отметок {path} повреждена: «{raw[:80]}»"
            return book
        if not audit_key.matches(_line_mac(day, anchor.entry_id, hash_), mac, "anchor"):
            book.problem = (f"строка {number} файла отметок {path} подделана: печать не сходится "
                            "с ключом журнала")
            return book
        book.lines.setdefault(anchor.entry_id, anchor)
    return book


def check_book(book: AnchorBook, end_id: int, anchored: set[int],
               anchor_rows: list[tuple[int, str]]) -> tuple[int | None, str] | None:
    """After the walk along the chain: every anchor's row was met (``anchored``), and every
    ``audit.anchor`` row of the chain (``anchor_rows``: id, day) has its line."""
    for anchor in sorted(book.lines.values(), key=lambda a: a.entry_id):
        if anchor.entry_id in anchored:
            continue
        where = f"отметка от {anchor.day}, строка {anchor.line} файла {book.path}"
        if anchor.entry_id > end_id:
            return end_id, (f"после записи {end_id} удалены записи: {where}, называет запись "
                            f"{anchor.entry_id}")
        return anchor.entry_id, f"запись {anchor.entry_id} удалена из журнала ({where})"
    for row_id, day in anchor_rows:
        if row_id in book.lines:
            continue
        if not book.exists:
            return row_id, (f"файл отметок {book.path} не найден, а журнал отмечал в нём голову "
                            f"(запись {row_id} от {day})")
        return row_id, (f"отметки от {day} (запись {row_id}) нет в файле отметок {book.path}: "
                        "строки удалены (или не дописаны при сбое: `ejournal audit anchor` "
                        "допишет отметки, которых нет в конце файла)")
    return None


def college_day() -> str:
    return college_today().isoformat()


def anchor() -> list[Anchor]:
    """Commit an ``audit.anchor`` row, then append its line, and the lines of earlier anchor
    rows the file lacks at its end (a crash between a commit and its line); the lines written."""
    path = anchor_path()
    audit.record(ANCHOR, after={"date": college_day()}, note=str(path))
    db.session.commit()
    return _append_missing(path)


def anchor_daily() -> list[Anchor]:
    """The worker's hourly task: anchor once a college day (the first run of the day)."""
    today = college_day()
    if any(a.day == today for a in read_book().lines.values()):
        return []
    return anchor()


def _append_missing(path: Path) -> list[Anchor]:
    last = max(read_book(path).lines, default=0)
    key = audit_key.key()
    rows = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == ANCHOR, AuditEntry.id > last)
        .order_by(AuditEntry.id)).all()
    # never vouch for a row not sealed with the key: an anchor must only ever name true rows
    missing = [Anchor(str((row.after or {}).get("date")), row.id, row.hash) for row in rows
               if row.hash == audit.entry_hash(row.prev_hash, row.content(), key)]
    _append(path, missing)
    return missing


def _append(path: Path, anchors: list[Anchor]) -> None:
    if not anchors:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+b") as file:
        file.seek(0, os.SEEK_END)
        if file.tell():
            file.seek(-1, os.SEEK_END)
            if file.read(1) != b"\n":
                file.write(b"\n")  # a line cut short by a crash stays alone on its line
        for a in anchors:
            mac = audit_key.mac(_line_mac(a.day, a.entry_id, a.hash), "anchor")
            file.write(f"{a.day} {a.entry_id} {a.hash} {mac}\n".encode())
        file.flush()
        os.fsync(file.fileno())
