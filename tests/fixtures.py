"""Test fixtures: one migrated database per test session, a rolled-back transaction per test.

``EJOURNAL_TEST_DATABASE_URL`` runs the suite on PostgreSQL; by default it runs on SQLite.
Every installed plugin is enabled in the shared app; ``make_app`` builds others.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, current_app, has_app_context
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import create_engine, event, text

from core import create_app, migrate
from core.extensions import db
from core.plugins.manager import available_plugins

TEST_DB_ENV = "EJOURNAL_TEST_DATABASE_URL"


class _BoundSession(FlaskSession):
    """In the shared app, a session on the test's connection (joined with savepoints);
    in any other app (``make_app``), an ordinary session of that app."""

    def get_bind(self, *args, **kwargs):
        if current_app._get_current_object() is self.info["shared_app"]:
            return self.bind
        return super().get_bind(*args, **kwargs)


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get(TEST_DB_ENV)
    if url:
        _reset_postgres(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app_config(database_url, tmp_path_factory) -> dict:
    """The configuration of the shared test app: every installed plugin, the BTT preset."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
        "SECRET_KEY": "test-secret",
        # one key for every app of the run: they may share the test database's audit chain
        "AUDIT_KEY": "test-audit-key-of-at-least-32-characters",
        "POLICY": "btt",
        "PLUGINS": sorted(available_plugins()),
        "WTF_CSRF_ENABLED": False,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "ARGON2_PARALLELISM": 1,
        "SERVER_NAME": "localhost",
        "RATELIMIT_ENABLED": True,
        # each test holds one transaction open; other apps on the same file must still read
        "SQLITE_BEGIN_MODE": "DEFERRED",
    }


@pytest.fixture(scope="session")
def app(app_config) -> Iterator[Flask]:
    application = create_app(app_config)
    migrate.upgrade(application)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def make_app(app_config, tmp_path) -> Iterator:
    """Build another app (own plugins or preset) on the test database or a fresh SQLite file."""
    built: list[Flask] = []

    def factory(**overrides) -> Flask:
        config = {**app_config, "INSTANCE_PATH": str(tmp_path / f"instance{len(built)}")}
        config.update(overrides)
        application = create_app(config)
        built.append(application)
        return application

    yield factory
    for application in built:
        with application.app_context():
            db.engine.dispose()


@pytest.fixture
def demo_day_app(make_app, tmp_path, clock) -> Flask:
    """A migrated app on a SQLite file of its own for loading the demo into, the clock at
    09:00 UTC on 25 November 2026 (ticking), no worker woken after a commit."""
    from datetime import UTC, datetime

    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC), tick=True)
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}", WORKER_WAKE=False)
    migrate.upgrade(app)
    return app


@pytest.fixture(params=["btt", "ktis"])
def preset_app(request, app, make_app, tmp_path):
    """Each policy preset's app: the shared (BTT) one, then a migrated KTIS app on a file."""
    if request.param == "btt":
        return app
    other = make_app(POLICY="ktis", DATABASE_URL=f"sqlite:///{tmp_path / 'ktis.sqlite3'}")
    migrate.upgrade(other)
    return other


@pytest.fixture(autouse=True)
def _rollback(request, app) -> Iterator[None]:
    """Run every test inside a transaction that is rolled back; its commits become savepoints.

    No app context stays pushed during the test: each request (and each ``with
    app.app_context()`` block) gets its own session, all on the test's one connection.
    """
    if "committing" in request.keywords:
        yield
        return
    with app.app_context():
        connection = db.engine.connect()
    outer = connection.begin()
    scoped = db._make_scoped_session(
        {"class_": _BoundSession, "bind": connection, "info": {"shared_app": app},
         "join_transaction_mode": "create_savepoint", "expire_on_commit": False}
    )
    original, db.session = db.session, scoped
    try:
        yield
    finally:
        db.session = original
        if outer.is_active:
            outer.rollback()
        connection.close()


@pytest.fixture
def ctx(app) -> Iterator[None]:
    """An app and request context for tests of services and models that make no requests.

    A test that also uses ``client`` must open ``with app.app_context():`` blocks instead:
    a context held open would be shared by the client's requests (and their ``g``).
    """
    with app.test_request_context():
        yield


class _IsolatedClient(FlaskClient):
    def open(self, *args, **kwargs):
        if has_app_context():
            raise RuntimeError("a test holds an app context while making a request: "
                               "use `with app.app_context():` blocks, not the ctx fixture")
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = _IsolatedClient
    return app.test_client()


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


def signed_in(app: Flask, user, password: str = "secret-pass-1") -> FlaskClient:
    """A client of ``app`` with ``user`` signed in through the login form."""
    client = app.test_client()
    response = client.post("/auth/login", data={"login": user.login, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def login(client):
    """Sign ``user`` in through the login form: ``login(user)``."""

    def do(user, password: str = "secret-pass-1") -> None:
        response = client.post("/auth/login", data={"login": user.login, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)

    return do


def user_maker(app: Flask):
    """``make(login, roles=(), password=..., scope_id=None, **fields)``: a user of ``app`` with
    roles, committed; returned detached, its roles loaded."""
    from core.auth.passwords import hash_password
    from core.people.models import RoleAssignment, User
    from core.people.roles import ROLE_SCOPE

    def make(login: str, roles=(), password: str = "secret-pass-1", scope_id=None,
             **fields) -> User:
        fields.setdefault("last_name", "Тестов")
        fields.setdefault("first_name", "Тест")
        with app.app_context():
            user = User(login=login, password_hash=hash_password(password), **fields)
            for role in roles:
                user.roles.append(RoleAssignment(role=role, scope_kind=ROLE_SCOPE[role],
                                                 scope_id=scope_id))
            db.session.add(user)
            db.session.commit()
            _ = user.roles  # loaded while attached
        return user

    return make


@pytest.fixture
def make_user(app):
    """Create a user with roles: ``make_user("admin", roles=[Role.ADMIN])``; returns it detached."""
    return user_maker(app)


def count_queries(app: Flask):
    """A context manager counting SQL statements on ``app``'s engine: ``with count_queries(app) as n``."""
    return _QueryCounter(app)


class _QueryCounter:
    def __init__(self, app: Flask):
        self.app = app
        self.count = 0

    def _on_execute(self, *args, **kwargs):
        self.count += 1

    def __enter__(self):
        with self.app.app_context():
            self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._on_execute)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._on_execute)
        return False


ROOT = Path(__file__).resolve().parent.parent
