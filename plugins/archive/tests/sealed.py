"""A sealed archive of the retention world's first term (``tests/retention_world``), written
straight through the archive's storage and models the way docs/archive.md lays it out: a
journal PDF and a data file of class «journal», a statement PDF of class «statement», the
period's tables as the plugins give them (``archive_records``) and the sealed manifest.

(The tests of verification and retention build their archive so, rather than by closing the
period in the worker, to stay apart from the closing's own rules.)
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from core import audit_key
from core.exports import csv_text
from core.extensions import db
from core.plugins import hook
from tests import retention_world


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def data_files(slug: str, start, end) -> list[tuple[str, str, str, bytes]]:
    """(path, kind, retention, bytes) of each table the plugins give for the period."""
    files = []
    for batch in hook().archive_records(start=start, end=end):
        for table in batch or ():
            rows = [list(table.columns)] + [[_cell(v) for v in row] for row in table.rows]
            files.append((f"{slug}/data/{table.name}.csv", "data_csv", table.retention,
                          csv_text(rows, delimiter=",").encode()))
    return files


def _cell(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def build(app, prefix: str = "r", with_data: bool = True):
    """The world and its archived first term (its data tables too, unless ``with_data`` is
    false); returns (world, period id)."""
    from plugins.archive import storage
    from plugins.archive.models import ArchivedPeriod, ArchiveFile

    world = retention_world.build(app, prefix)
    slug = f"{prefix}-2020-2021-t1"
    with app.test_request_context():
        group = world.ids["group"]
        files = [
            (f"{slug}/journals/group-{group}.pdf", "journal_pdf", "journal",
             b"%PDF-1.4 journal of the group"),
            (f"{slug}/statements/group-{group}.pdf", "statement_pdf", "statement",
             b"%PDF-1.4 summary statement"),
        ]
        if with_data:
            files += data_files(slug, retention_world.TERM_START, retention_world.TERM_END)
        store = storage.storage()
        entries = []
        for path, kind, retention, data in files:
            store.put(path, data)
            entries.append({"path": path, "kind": kind, "group_id": group, "title": path,
                            "retention": retention, "sha256": _sha(data), "size": len(data)})
        manifest = json.dumps({"format": "ejournal-archive/1", "files": entries},
                              ensure_ascii=False, sort_keys=True).encode()
        seal = audit_key.mac(manifest, "archive.manifest")
        store.put(f"{slug}/manifest.json", manifest)
        store.put(f"{slug}/manifest.json.seal", seal.encode())
        period = ArchivedPeriod(
            year_id=_year(world), term_id=world.ids["term"],
            title=f"{prefix} 2020/2021, 1 семестр", starts_on=retention_world.TERM_START,
            ends_on=retention_world.TERM_END, state="archived",
            created_by=world.ids["admin"], closed_at=datetime(2021, 1, 10, tzinfo=UTC),
            manifest_path=f"{slug}/manifest.json", manifest_sha256=_sha(manifest), seal=seal)
        db.session.add(period)
        db.session.flush()
        for entry in entries:
            db.session.add(ArchiveFile(period_id=period.id, path=entry["path"],
                                       kind=entry["kind"], group_id=group, title=entry["title"],
                                       sha256=entry["sha256"], size=entry["size"],
                                       retention=entry["retention"]))
            db.session.flush()
        db.session.add(ArchiveFile(period_id=period.id, path=f"{slug}/manifest.json",
                                   kind="manifest", title="Опись архива", sha256=_sha(manifest),
                                   size=len(manifest), retention="statement"))
        db.session.commit()
        return world, period.id


def _year(world) -> int:
    from core.calendar.models import Term

    return db.session.get(Term, world.ids["term"]).year_id
