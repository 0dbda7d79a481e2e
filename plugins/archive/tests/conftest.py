"""Each archive test writes into a storage folder of its own (the database is rolled back after
a test, the files would stay)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def archive_folder(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "ARCHIVE_PATH", str(tmp_path / "archive"))
    return tmp_path / "archive"
