"""Database engine settings: SQLite pragmas and transaction handling; write conflicts."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, g, request
from sqlalchemy import Select, event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from core.errors import DomainError
from core.extensions import db

#: PostgreSQL's codes of a write that lost to a concurrent one: unique key taken, a
#: serialization failure, a deadlock (one of two waiting transactions is aborted)
_PG_CONFLICTS = {"23505", "40001", "40P01"}
_SQLITE_UNIQUE = {"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"}

#: requests that only read (RFC 9110 safe methods): on SQLite they begin DEFERRED
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: how SQLite transactions of this request begin, when the request chose (``read_first``)
_begin_mode: ContextVar[str | None] = ContextVar("sqlite_begin_mode", default=None)

log = logging.getLogger(__name__)


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
        mode = _begin_mode.get() or connection.get_execution_options().get(
            "sqlite_begin_mode", "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")


def is_busy(exc: BaseException) -> bool:
    """Whether SQLite refused a read transaction's first write because a writer holds the lock
    or wrote since the read began (``SQLITE_BUSY``, ``SQLITE_BUSY_SNAPSHOT``)."""
    if not isinstance(exc, OperationalError) or not isinstance(exc.orig, sqlite3.OperationalError):
        return False
    name = getattr(exc.orig, "sqlite_errorname", "")
    return name.startswith("SQLITE_BUSY") or "database is locked" in str(exc.orig)


def read_first(app: Flask) -> None:
    """Readers never wait for writers on SQLite: a safe request's transactions begin DEFERRED
    (a WAL snapshot, no lock), while writing requests keep ``SQLITE_BEGIN_MODE``. The few safe
    requests that also write (an audited read, the day's lessons of the timetable, a
    substitute's day) turn their transaction into a writer when they commit; should a writer
    hold the database then or have written since the snapshot began, the request, which is
    safe to repeat, runs again from the start as a writer. PostgreSQL needs none of this."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") \
            or app.config["SQLITE_BEGIN_MODE"] != "IMMEDIATE":
        return

    def _begin_deferred() -> None:
        if request.method in SAFE_METHODS:
            g.sqlite_begin_token = _begin_mode.set("DEFERRED")

    def _restore(_exc) -> None:
        token = g.pop("sqlite_begin_token", None)
        if token is not None:
            _begin_mode.reset(token)

    app.before_request_funcs.setdefault(None, []).insert(0, _begin_deferred)
    app.teardown_request(_restore)
    dispatch = app.dispatch_request

    def dispatch_request():
        try:
            return dispatch()
        except OperationalError as exc:
            if request.method not in SAFE_METHODS or not is_busy(exc):
                raise
            db.session.rollback()
            log.info("a read of %s met a writer; run again as a writer", request.path)
            _begin_mode.set("IMMEDIATE")
            return dispatch()

    app.dispatch_request = dispatch_request


def capped_count(query: Select, cap: int) -> int:
    """How many rows ``query`` selects, counted no further than ``cap + 1`` (more than ``cap``
    reads «более»): a growing log costs the same to count in its seventh year as in its first."""
    return db.session.scalar(select(func.count()).select_from(query.limit(cap + 1).subquery()))


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
