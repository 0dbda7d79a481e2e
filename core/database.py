"""Database engine settings: SQLite pragmas and transaction handling; write conflicts."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from core.errors import DomainError
from core.extensions import db

#: PostgreSQL's codes of a write that lost to a concurrent one: unique key taken, a
#: serialization failure, a deadlock (one of two waiting transactions is aborted)
_PG_CONFLICTS = {"23505", "40001", "40P01"}
_SQLITE_UNIQUE = {"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"}


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


def is_write_conflict(exc: BaseException) -> bool:
    """Whether the database refused a write because another transaction got there first.

    That is a versioned UPDATE that matched no row (``StaleDataError``: the row's version is no
    longer the one read, see ``version_id_col`` on the models), a unique key another
    transaction has just taken (two writers inserting the same new cell), or PostgreSQL
    aborting one of two transactions that waited for each other. Any other error is a bug.
    """
    if isinstance(exc, StaleDataError):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    original = exc.orig
    if getattr(original, "sqlstate", None) in _PG_CONFLICTS:
        return True
    if isinstance(exc, IntegrityError) and isinstance(original, sqlite3.IntegrityError):
        name = getattr(original, "sqlite_errorname", "")
        return name in _SQLITE_UNIQUE or str(original).startswith("UNIQUE constraint failed")
    return False


@contextmanager
def refused_on_conflict(refusal: Callable[[], DomainError]) -> Iterator[None]:
    """Write the block in a savepoint, flushed at its end. When the database finds a write
    conflict (``is_write_conflict``), only the block is rolled back, the session forgets what it
    had read (so it reads what the other transaction committed) and ``refusal()`` is raised:
    it is called after the rollback, so it can name the current values."""
    try:
        with db.session.begin_nested():
            yield
    except Exception as exc:
        if not is_write_conflict(exc):
            raise
        db.session.expire_all()
        raise refusal() from exc
