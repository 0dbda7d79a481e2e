"""Database engine settings: SQLite pragmas and transaction handling."""

from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # let SQLAlchemy emit BEGIN itself, so SAVEPOINT works (pysqlite's own handling breaks it)
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(connection) -> None:
    # IMMEDIATE (the default, config SQLITE_BEGIN_MODE): take the write lock at the start, so
    # concurrent writers wait (busy_timeout) instead of failing with "database is locked" when a
    # read transaction turns into a write
    if connection.dialect.name == "sqlite":
        mode = connection.get_execution_options().get("sqlite_begin_mode", "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")


def backend_description() -> str:
    """«postgresql 15.19» or «sqlite 3.40.1»: for the «О системе» page."""
    from core.extensions import db

    dialect = db.engine.dialect
    version = ".".join(map(str, dialect.server_version_info or ()))
    return f"{dialect.name} {version}".strip()
