"""A college may enable only some plugins (DESIGN §8): with each subset the app starts, upgrades
the core's and those plugins' histories only, answers every role's pages without a link to a
disabled plugin, and saves the grid through the plugins that own its cells."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import inspect as sql_inspect

from core import migrate
from core.extensions import db
from core.people.roles import Role
from core.plugins import plugin_registry
from core.plugins.manager import available_plugins
from plugins.grading.tests.world import build as build_world
from tests.fixtures import signed_in, user_maker

SUBSETS = {
    "journal": ["journal"],
    "attendance": ["journal", "attendance"],
    # notify_email requires family: its digest is the diary
    "email": ["journal", "grading", "family", "notify_email"],
    "reports": ["journal", "reports"],
}
#: a plugin's pages live under its blueprint's prefix; a disabled one's must not be linked
PREFIXES = {"attendance": "/attendance", "family": "/diary", "grading": "/grading",
            "messaging": "/messages", "notify_email": "/notify", "notify_sms": "/notify/sms",
            "reports": "/reports", "substitutions": "/substitutions"}
#: a grid value each saving plugin accepts, and how it is shown back
SAVES = {"grading": "5", "attendance": "н"}


@pytest.fixture(params=sorted(SUBSETS), ids=sorted(SUBSETS))
def subset_app(request, make_app, tmp_path):
    enabled = SUBSETS[request.param]
    app = make_app(PLUGINS=enabled, DATABASE_URL=f"sqlite:///{tmp_path / 'subset.sqlite3'}")
    migrate.upgrade(app)
    return app


def _disabled(app) -> list[str]:
    return sorted(set(available_plugins()) - set(plugin_registry(app).names))


def _links(html: str) -> list[str]:
    return re.findall(r'(?:href|action)="([^"]*)"', html)


def _assert_no_link_to_disabled(app, html: str, page: str) -> None:
    for plugin in _disabled(app):
        prefix = PREFIXES.get(plugin)
        if prefix is None:
            continue
        dangling = [link for link in _links(html) if link.split("?")[0].startswith(prefix + "/")
                    or link.split("?")[0] == prefix]
        if plugin == "notify_email":  # /notify/sms is notify_sms's
            dangling = [link for link in dangling if not link.startswith("/notify/sms")]
        assert not dangling, f"{page} links disabled plugin {plugin}: {dangling}"


def test_only_the_core_and_the_enabled_plugins_are_migrated(subset_app):
    enabled = plugin_registry(subset_app).names
    with subset_app.app_context():
        tables = set(sql_inspect(db.engine).get_table_names())
    expected = {s.version_table for s in migrate.sources(subset_app)}
    assert {t for t in tables if t.startswith("alembic_version")} == expected
    for plugin in _disabled(subset_app):
        assert not [t for t in tables if t.startswith(f"{plugin}_")], plugin
    assert {"core_user", "journal_lesson"} <= tables
    assert {s.name for s in migrate.sources(subset_app)} <= {"core", *enabled}


def test_every_roles_pages_answer_without_a_link_to_a_disabled_plugin(subset_app):
    world = build_world(subset_app, prefix="s")
    make = user_maker(subset_app)
    users = {**world.users, "curator": make("s.curator", [Role.CURATOR]),
             "parent": make("s.parent", [Role.PARENT])}
    grid = f"/journal/load/{world.ids['load']}"
    pages = {"admin": ["/", "/journal/", grid, "/admin/", "/admin/policy", "/admin/about",
                       "/admin/settings", "/admin/year/"],
             "deputy": ["/", "/journal/", grid],
             "teacher": ["/", "/journal/", grid, f"/journal/lessons/{world.lessons[-1]}"],
             "curator": ["/", "/journal/"], "student_user": ["/"], "parent": ["/"]}
    for who, urls in pages.items():
        client = signed_in(subset_app, users[who])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, f"{who} {url}: {response.status_code}"
            _assert_no_link_to_disabled(subset_app, response.get_data(as_text=True),
                                        f"{who} {url}")


def test_the_menu_has_no_entry_of_a_disabled_plugin(subset_app):
    from core.people.models import User
    from core.plugins import hook

    world = build_world(subset_app, prefix="m")
    disabled = set(_disabled(subset_app))
    for who in ("admin", "teacher", "student_user"):
        with subset_app.test_request_context():
            user = db.session.get(User, world.users[who].id)
            items = [item for batch in hook(subset_app).nav_items(user=user) for item in batch]
        assert items
        assert not [i.endpoint for i in items if i.endpoint.split(".")[0] in disabled]


def test_the_grid_saves_through_each_enabled_plugin_that_owns_cells(subset_app):
    world = build_world(subset_app, prefix="w")
    savers = [p for p in SAVES if p in plugin_registry(subset_app).names]
    client = signed_in(subset_app, world.users["teacher"])
    grid = f"/journal/load/{world.ids['load']}"
    lesson, student = world.lessons[-1], world.students[0]  # today's lesson: inside the window
    for plugin in savers:
        html = client.get(grid).get_data(as_text=True)
        [action] = re.findall(r'<form method="post" action="([^"]+)" id="journal-grid-form"', html)
        [name] = re.findall(rf'name="(cell-{plugin}-{lesson}-{student}-[^"]*)"', html)
        response = client.post(action, data={name: SAVES[plugin]})
        assert response.status_code == 302, response.get_data(as_text=True)
        html = client.get(grid).get_data(as_text=True)
        assert re.search(rf'name="cell-{plugin}-{lesson}-{student}-\d*-{SAVES[plugin]}"', html), (
            f"{plugin}'s cell was not saved")
    if not savers:
        html = client.get(grid).get_data(as_text=True)
        assert not re.findall(r'name="cell-', html)
