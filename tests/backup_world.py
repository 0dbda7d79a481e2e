"""A migrated app of its own for the backup tests, with two restic repositories in folders
standing in for two media: on a SQLite file, or on PostgreSQL (``EJOURNAL_TEST_DATABASE_URL``)
in a database of its own on that server, made and dropped (a backup dumps a whole database, and
the suite's shared one holds every other test's tables)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core import migrate
from core.extensions import db
from tests.fixtures import TEST_DB_ENV


def destinations(folder: Path, names=("disk1", "disk2")) -> list[dict[str, str]]:
    password = folder / "restic-password"
    password.write_text("a-test-password-for-restic\n")
    return [{"name": name, "repository": str(folder / name), "password_file": str(password)}
            for name in names]


def _server_admin(url: str):
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


@pytest.fixture
def backup_app(make_app, tmp_path) -> Iterator[Flask]:
    base = os.environ.get(TEST_DB_ENV)
    if base:
        url = make_url(base).set(database=f"{make_url(base).database}_backup_{os.getpid()}")
        admin = _server_admin(base)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{url.database}"'))
        database = url.render_as_string(hide_password=False)
    else:
        admin = None
        database = f"sqlite:///{tmp_path / 'backed-up.sqlite3'}"
    app = make_app(DATABASE_URL=database, BACKUP_DESTINATIONS=destinations(tmp_path),
                   WORKER_WAKE=False)
    migrate.upgrade(app)
    yield app
    with app.app_context():
        db.engine.dispose()
    if admin is not None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        admin.dispose()
