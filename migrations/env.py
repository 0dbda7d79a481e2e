"""The one env.py shared by the core's and every plugin's migration history.

``core.migrate`` passes the history being migrated in ``config.attributes["ejournal_source"]``;
this keeps autogenerate to that owner's tables (by prefix) and never touches version tables.
"""

from __future__ import annotations

from alembic import context
from flask import current_app

from core.extensions import db

config = context.config
source = config.attributes["ejournal_source"]


def include_object(obj, name, type_, reflected, compare_to):
    if type_ == "table":
        if name.startswith("alembic_version"):
            return False
        return name.startswith(source.table_prefix)
    table = getattr(obj, "table", None)
    if table is not None:
        return table.name.startswith(source.table_prefix)
    return True


def run_migrations_online() -> None:
    engine = db.engine
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            version_table=source.version_table,
            include_object=include_object,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `ejournal db upgrade`")
assert current_app, "migrations run inside the app context"
run_migrations_online()
