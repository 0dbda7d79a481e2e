"""Readers never wait for writers (SQLite): while another connection holds the write lock, a
page that only reads is served at once, a writing request still waits its turn, and a page
that reads and then writes (an audited read) is served once the writer is done."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from core.extensions import db
from plugins.grading.tests.world import PASSWORD, build

pytestmark = pytest.mark.committing


def _sqlite_file(app) -> str:
    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() != "sqlite":
        pytest.skip("PostgreSQL readers never wait for writers: MVCC")
    return url.database


def _signed_in(app, user):
    client = app.test_client()
    assert client.post("/auth/login", data={"login": user.login, "password": PASSWORD}
                       ).status_code == 302
    return client


class Writer:
    """Another process's writer: a connection holding SQLite's write lock until released."""

    def __init__(self, path: str):
        self.connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.connection.execute("BEGIN IMMEDIATE")
        self.connection.execute("CREATE TABLE IF NOT EXISTS _writer_probe (x INTEGER)")
        self.connection.execute("INSERT INTO _writer_probe VALUES (1)")

    def commit(self) -> None:
        self.connection.execute("COMMIT")
        self.connection.close()


def test_a_page_that_only_reads_is_served_while_a_writer_holds_the_database(committed_app):
    path = _sqlite_file(committed_app)
    world = build(committed_app, prefix="rf1")
    client = _signed_in(committed_app, world.users["teacher"])
    writer = Writer(path)
    try:
        # IMMEDIATE reads would wait out busy_timeout and answer 500 here
        assert client.get("/journal/").status_code == 200
        assert client.get("/").status_code == 200
    finally:
        writer.commit()


def test_a_read_that_writes_is_served_once_the_writer_is_done(committed_app, caplog):
    """The audited read of another teacher's journal (a staff read of personal data) writes an
    audit row: its transaction, begun as a reader, meets a writer that then commits; the page
    is run again as a writer and answers 200 with the read logged once."""
    from sqlalchemy import func, select

    from core.audit import AuditEntry

    path = _sqlite_file(committed_app)
    world = build(committed_app, prefix="rf2")
    client = _signed_in(committed_app, world.users["deputy"])
    with committed_app.app_context():
        before = db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "journal.grid.view"))
    caplog.set_level("INFO", logger="core.database")
    writer = Writer(path)
    releaser = threading.Timer(0.3, writer.commit)
    releaser.start()
    try:
        response = client.get(f"/journal/load/{world.ids['load']}")
    finally:
        releaser.join()
    assert response.status_code == 200
    assert "met a writer; run again as a writer" in caplog.text
    with committed_app.app_context():
        after = db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "journal.grid.view"))
    assert after == before + 1  # logged, and once: the first run's entry went with its rollback
