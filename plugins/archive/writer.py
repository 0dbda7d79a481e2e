"""The worker's job writing a period's archive (docs/archive.md): each group's statements and
printed journal as PDF (the reports plugin builds them), the period's data as CSV and JSON
(every plugin's ``archive_records``), then the manifest with the SHA-256 of every file and the
audit chain's head, sealed with the audit key. Progress is committed as it goes, so the page
polling it sees the bar move."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update

from core import audit, audit_key
from core.audit import AuditHead
from core.calendar.models import AcademicYear, Term
from core.exports import csv_text
from core.extensions import db
from core.models import utcnow
from core.people.models import Group, User
from core.plugins import hook
from core.plugins.types import ArchiveTable
from plugins.archive import api
from plugins.archive.models import ArchivedPeriod, ArchiveFile
from plugins.archive.storage import storage
from plugins.journal import api as journal
from plugins.reports import api as reports

log = logging.getLogger(__name__)
MANIFEST_SEAL = "archive.manifest"
FORMAT = "ejournal-archive/1"
#: the progress bar's units of one file (a report's own progress moves within them)
UNITS = 100


def canonical(document: dict[str, Any]) -> bytes:
    """A JSON document as the archive writes it: UTF-8, keys sorted, stable."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1,
                      default=plain).encode()


def plain(value: Any) -> Any:
    """A cell of an archived table as JSON and CSV hold it: dates and instants in ISO."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def folder_of(period: ArchivedPeriod) -> str:
    """The period's folder in the storage: ``2025-2026`` or ``2025-2026-t1``."""
    year = db.session.get(AcademicYear, period.year_id)
    slug = year.title.replace("/", "-")
    if period.term_id is None:
        return slug
    return f"{slug}-t{db.session.get(Term, period.term_id).number}"


def audit_head() -> tuple[int | None, str]:
    """The audit chain's head now: its last entry's id and hash."""
    row = db.session.execute(select(AuditHead.last_id, AuditHead.last_hash)).first()
    return (row.last_id, row.last_hash) if row is not None else (None, "")


def period_groups(period: ArchivedPeriod) -> list[Group]:
    """The groups with a journal in the period, by name."""
    loads = journal.loads((Term.starts_on <= period.ends_on) & (Term.ends_on >= period.starts_on))
    ids = {load.group_id for load in loads}
    if not ids:
        return []
    return list(db.session.scalars(select(Group).where(Group.id.in_(ids)).order_by(Group.name)))


