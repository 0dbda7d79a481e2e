"""Migrations per owner (DESIGN §4): the core and each plugin keep their own alembic history.

Every history has its own version table (``alembic_version`` for the core,
``alembic_version_<plugin>`` for a plugin), so a disabled plugin never breaks the core's upgrade
and a plugin can be downgraded alone. One shared ``migrations/env.py`` serves all.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask

from core.errors import StartupError
from core.plugins import plugin_registry
from core.plugins.types import MigrationSource

SHARED_SCRIPTS = Path(__file__).resolve().parent.parent / "migrations"


def sources(app: Flask) -> list[MigrationSource]:
    """Every enabled owner's migration source, the core first, then plugins in dependency order."""
    found: list[MigrationSource] = []
    for impl in plugin_registry(app).in_order("migration_dirs"):
        result = impl.function()
        found.extend(result if isinstance(result, list) else [result])
    return found


def source(app: Flask, name: str) -> MigrationSource:
    for candidate in sources(app):
        if candidate.name == name:
            return candidate
    known = ", ".join(s.name for s in sources(app))
    raise StartupError(f"нет истории миграций «{name}» (есть: {known})")


def alembic_config(src: MigrationSource) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SHARED_SCRIPTS))
    config.set_main_option("version_locations", str(src.path / "versions"))
    config.set_main_option("path_separator", "os")
    config.attributes["ejournal_source"] = src
    return config


def upgrade(app: Flask, only: str | None = None, revision: str = "heads") -> list[str]:
    """Upgrade the core and every enabled plugin (or ``only`` one); return the names done."""
    done = []
    with app.app_context():
        for src in sources(app):
            if only and src.name != only:
                continue
            (src.path / "versions").mkdir(parents=True, exist_ok=True)
            command.upgrade(alembic_config(src), revision)
            done.append(src.name)
    return done


def downgrade(app: Flask, name: str, revision: str) -> None:
    with app.app_context():
        command.downgrade(alembic_config(source(app, name)), revision)


def revision(app: Flask, name: str, message: str, autogenerate: bool = True) -> None:
    with app.app_context():
        src = source(app, name)
        (src.path / "versions").mkdir(parents=True, exist_ok=True)
        command.revision(alembic_config(src), message=message, autogenerate=autogenerate)


def current(app: Flask) -> None:
    with app.app_context():
        for src in sources(app):
            print(f"[{src.name}]")
            command.current(alembic_config(src))


def pending(app: Flask, connection) -> list[str]:
    """The histories whose database revisions are not their heads (an upgrade is due), read
    through ``connection``; empty when every enabled owner is current."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    # the scripts do not change while the app runs: read their heads once (a probe is frequent)
    known: dict[str, set[str]] = app.extensions.setdefault("ejournal.migration_heads", {})
    behind = []
    for src in sources(app):
        if src.name not in known:
            known[src.name] = set(ScriptDirectory.from_config(alembic_config(src)).get_heads())
        heads = known[src.name]
        context = MigrationContext.configure(connection,
                                             opts={"version_table": src.version_table})
        if set(context.get_current_heads()) != heads:
            behind.append(src.name)
    return behind
