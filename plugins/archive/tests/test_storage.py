"""One storage interface: a folder, and a second location written alongside when configured;
a path never climbs out of the archive."""

from __future__ import annotations

import pytest

from plugins.archive.storage import FolderStorage, Storage, StorageError, storage


def test_every_file_goes_to_both_locations_and_is_read_back_from_either(tmp_path):
    both = Storage(FolderStorage(tmp_path / "a"), FolderStorage(tmp_path / "b"))
    both.put("2025-2026/data/marks.csv", b"mark_id\n1\n")
    assert (tmp_path / "a/2025-2026/data/marks.csv").read_bytes() == b"mark_id\n1\n"
    assert (tmp_path / "b/2025-2026/data/marks.csv").read_bytes() == b"mark_id\n1\n"
    (tmp_path / "a/2025-2026/data/marks.csv").unlink()  # the first medium lost it
    assert both.get("2025-2026/data/marks.csv") == b"mark_id\n1\n"
    assert both.exists("2025-2026/data/marks.csv")
    assert both.list("2025-2026") == ["2025-2026/data/marks.csv"]
    both.delete("2025-2026/data/marks.csv")
    assert not both.exists("2025-2026/data/marks.csv") and both.list() == []
    with pytest.raises(StorageError):
        both.get("2025-2026/data/marks.csv")


@pytest.mark.parametrize("path", ["../outside", "/etc/passwd", "a/../../b", "", "a//b"])
def test_a_path_outside_the_archive_is_refused(tmp_path, path):
    with pytest.raises(StorageError):
        FolderStorage(tmp_path).put(path, b"x")


def test_the_apps_storage_is_under_the_instance_unless_configured(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "ARCHIVE_PATH", None)
    monkeypatch.setitem(app.config, "ARCHIVE_SECONDARY_PATH", str(tmp_path / "second"))
    with app.app_context():
        found = storage()
        assert str(found.primary.root).startswith(app.instance_path)
        assert found.primary.root.name == "archive"
        assert found.secondary.root == tmp_path / "second"
