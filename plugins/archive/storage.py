"""The one way archive files are written and read: a folder, ``instance/archive`` unless
``ARCHIVE_PATH`` names another, and a second copy in ``ARCHIVE_SECONDARY_PATH`` when set
(another disk or a mounted share). Every ``put`` writes to both; ``get`` reads the first and
falls back to the second, so a lost primary copy still serves the file.

Paths are relative, with ``/`` between parts, and may not climb out of the root.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from flask import current_app


class StorageError(Exception):
    """A path outside the archive, or a file in neither location."""


class FolderStorage:
    """Files in one folder on disk."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _file(self, path: str) -> Path:
        parts = path.split("/") if isinstance(path, str) else []
        if not path or any(part in ("..", ".", "") or "\\" in part for part in parts):
            raise StorageError(f"недопустимый путь в архиве: {path!r}")
        return self.root.joinpath(*parts)

    def put(self, path: str, data: bytes) -> None:
        target = self._file(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch = target.with_name(target.name + ".part")
        with open(scratch, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        scratch.replace(target)  # a reader never sees half a file

    def get(self, path: str) -> bytes:
        try:
            return self._file(path).read_bytes()
        except FileNotFoundError as exc:
            raise StorageError(f"нет файла архива {path}") from exc

    def exists(self, path: str) -> bool:
        return self._file(path).is_file()

    def delete(self, path: str) -> None:
        self._file(path).unlink(missing_ok=True)

    def list(self, prefix: str = "") -> list[str]:
        base = self._file(prefix) if prefix else self.root
        if not base.is_dir():
            return []
        return sorted(str(PurePosixPath(*file.relative_to(self.root).parts))
                      for file in base.rglob("*") if file.is_file()
                      and not file.name.endswith(".part"))


class Storage:
    """The archive's storage: a primary folder and an optional secondary written alongside."""

    def __init__(self, primary: FolderStorage, secondary: FolderStorage | None = None):
        self.primary = primary
        self.secondary = secondary

    @property
    def locations(self) -> list[FolderStorage]:
        return [self.primary] + ([self.secondary] if self.secondary else [])

    def put(self, path: str, data: bytes) -> None:
        """Write ``data`` at ``path`` in every location."""
        for location in self.locations:
            location.put(path, data)

    def get(self, path: str) -> bytes:
        """The file's bytes, from the first location that has it."""
        for location in self.locations:
            if location.exists(path):
                return location.get(path)
        raise StorageError(f"нет файла архива {path}")

    def exists(self, path: str) -> bool:
        return any(location.exists(path) for location in self.locations)

    def delete(self, path: str) -> None:
        """Remove the file from every location (the retention purge only)."""
        for location in self.locations:
            location.delete(path)

    def list(self, prefix: str = "") -> list[str]:
        """The paths under ``prefix`` in any location."""
        found: set[str] = set()
        for location in self.locations:
            found.update(location.list(prefix))
        return sorted(found)


def storage() -> Storage:
    """The current app's archive storage, from ``ARCHIVE_PATH`` and ``ARCHIVE_SECONDARY_PATH``."""
    config = current_app.config
    primary = config.get("ARCHIVE_PATH") or os.path.join(current_app.instance_path, "archive")
    secondary = config.get("ARCHIVE_SECONDARY_PATH")
    return Storage(FolderStorage(Path(primary)),
                   FolderStorage(Path(secondary)) if secondary else None)
