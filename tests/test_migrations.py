"""Migrations per owner: the core and each plugin upgrade, and downgrade, on their own."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import text

from core import migrate
from core.extensions import db
from core.plugins.manager import available_plugins
from tests.conftest import TESTPLUGIN


def tables(app) -> set[str]:
    with app.app_context():
        return set(sa_inspect(db.engine).get_table_names())


def test_a_plugin_enabled_later_gets_its_tables_on_the_next_upgrade(make_app, tmp_path):
    url = f"sqlite:///{tmp_path / 'later.sqlite3'}"
    before = make_app(DATABASE_URL=url, PLUGINS=[], EXTRA_PLUGINS=TESTPLUGIN)
    assert migrate.upgrade(before) == ["core"]
    assert "testplugin_note" not in tables(before)
    assert "core_user" in tables(before)

    after = make_app(DATABASE_URL=url, PLUGINS=["testplugin"], EXTRA_PLUGINS=TESTPLUGIN)
    assert migrate.upgrade(after) == ["core", "testplugin"]
    assert "testplugin_note" in tables(after)


def test_a_plugin_branch_can_be_downgraded_alone(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'down.sqlite3'}", PLUGINS=["testplugin"],
                   EXTRA_PLUGINS=TESTPLUGIN)
    migrate.upgrade(app)
    with app.app_context():
        db.session.execute(text("INSERT INTO core_setting (key, value, updated_at) "
                                "VALUES ('college.name', '\"X\"', '2026-01-01 00:00:00')"))
        db.session.commit()
    migrate.downgrade(app, "testplugin", "base")
    assert "testplugin_note" not in tables(app)
    assert "core_user" in tables(app)
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM core_setting")).scalar() == 1
        core_version = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert core_version  # the core's history is untouched


def test_the_cli_upgrades_every_enabled_owner(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}", PLUGINS=["testplugin"],
                   EXTRA_PLUGINS=TESTPLUGIN)
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "core, testplugin" in result.output
    assert {"core_user", "testplugin_note"} <= tables(app)


def _owners_of_tables() -> list[str]:
    """The core and every plugin that keeps tables (a plugin without models has no history)."""
    from core.plugins.manager import _load
    from core.plugins.registration import migration_source

    found = available_plugins()
    loaded = [_load(name, found) for name in found]
    return ["core", *sorted(p.info.name for p in loaded if hasattr(p.hooks, "migration_dirs")
                            or migration_source(p.info, p.package))]


@pytest.mark.parametrize("owner", _owners_of_tables())
def test_models_and_migrations_agree(app, owner):
    """Autogenerate finds nothing to do: every model change has its migration."""
    source = migrate.source(app, owner)
    with app.app_context():
        connection = db.session.connection()  # the test's own connection
        context = MigrationContext.configure(connection, opts={
            "include_object": lambda obj, name, type_, reflected, compare_to: (
                not name.startswith("alembic_version")
                and (name.startswith(source.table_prefix) if type_ == "table"
                     else getattr(getattr(obj, "table", None), "name", source.table_prefix)
                     .startswith(source.table_prefix))
            ),
            "compare_type": False,
        })
        differences = compare_metadata(context, db.metadata)
    assert differences == [], f"{owner}: models differ from migrations: {differences}"
