"""Each hook, called through the test-only plugin that implements all of them."""

from __future__ import annotations

import random
from datetime import date

from click.testing import CliRunner
from flask_login import AnonymousUserMixin
from sqlalchemy import inspect as sa_inspect

from core import migrate
from core.extensions import db
from core.plugins import hook, plugin_registry
from core.plugins.types import MigrationSource
from tests.conftest import emitted


def _user(**fields):
    from core.people.models import User

    return User(id=fields.pop("id", 1), login="t", last_name="Т", first_name="Т", active=True, **fields)


def test_hook_register_models(plugin_app):
    from tests.testplugin import plugin as testplugin

    assert "register_models" in testplugin.CALLS
    assert "testplugin_note" in db.metadata.tables


def test_hook_register_blueprints(plugin_app):
    response = plugin_app.test_client().get("/testplugin/ping")
    assert response.get_json() == {"pong": True}


def test_hook_register_cli(plugin_app):
    result = plugin_app.test_cli_runner().invoke(args=["testplugin-hello"])
    assert result.exit_code == 0
    assert "привет от тестового плагина" in result.output


def test_hook_migration_dirs(plugin_app):
    found = {s.name: s for s in migrate.sources(plugin_app)}
    assert list(found)[0] == "core"
    assert isinstance(found["testplugin"], MigrationSource)
    assert found["testplugin"].version_table == "alembic_version_testplugin"
    with plugin_app.app_context():
        tables = set(sa_inspect(db.engine).get_table_names())
    assert {"testplugin_note", "alembic_version_testplugin", "alembic_version"} <= tables


def test_hook_settings_schema(plugin_app):
    from core import settings

    with plugin_app.test_request_context():
        specs = settings.specs()
        assert specs["testplugin.greeting"].default == "Здравствуйте"
        assert settings.get("testplugin.greeting") == "Здравствуйте"
        assert "college.name" in specs


def test_hook_policy_schema(plugin_app):
    from core.policy import current_policy

    with plugin_app.test_request_context():
        assert current_policy()["testplugin.max_notes"] == 3


def test_hook_permissions(plugin_app):
    from core.people.access import role_allows
    from core.people.models import RoleAssignment
    from core.people.roles import Role

    teacher = _user()
    teacher.roles = [RoleAssignment(role=Role.TEACHER, scope_kind="college")]
    parent = _user(id=2)
    parent.roles = [RoleAssignment(role=Role.PARENT, scope_kind="child")]
    with plugin_app.test_request_context():
        assert role_allows(teacher, "testplugin.note") is True
        assert role_allows(parent, "testplugin.note") is False
        assert role_allows(parent, "undeclared.action") is None


def test_hook_event_handlers(plugin_app):
    assert emitted(plugin_app, ("committed", "commit"), ("rolled back", "rollback")) == [
        ("in", "committed"), ("after", "committed")]


def test_hook_health_checks(plugin_app):
    body = plugin_app.test_client().get("/healthz").get_json()
    assert body["checks"]["testplugin"] == {"ok": True, "value": 0, "detail": "глубина 0"}


def test_hook_policy_rules(plugin_app):
    from core import policy

    with plugin_app.test_request_context():
        teacher = _user()
        from core.people.models import RoleAssignment

        teacher.roles = [RoleAssignment(role="teacher", scope_kind="college")]
        assert policy.check("testplugin.note", teacher, 2).allowed
        refused = policy.check("testplugin.note", teacher, 4)
        assert not refused.allowed and refused.reason == "Слишком много заметок"


def test_hook_nav_items(plugin_app):
    with plugin_app.test_request_context():
        items = [i for batch in hook().nav_items(user=AnonymousUserMixin()) for i in batch]
    assert [i.title for i in items] == ["Тестовый раздел"]


def test_hook_dashboard_widgets(plugin_app, make_user_in):
    user = make_user_in(plugin_app, "widget-viewer")
    client = plugin_app.test_client()
    client.post("/auth/login", data={"login": user.login, "password": "secret-pass-1"})
    page = client.get("/").get_data(as_text=True)
    assert "Тестовый виджет" in page
    assert "&lt;b&gt;не HTML&lt;/b&gt;" in page


def test_hook_admin_links(plugin_app, make_user_in):
    from core.people.roles import Role

    admin = make_user_in(plugin_app, "links-admin", [Role.ADMIN])
    client = plugin_app.test_client()
    client.post("/auth/login", data={"login": admin.login, "password": "secret-pass-1"})
    assert "Тестовая админка" in client.get("/admin/").get_data(as_text=True)


def test_hook_about_items(plugin_app, make_user_in):
    from core.people.roles import Role

    admin = make_user_in(plugin_app, "about-admin", [Role.ADMIN])
    client = plugin_app.test_client()
    client.post("/auth/login", data={"login": admin.login, "password": "secret-pass-1"})
    page = client.get("/admin/about").get_data(as_text=True)
    assert "Тестовый пункт" in page and "работает" in page
    assert "Тестовый плагин" in page and "9.9.9" in page  # plugin list with versions (KTIS 3.1)
    assert "sqlite" in page  # database backend


def test_hook_demo_data(plugin_app):
    from core.demo import DemoCollege

    college = DemoCollege(rng=random.Random(1), today=date(2026, 11, 25))
    with plugin_app.app_context():
        for impl in plugin_registry(plugin_app).in_order("demo_data"):
            impl.function(college=college)
        db.session.rollback()
    assert college.made["testplugin_saw_staff"] is True  # the core's people came first


def test_hook_scope_group_ids(plugin_app):
    from core.people import scope
    from core.people.models import RoleAssignment

    teacher = _user(email="groups:7,9")
    teacher.roles = [RoleAssignment(role="teacher", scope_kind="college")]
    with plugin_app.test_request_context():
        assert scope.group_ids(teacher) == {7, 9}
        assert scope.can_access_group(teacher, 7)
        assert not scope.can_access_group(teacher, 8)


def test_hook_object_scope(plugin_app):
    from core.people import scope

    owner, other = _user(id=5), _user(id=6)
    note = {"kind": "testplugin.note", "owner": 5}
    with plugin_app.test_request_context():
        assert scope.can_access(other, note, "view")
        assert scope.can_access(owner, note, "edit")
        assert not scope.can_access(other, note, "edit")
        assert not scope.can_access(owner, {"kind": "unknown"}, "view")  # nobody vouches: refused


def test_the_cli_runner_is_click(plugin_app):
    assert isinstance(plugin_app.test_cli_runner(), CliRunner)
