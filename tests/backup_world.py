"""Two restic repositories in folders standing in for two media, for the backup tests."""

from __future__ import annotations

from pathlib import Path


def destinations(folder: Path, names=("disk1", "disk2")) -> list[dict[str, str]]:
    password = folder / "restic-password"
    password.write_text("a-test-password-for-restic\n")
    return [{"name": name, "repository": str(folder / name), "password_file": str(password)}
            for name in names]
