"""A backup run: one copy of the database, stored in every destination, each recorded.

A destination that fails (restic missing, a medium not mounted, a wrong password) is recorded
as failed with restic's words and the others still get their copy; nothing here raises for
that, so the worker never dies of a backup.
"""

from __future__ import annotations

import logging
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from core import settings
from core.backup import restic
from core.backup.destinations import BackupConfigError, Destination, destinations
from core.backup.models import FAILED, OK, BackupRun
from core.backup.restic import ResticError
from core.backup.snapshot import Copy, SnapshotError, make_copy
from core.extensions import db
from core.models import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Retention:
    daily: int
    weekly: int
    monthly: int


def retention() -> Retention:
    """The retention of the settings (``backup.keep_daily``, ``_weekly``, ``_monthly``)."""
    return Retention(*(max(int(settings.get(f"backup.keep_{kind}")), 0)
                       for kind in ("daily", "weekly", "monthly")))


def run_backup(trigger: str = "cli") -> list[BackupRun]:
    """Copy the database once, store it in every destination (side by side), apply the
    retention; one committed ``BackupRun`` per destination (a configuration error raises
    ``BackupConfigError`` before anything is copied)."""
    targets = destinations()
    keep = retention()
    started = utcnow()
    used = {target.name: _used_before(target) for target in targets}
    with tempfile.TemporaryDirectory(prefix="ejournal-backup-") as folder:
        try:
            copy = make_copy(Path(folder) / "copy", started)
        except (SnapshotError, OSError) as exc:
            outcomes = [_Outcome(error=f"Копия базы не сделана: {exc}") for _ in targets]
        else:
            app = current_app._get_current_object()

            def store(target: Destination) -> _Outcome:
                with app.app_context():
                    return _store(target, copy, started, keep, used[target.name])

            with ThreadPoolExecutor(max_workers=len(targets)) as pool:
                outcomes = list(pool.map(store, targets))
    rows = [_row(target, started, trigger, outcome) for target, outcome in zip(
        targets, outcomes, strict=True)]
    db.session.commit()
    return rows


@dataclass(frozen=True)
class _Outcome:
    error: str | None = None
    stored: restic.Stored | None = None
    seconds: float = 0.0


def _row(target: Destination, started: datetime, trigger: str, outcome: _Outcome) -> BackupRun:
    row = BackupRun(destination=target.name, started_at=started, finished_at=utcnow(),
                    status=FAILED if outcome.error else OK, trigger=trigger, error=outcome.error,
                    duration_ms=int(outcome.seconds * 1000))
    if outcome.stored is not None:
        row.snapshot_id = outcome.stored.snapshot_id
        row.size_bytes, row.added_bytes = outcome.stored.size_bytes, outcome.stored.added_bytes
    db.session.add(row)
    return row


def _used_before(target: Destination) -> bool:
    return db.session.scalar(select(BackupRun.id).where(
        BackupRun.destination == target.name, BackupRun.status == OK).limit(1)) is not None


def _store(target: Destination, copy: Copy, started: datetime, keep: Retention,
           used_before: bool) -> _Outcome:
    """restic's part for one destination (in a thread of its own: no database here)."""
    began = time.monotonic()
    try:
        _open_repository(target, used_before)
        stored = restic.backup(target, copy.folder, started)
        restic.forget(target, keep.daily, keep.weekly, keep.monthly)
    except (ResticError, OSError) as exc:
        log.warning("backup to %s failed: %s", target.name, exc)
        return _Outcome(error=str(exc), seconds=time.monotonic() - began)
    return _Outcome(stored=stored, seconds=time.monotonic() - began)


def _open_repository(target: Destination, used_before: bool) -> None:
    """Initialise a destination's repository on its first use only: one that held copies and
    is gone now is a medium missing (an unmounted disk), never a place to start afresh."""
    if restic.exists(target):
        return
    if used_before:
        raise ResticError(f"«{target.name}»: репозиторий {target.repository} не найден, хотя "
                          "копии в него уже сохранялись (носитель не подключён или повреждён?)")
    restic.init(target)


def backup_daily() -> list[BackupRun]:
    """The worker's daily job: a backup, unless the configuration is missing (logged, and the
    stale-copy alert tells the administrator)."""
    try:
        return run_backup("worker")
    except BackupConfigError as exc:
        log.warning("no backup: %s", exc)
        return []


def demo_backup() -> str:
    """The demo's one backup (``ejournal demo``), told in a line; a failure is told, not
    raised (the demo college is loaded whatever restic says)."""
    began = time.monotonic()
    try:
        rows = run_backup("demo")
    except BackupConfigError as exc:
        return f"Резервная копия не сделана: {exc}"
    told = "; ".join(f"{row.destination}: " + ("снимок " + str(row.snapshot_id)
                                              if row.status == OK else f"ошибка: {row.error}")
                     for row in rows)
    return f"Резервная копия ({time.monotonic() - began:.1f} с): {told}"