class _Progress:
    """The period's progress bar: ``done`` of ``total`` units, committed at once."""

    def __init__(self, period_id: int, files: int):
        self.period_id, self.total, self.base = period_id, files * UNITS, 0
        self._write(0)

    def _write(self, done: int) -> None:
        table = ArchivedPeriod.__table__
        db.session.execute(update(table).where(table.c.id == self.period_id)
                           .values(done=min(done, self.total), total=self.total))
        db.session.commit()

    def within(self, done: int, total: int) -> None:
        """A report's own progress inside the current file."""
        if total:
            self._write(self.base + UNITS * done // total)

    def file_done(self) -> None:
        self.base += UNITS
        self._write(self.base)


def _store(period: ArchivedPeriod, path: str, data: bytes, kind: str, retention: str,
           title: str, group_id: int | None = None) -> ArchiveFile:
    storage().put(path, data)
    row = ArchiveFile(period_id=period.id, path=path, kind=kind, group_id=group_id, title=title,
                      sha256=sha256(data), size=len(data), retention=retention)
    db.session.add(row)
    db.session.flush()
    return row


def _retention_of(provider) -> str:
    return "statement" if provider.name != reports.YEAR_JOURNAL else "journal"


def write_period(period_id: int) -> None:
    """The worker's task: write the archive of a period being closed, or mark it failed (its
    files removed, so that it can be closed again)."""
    period = db.session.get(ArchivedPeriod, period_id)
    if period is None or period.state != "closing":
        return
    try:
        _write(period)
    except Exception as exc:  # recorded for the administrator; the worker goes on
        log.exception("archive of period %s failed", period_id)
        db.session.rollback()
        _fail(period_id, exc)


def _write(period: ArchivedPeriod) -> None:
    user = db.session.get(User, period.created_by)
    folder = folder_of(period)
    groups = period_groups(period)
    statements = reports.group_statements()
    # the statements are of the academic year, as the reports page asks them (a term's archive
    # holds the year's statements as they stood when the term was closed)
    year = db.session.get(AcademicYear, period.year_id)
    year_start, year_end = year.starts_on, year.ends_on
    progress = _Progress(period.id, len(groups) * len(statements) + 2)
    period = db.session.get(ArchivedPeriod, period.id)
    for group in groups:
        for provider in statements:
            content = reports.statement_pdf(provider, user, group.id, period.year_id,
                                            year_start, year_end, progress.within)
            period = db.session.get(ArchivedPeriod, period.id)
            kind = "journal_pdf" if provider.name == reports.YEAR_JOURNAL else "statement_pdf"
            stem = provider.name.replace(".", "-")
            _store(period, f"{folder}/{kind.split('_')[0]}s/{stem}-group-{group.id}.pdf",
                   content, kind, _retention_of(provider), f"{provider.title} · {group.name}",
                   group.id)
            progress.file_done()
    _write_data(period, folder)
    progress.file_done()
    _write_manifest(period, folder, user)
    progress.file_done()


def _tables(period: ArchivedPeriod) -> list[ArchiveTable]:
    return [table for answer in hook().archive_records(start=period.starts_on,
                                                       end=period.ends_on)
            for table in answer or ()]


def _write_data(period: ArchivedPeriod, folder: str) -> None:
    tables = _tables(period)
    for table in tables:
        rows = [table.columns] + [[plain(value) for value in row] for row in table.rows]
        _store(period, f"{folder}/data/{table.name}.csv",
               csv_text(rows, delimiter=",").encode(), "data_csv", table.retention,
               _("Данные: %(table)s (CSV)", table=table.title or table.name))
    document = {"format": "ejournal-archive-data/1", "period": _period_document(period),
                "tables": {table.name: {"columns": list(table.columns),
                                        "rows": [list(row) for row in table.rows],
                                        "retention": table.retention}
                           for table in tables}}
    _store(period, f"{folder}/data/period.json", canonical(document), "data_json", "journal",
           _("Данные периода (JSON)"))


def _period_document(period: ArchivedPeriod) -> dict[str, Any]:
    year = db.session.get(AcademicYear, period.year_id)
    term = db.session.get(Term, period.term_id) if period.term_id else None
    return {"title": period.title, "kind": "term" if term else "year", "year": year.title,
            "term": term.number if term else None, "starts_on": period.starts_on.isoformat(),
            "ends_on": period.ends_on.isoformat()}


def _write_manifest(period: ArchivedPeriod, folder: str, user: User) -> None:
    head_id, head_hash = audit_head()
    files = db.session.scalars(select(ArchiveFile).where(ArchiveFile.period_id == period.id)
                               .order_by(ArchiveFile.id)).all()
    document = {
        "format": FORMAT,
        "period": _period_document(period),
        "created_at": utcnow().isoformat(),
        "created_by": user.login,
        "audit_head": {"id": head_id, "hash": head_hash},
        "seal": {"algorithm": "HMAC-SHA256", "purpose": MANIFEST_SEAL,
                 "key_fingerprint": audit_key.fingerprint(),
                 "file": "manifest.json.seal"},
        "files": [{"path": row.path, "kind": row.kind, "group_id": row.group_id,
                   "title": row.title, "retention": row.retention, "sha256": row.sha256,
                   "size": row.size} for row in files],
    }
    data = canonical(document)
    seal = audit_key.mac(data, MANIFEST_SEAL)
    path = f"{folder}/manifest.json"
    manifest = _store(period, path, data, "manifest", "statement", _("Опись архива"))
    storage().put(path + ".seal", seal.encode())
    period.manifest_path, period.manifest_sha256, period.seal = path, manifest.sha256, seal
    period.audit_head_id, period.audit_head_hash = head_id, head_hash
    period.state, period.closed_at = "archived", utcnow()
    audit.record("archive.archived", period, after={"manifest_sha256": manifest.sha256,
                                                    "files": len(files) + 1}, actor=user)
    db.session.commit()
    api.forget()


def _fail(period_id: int, exc: Exception) -> None:
    files = db.session.scalars(select(ArchiveFile).where(ArchiveFile.period_id == period_id))
    for row in files:
        storage().delete(row.path)
        db.session.delete(row)
    period = db.session.get(ArchivedPeriod, period_id)
    period.state = "failed"
    period.error = _("Архив не удалось записать: %(error)s", error=str(exc)[:300])
    audit.record("archive.failed", period, after={"error": period.error})
    db.session.commit()
