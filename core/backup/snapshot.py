"""A consistent copy of the whole database and its manifest, in a folder restic then stores.

SQLite: the online backup API copies the file page by page while the journal runs; the row
counts and revisions are read from the copy. PostgreSQL: one REPEATABLE READ transaction
exports its snapshot, counts the rows in it, and ``pg_dump --snapshot`` dumps exactly that
state (custom format), so the manifest and the dump always agree.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, Connection, make_url

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
FORMAT = 1


class SnapshotError(Exception):
    """The copy could not be made (a Russian message)."""


@dataclass(frozen=True)
class Copy:
    folder: Path
    manifest: dict[str, Any]

    @property
    def size_bytes(self) -> int:
        return sum(path.stat().st_size for path in self.folder.iterdir() if path.is_file())


def database_url() -> URL:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise SnapshotError("База SQLite в памяти: копировать нечего")
    return Path(url.database)


def make_copy(folder: Path, at: datetime) -> Copy:
    """Copy the app's database into ``folder`` with ``manifest.json`` beside it."""
    from core import __version__

    folder.mkdir(parents=True, exist_ok=True)
    url = database_url()
    if url.get_backend_name() == "sqlite":
        name, facts = SQLITE_FILE, _copy_sqlite(sqlite_path(url), folder / SQLITE_FILE)
    elif url.get_backend_name() == "postgresql":
        name, facts = PG_FILE, _dump_postgres(url, folder / PG_FILE)
    else:
        raise SnapshotError(f"Резервное копирование базы {url.get_backend_name()} не поддержано")
    manifest = {
        "format": FORMAT,
        "created_at": at.isoformat(),
        "ejournal_version": __version__,
        "backend": url.get_backend_name(),
        "database_file": name,
        "sha256": file_sha256(folder / name),
        "bytes": (folder / name).stat().st_size,
        **facts,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1,
                                              sort_keys=True), encoding="utf-8")
    return Copy(folder, manifest)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def database_facts(connection: Connection, quote: Callable[[str], str]) -> dict[str, Any]:
    """Row counts of every table, the alembic revisions of every history and the audit log's
    last row, as seen by ``connection``."""
    tables = sorted(inspect(connection).get_table_names())
    counts = {table: int(connection.execute(text(f"SELECT COUNT(*) FROM {quote(table)}"))
                         .scalar_one()) for table in tables}
    revisions = {table: sorted(row[0] for row in connection.execute(
        text(f"SELECT version_num FROM {quote(table)}")))
        for table in tables if table.startswith("alembic_version")}
    last_audit = None
    if "core_audit" in tables:
        last_audit = connection.execute(text("SELECT MAX(id) FROM core_audit")).scalar()
    return {"row_counts": counts, "revisions": revisions, "audit_last_id": last_audit}


def _quote_for(connection: Connection) -> Callable[[str], str]:
    return connection.dialect.identifier_preparer.quote


def _copy_sqlite(source: Path, target: Path) -> dict[str, Any]:
    if not source.is_file():
        raise SnapshotError(f"Нет файла базы {source}")
    target.unlink(missing_ok=True)
    live = sqlite3.connect(source)
    copy = sqlite3.connect(target)
    try:
        live.backup(copy)
    finally:
        copy.close()
        live.close()
    engine = create_engine(f"sqlite:///{target}")
    try:
        with engine.connect() as connection:
            return database_facts(connection, _quote_for(connection))
    finally:
        engine.dispose()


def libpq_arguments(url: URL) -> tuple[list[str], dict[str, str]]:
    """``pg_dump``/``pg_restore`` connection options for ``url``; the password goes in the
    environment (``PGPASSWORD``), never on the command line."""
    arguments = []
    if url.host:
        arguments += ["--host", url.host]
    if url.port:
        arguments += ["--port", str(url.port)]
    if url.username:
        arguments += ["--username", url.username]
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    return arguments, environment


def pg_program(name: str) -> str:
    found = shutil.which(current_app.config.get(f"BACKUP_{name.upper()}") or name)
    if not found:
        raise SnapshotError(f"Программа {name} не найдена: установите postgresql-client")
    return found


def _dump_postgres(url: URL, target: Path) -> dict[str, Any]:
    arguments, environment = libpq_arguments(url)
    engine = create_engine(url, isolation_level="REPEATABLE READ")
    try:
        with engine.connect() as connection:
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            facts = database_facts(connection, _quote_for(connection))
            done = subprocess.run(
                [pg_program("pg_dump"), *arguments, "--format=custom", "--no-owner",
                 "--no-privileges", f"--snapshot={snapshot}", "--file", str(target),
                 "--dbname", str(url.database)],
                env=environment, capture_output=True, text=True, check=False)
            connection.rollback()
    finally:
        engine.dispose()
    if done.returncode != 0:
        raise SnapshotError("pg_dump завершился с ошибкой: " + " ".join(done.stderr.split())[-500:])
    return facts
