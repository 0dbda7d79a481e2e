"""The restore drill (``ejournal backup restore --check``): the latest copy of a destination is
restored into a scratch database and checked as a real restore would need it to be.

The scratch database is a temporary SQLite file, or on PostgreSQL ``<database>_restore_check``
on the same server, created and dropped. The checks: the dump's SHA-256 against the manifest,
every history's alembic revision against this code's heads, every table's row count against
the manifest, and the programs' own checks run on the scratch database as subprocesses of
``ejournal`` (``audit verify``; ``archive verify`` where a plugin provides it), so the core
needs no plugin's code for them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

from core import migrate
from core.backup import restic
from core.backup.destinations import Destination, find
from core.backup.restic import ResticError
from core.backup.snapshot import (
    MANIFEST,
    PG_FILE,
    SQLITE_FILE,
    SnapshotError,
    _quote_for,
    database_facts,
    database_url,
    file_sha256,
    libpq_arguments,
    pg_program,
)

#: config values a subprocess of ``ejournal`` must share with this app (they may come from the
#: instance config, the environment or the caller's overrides)
SHARED_CONFIG = ("POLICY", "PLUGINS", "EXTRA_PLUGINS", "AUDIT_KEY", "SECRET_KEY", "TIMEZONE",
                 "SQLITE_BEGIN_MODE")


@dataclass(frozen=True)
class Check:
    title: str
    ok: bool
    detail: str = ""
    #: a check not run (the program has no such command): neither passed nor failed
    skipped: bool = False


@dataclass
class Report:
    destination: str
    snapshot: str = ""
    created_at: str = ""
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(check.ok or check.skipped for check in self.checks)

    def add(self, title: str, ok: bool, detail: str = "", skipped: bool = False) -> bool:
        self.checks.append(Check(title, ok, detail, skipped))
        return ok


def restore_check(destination_name: str | None = None) -> Report:
    """Restore the latest backup of the destination (the first when unnamed) into a scratch
    database, check it, drop it; the report of every check."""
    target = find(destination_name)
    report = Report(target.name)
    with tempfile.TemporaryDirectory(prefix="ejournal-restore-") as folder:
        work = Path(folder)
        manifest = _fetch(target, work / "files", report)
        if manifest is None:
            return report
        with _scratch(manifest, work / "files", work, report) as scratch:
            if scratch is not None:
                _check_database(scratch, manifest, report)
                _check_programs(scratch, manifest, work, report)
    return report


def _fetch(target: Destination, files: Path, report: Report) -> dict | None:
    try:
        restic.check(target)
    except ResticError as exc:
        report.add("Целостность хранилища", False, str(exc))
        return None
    report.add("Целостность хранилища", True, "restic check: ошибок нет")
    try:
        listed = restic.snapshots(target)
        if not listed:
            report.add("Снимок в хранилище", False, f"в «{target.name}» нет ни одной копии")
            return None
        latest = listed[-1]
        report.snapshot = latest.short_id
        restic.restore(target, latest.id, files)
    except ResticError as exc:
        report.add("Снимок в хранилище", False, str(exc))
        return None
    report.add("Снимок в хранилище", True, f"{latest.short_id} от {latest.time[:19]}")
    try:
        manifest = json.loads((files / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        report.add("Манифест", False, f"не прочитан: {exc}")
        return None
    report.created_at = str(manifest.get("created_at", ""))
    dump = files / str(manifest.get("database_file", ""))
    if not dump.is_file():
        report.add("Контрольная сумма копии", False, f"нет файла {dump.name}")
        return None
    digest = file_sha256(dump)
    if not report.add("Контрольная сумма копии", digest == manifest.get("sha256"),
                      f"SHA-256 {digest[:16]}…" if digest == manifest.get("sha256")
                      else f"SHA-256 {digest[:16]}… не совпадает с манифестом"):
        return None
    return manifest


@contextmanager
def _scratch(manifest: dict, files: Path, work: Path, report: Report) -> Iterator[URL | None]:
    live = database_url()
    if manifest.get("backend") == "sqlite":
        path = work / "restored.sqlite3"
        shutil.copyfile(files / SQLITE_FILE, path)
        report.add("Восстановление во временную базу", True, str(path))
        yield URL.create("sqlite", database=str(path))
        return
    if manifest.get("backend") != "postgresql" or live.get_backend_name() != "postgresql":
        report.add("Восстановление во временную базу", False,
                   f"копию базы {manifest.get('backend')} не восстановить рядом с базой "
                   f"{live.get_backend_name()}")
        yield None
        return
    scratch = live.set(database=f"{live.database}_restore_check")
    try:
        _recreate(live, str(scratch.database))
        arguments, environment = libpq_arguments(scratch)
        done = subprocess.run(
            [pg_program("pg_restore"), *arguments, "--no-owner", "--no-privileges",
             "--exit-on-error", "--dbname", str(scratch.database), str(files / PG_FILE)],
            env=environment, capture_output=True, text=True, check=False)
        restored = report.add("Восстановление во временную базу", done.returncode == 0,
                              str(scratch.database) if done.returncode == 0 else
                              "pg_restore: " + " ".join(done.stderr.split())[-500:])
        yield scratch if restored else None
    except (SnapshotError, OSError) as exc:
        report.add("Восстановление во временную базу", False, str(exc))
        yield None
    finally:
        _drop(live, str(scratch.database))


def _admin_engine(live: URL):
    return create_engine(live.set(database="postgres"), isolation_level="AUTOCOMMIT")


def _recreate(live: URL, name: str) -> None:
    _drop(live, name)
    engine = _admin_engine(live)
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()


def _drop(live: URL, name: str) -> None:
    engine = _admin_engine(live)
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


def expected_heads() -> dict[str, list[str]]:
    """Each enabled history's version table with the heads of this code's scripts."""
    app = current_app._get_current_object()
    return {src.version_table: sorted(ScriptDirectory.from_config(
        migrate.alembic_config(src)).get_heads()) for src in migrate.sources(app)}


def _check_database(scratch: URL, manifest: dict, report: Report) -> None:
    engine = create_engine(scratch)
    try:
        with engine.connect() as connection:
            facts = database_facts(connection, _quote_for(connection))
    finally:
        engine.dispose()
    heads = expected_heads()
    behind = [f"{table}: {facts['revisions'].get(table) or 'нет'} вместо {wanted}"
              for table, wanted in heads.items() if facts["revisions"].get(table) != wanted]
    report.add("Миграции актуальны", not behind,
               "; ".join(behind) if behind else f"историй: {len(heads)}")
    wanted = manifest.get("row_counts") or {}
    found = facts["row_counts"]
    differ = [f"{table}: {found.get(table, 'нет таблицы')} вместо {count}"
              for table, count in sorted(wanted.items()) if found.get(table) != count]
    differ += [f"{table}: лишняя таблица" for table in sorted(set(found) - set(wanted))]
    report.add("Число строк по манифесту", not differ and bool(wanted),
               "; ".join(differ[:20]) if differ else
               f"таблиц {len(wanted)}, строк {sum(wanted.values())}")


def _environment(scratch: URL, anchors: Path) -> dict[str, str]:
    config = current_app.config
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("EJOURNAL_")}
    environment["EJOURNAL_INSTANCE_PATH"] = current_app.instance_path
    environment["EJOURNAL_DATABASE_URL"] = json.dumps(scratch.render_as_string(hide_password=False))
    environment["EJOURNAL_AUDIT_ANCHOR_PATH"] = json.dumps(str(anchors))
    for key in SHARED_CONFIG:
        if config.get(key) is not None:
            environment[f"EJOURNAL_{key}"] = json.dumps(config[key])
    return environment


def _anchors_until(last_id: int | None, target: Path) -> Path:
    """The live anchor file's lines up to the copy's last audit row: the lines stay sealed one
    by one, and the anchors written after the copy are not the copy's to answer for."""
    source = Path(current_app.config["AUDIT_ANCHOR_PATH"])
    kept = []
    if source.is_file():
        for line in source.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) != 4 or not parts[1].isdigit() or int(parts[1]) <= (last_id or 0):
                kept.append(line)  # a damaged line is kept for audit verify to name
    target.write_text("".join(line + "\n" for line in kept), encoding="utf-8")
    return target


def has_command(group: str, name: str) -> bool:
    """Whether ``ejournal GROUP NAME`` exists in this app (a plugin's command)."""
    command = current_app.cli.commands.get(group)
    return command is not None and name in getattr(command, "commands", {})


def _check_programs(scratch: URL, manifest: dict, work: Path, report: Report) -> None:
    anchors = _anchors_until(manifest.get("audit_last_id"), work / "anchors.log")
    environment = _environment(scratch, anchors)
    for group, name, title in (("audit", "verify", "ejournal audit verify"),
                               ("archive", "verify", "ejournal archive verify")):
        if not has_command(group, name):
            report.add(title, True, "команды нет в этой установке", skipped=True)
            continue
        done = subprocess.run([sys.executable, "-m", "core.cli", group, name], env=environment,
                              capture_output=True, text=True, check=False, timeout=3600)
        words = " ".join((done.stdout + " " + done.stderr).split())
        report.add(title, done.returncode == 0, words[-600:])
