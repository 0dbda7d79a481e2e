"""The places a backup goes: ``BACKUP_DESTINATIONS`` in the instance config.

Each is ``{"name": "disk2", "repository": "/mnt/disk2/ejournal", "password_file": "/etc/..."}``:
a restic repository (a folder, ``sftp:host:/path``, ``s3:...``, ``rest:...``) and the file with
its password, kept outside the database (lose it and the copies cannot be read).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app


class BackupConfigError(Exception):
    """The destinations are not configured as they should be (a Russian message)."""


@dataclass(frozen=True)
class Destination:
    name: str
    repository: str
    password_file: Path


#: the destinations when ``BACKUP_DESTINATIONS`` is ``None``: two repositories in the instance
#: folder, on the database's own disk (a start, as the embedded SQLite is; the page says so)
LOCAL = ("local-1", "local-2")


def local_destinations() -> list[Destination]:
    """The default pair under ``instance/backups/``, with a password made once in
    ``instance/backup_password``."""
    from core.config import _instance_secret

    instance = Path(current_app.instance_path)
    _instance_secret(instance, "backup_password")
    return [Destination(name, str(instance / "backups" / name), instance / "backup_password")
            for name in LOCAL]


def on_instance_disk(destination: Destination) -> bool:
    """Whether a destination is a folder inside the instance folder (not another medium)."""
    instance = Path(current_app.instance_path).resolve()
    path = Path(destination.repository).expanduser()
    return path.is_absolute() and path.resolve().is_relative_to(instance)


def destinations() -> list[Destination]:
    """The configured destinations, in the config's order; ``BackupConfigError`` naming what
    is wrong (none configured, a field missing, a name twice)."""
    raw = current_app.config.get("BACKUP_DESTINATIONS")
    if raw is None:
        return local_destinations()
    if not isinstance(raw, list | tuple) or not raw:
        raise BackupConfigError(
            "Не настроены места хранения резервных копий: укажите BACKUP_DESTINATIONS в "
            "instance/config.py (не меньше двух, на разных носителях)")
    found: list[Destination] = []
    for number, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            raise BackupConfigError(f"BACKUP_DESTINATIONS, место {number}: ожидается словарь "
                                    "с ключами name, repository, password_file")
        missing = [key for key in ("name", "repository", "password_file")
                   if not str(item.get(key) or "").strip()]
        if missing:
            raise BackupConfigError(f"BACKUP_DESTINATIONS, место {number}: не указано "
                                    + ", ".join(missing))
        name = str(item["name"]).strip()
        if any(d.name == name for d in found):
            raise BackupConfigError(f"BACKUP_DESTINATIONS: имя «{name}» повторяется")
        found.append(Destination(name, str(item["repository"]).strip(),
                                 Path(str(item["password_file"])).expanduser()))
    return found


def find(name: str | None) -> Destination:
    """The destination called ``name``, or the first one."""
    known = destinations()
    if not name:
        return known[0]
    for destination in known:
        if destination.name == name:
            return destination
    raise BackupConfigError(f"Нет места хранения «{name}» (есть: "
                            + ", ".join(d.name for d in known) + ")")
