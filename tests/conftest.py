"""Fixtures of the core's own tests: an app with the test-only plugin that implements every hook."""

from __future__ import annotations

import pytest

from core import migrate
from core.plugins.manager import available_plugins

TESTPLUGIN = {"testplugin": "tests.testplugin"}


@pytest.fixture
def plugin_app(make_app, tmp_path):
    """An app with every installed plugin plus ``testplugin``, on its own SQLite database."""
    from tests.testplugin import plugin as testplugin

    testplugin.CALLS.clear()
    testplugin.EVENTS.clear()
    app = make_app(
        EXTRA_PLUGINS=TESTPLUGIN,
        PLUGINS=[*sorted(available_plugins()), "testplugin"],
        DATABASE_URL=f"sqlite:///{tmp_path / 'plugin.sqlite3'}",
    )
    migrate.upgrade(app)
    return app


@pytest.fixture
def make_user_in():
    """Create a user in a given app's database: ``make_user_in(app, "login", [Role.ADMIN])``."""
    from core.auth.passwords import hash_password
    from core.extensions import db
    from core.people.models import RoleAssignment, User
    from core.people.roles import ROLE_SCOPE

    def do(app, login, roles=(), password="secret-pass-1"):
        with app.app_context():
            user = User(login=login, last_name="Тестов", first_name="Тест",
                        password_hash=hash_password(password))
            user.roles = [RoleAssignment(role=r, scope_kind=ROLE_SCOPE[r]) for r in roles]
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            _ = user.roles
            db.session.expunge(user)
        return user

    return do


def emitted(app, *steps: tuple[str, str]) -> list[tuple[str, str]]:
    """Emit the test plugin's ``test.happened`` with each ``what`` of ``steps``, each then
    ``"commit"``-ted or ``"rollback"``-ed; return what its handlers saw (``("in" or "after",
    what)``)."""
    from core import events
    from core.extensions import db
    from tests.testplugin import plugin as testplugin
    from tests.testplugin.events import Happened

    with app.app_context():
        for what, end in steps:
            events.emit(Happened(what=what))
            getattr(db.session, end)()
    return testplugin.EVENTS
