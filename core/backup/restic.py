"""restic, the backup engine, run as a program (``RESTIC_BINARY``, Debian's ``restic``).

Every call names the repository and the password file through restic's environment variables,
so neither appears in a process list, and keeps restic's cache in the instance folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app

from core.backup.destinations import Destination

#: restic's exit code when the repository does not exist or cannot be opened (0.14: 1 with this
#: text on stderr; newer releases exit 10)
_NO_REPOSITORY = ("Is there a repository at the following location?", "repository does not exist",
                  "unable to open config file")


class ResticError(Exception):
    """restic is missing or failed; the message is Russian and says which."""


@dataclass(frozen=True)
class Stored:
    snapshot_id: str
    size_bytes: int
    added_bytes: int


@dataclass(frozen=True)
class Snapshot:
    id: str
    short_id: str
    time: str
    tags: tuple[str, ...]


TAG = "ejournal"


def binary() -> str:
    """The restic program's path; ``ResticError`` when it is not installed."""
    name = current_app.config.get("RESTIC_BINARY") or "restic"
    found = shutil.which(name)
    if not found:
        raise ResticError(f"Программа restic не найдена ({name}): установите пакет restic "
                          "(apt install restic) или укажите путь в RESTIC_BINARY")
    return found


def _environment(destination: Destination) -> dict[str, str]:
    if not destination.password_file.is_file():
        raise ResticError(f"«{destination.name}»: нет файла пароля {destination.password_file}")
    cache = Path(current_app.instance_path) / "restic-cache"
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("RESTIC_")}
    environment.update(RESTIC_REPOSITORY=destination.repository,
                       RESTIC_PASSWORD_FILE=str(destination.password_file),
                       RESTIC_CACHE_DIR=str(cache))
    return environment


def run(destination: Destination, *args: str, cwd: Path | None = None,
        timeout: float = 6 * 3600) -> str:
    """Run ``restic ARGS`` on ``destination``; its standard output, or ``ResticError`` with
    restic's own words."""
    command = [binary(), *args]
    try:
        done = subprocess.run(command, env=_environment(destination), cwd=cwd, timeout=timeout,
                              capture_output=True, text=True, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ResticError(f"«{destination.name}»: restic не ответил за {int(timeout)} с") from exc
    except OSError as exc:
        raise ResticError(f"«{destination.name}»: restic не запустился: {exc}") from exc
    if done.returncode != 0:
        words = " ".join((done.stderr or done.stdout).split())[-500:]
        raise ResticError(f"«{destination.name}»: restic {args[0]} завершился с ошибкой "
                          f"(код {done.returncode}): {words}")
    return done.stdout


def exists(destination: Destination) -> bool:
    """Whether the repository answers (its config can be read with the password)."""
    try:
        run(destination, "cat", "config", timeout=600)
    except ResticError as exc:
        if any(marker in str(exc) for marker in _NO_REPOSITORY):
            return False
        raise
    return True


def init(destination: Destination) -> None:
    """Make the repository (a local folder's parents too)."""
    repository = destination.repository
    if "://" not in repository and ":" not in repository.split("/")[0]:
        Path(repository).parent.mkdir(parents=True, exist_ok=True)  # a local folder
    run(destination, "init", timeout=600)


def backup(destination: Destination, folder: Path, at: datetime) -> Stored:
    """Store the files of ``folder`` (under their names relative to it) as one snapshot dated
    ``at`` (the college clock's instant, so that retention follows it)."""
    output = run(destination, "backup", "--json", "--tag", TAG, "--host", TAG,
                 "--time", at.strftime("%Y-%m-%d %H:%M:%S"), ".", cwd=folder)
    for line in reversed(output.splitlines()):
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if message.get("message_type") == "summary":
            return Stored(str(message["snapshot_id"]), int(message.get("total_bytes_processed", 0)),
                          int(message.get("data_added", 0)))
    raise ResticError(f"«{destination.name}»: restic backup не сообщил номер снимка")


def snapshots(destination: Destination) -> list[Snapshot]:
    """The ejournal snapshots of the repository, oldest first."""
    listed = json.loads(run(destination, "snapshots", "--json", "--tag", TAG, timeout=600)
                        or "[]")
    return [Snapshot(item["id"], item.get("short_id", item["id"][:8]), item["time"],
                     tuple(item.get("tags") or ())) for item in listed or []]


def forget(destination: Destination, daily: int, weekly: int, monthly: int) -> str:
    """Drop the snapshots past the retention (``--keep-daily/weekly/monthly``) and prune."""
    return run(destination, "forget", "--tag", TAG, "--group-by", "host,tags",
               "--keep-daily", str(daily), "--keep-weekly", str(weekly),
               "--keep-monthly", str(monthly), "--prune")


def check(destination: Destination) -> None:
    """``restic check``: the repository's structure is whole (every pack the index names)."""
    run(destination, "check")


def restore(destination: Destination, snapshot_id: str, target: Path) -> None:
    """Restore one snapshot's files into ``target``."""
    run(destination, "restore", snapshot_id, "--target", str(target))
