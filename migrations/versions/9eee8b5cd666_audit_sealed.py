"""Audit log sealed: the chain keyed from here on, the head sealed, UPDATE and DELETE refused.

The rows already written keep their plain SHA-256 (re-sealing them would launder whatever was
done to them before): an ``audit.keyed`` row, sealed with the audit key (``AUDIT_KEY`` or
``instance/audit_key``), is appended after the last of them, so that none of them can be changed
any more without the key either. From it on every row is an HMAC. The head gets its seal
(``mac``). Then triggers make the database refuse UPDATE and DELETE (and TRUNCATE on
PostgreSQL) of the rows and any move of the head but forward to a row whose hash it names.
SQLite's INSERT OR REPLACE deletes without firing DELETE triggers, so an insert over an
existing row's id or hash is refused too.

Downgrading drops the triggers and the head's seal; the rows stay (nothing is deleted from the
log), and the keyed ones no longer verify with the code of before.

Revision ID: 9eee8b5cd666
Revises: 79da5e7b952f
Create Date: 2026-12-02 01:00:00.000000
"""

import sqlalchemy as sa
from alembic import op
from flask import current_app

import core.models

revision = '9eee8b5cd666'
down_revision = '79da5e7b952f'
branch_labels = None
depends_on = None

_REFUSED = "журнал аудита только дополняется"
_HEAD = ("журнал аудита: отметка о последней записи (core_audit_head) одна и движется только "
         "вперёд, к записи с её хэшем")

SQLITE = [
    f"""CREATE TRIGGER core_audit_no_update BEFORE UPDATE ON core_audit
    BEGIN SELECT RAISE(ABORT, '{_REFUSED}: UPDATE в core_audit запрещён'); END""",
    f"""CREATE TRIGGER core_audit_no_delete BEFORE DELETE ON core_audit
    BEGIN SELECT RAISE(ABORT, '{_REFUSED}: DELETE в core_audit запрещён'); END""",
    f"""CREATE TRIGGER core_audit_no_replace BEFORE INSERT ON core_audit
    WHEN EXISTS (SELECT 1 FROM core_audit WHERE id = NEW.id OR hash = NEW.hash)
    BEGIN SELECT RAISE(ABORT, '{_REFUSED}: запись поверх существующей в core_audit запрещена');
    END""",
    f"""CREATE TRIGGER core_audit_head_no_delete BEFORE DELETE ON core_audit_head
    BEGIN SELECT RAISE(ABORT, '{_REFUSED}: DELETE в core_audit_head запрещён'); END""",
    f"""CREATE TRIGGER core_audit_head_forward_only BEFORE UPDATE ON core_audit_head
    WHEN NEW.id IS NOT OLD.id OR NEW.last_id <= OLD.last_id
      OR NEW.last_hash IS NOT (SELECT hash FROM core_audit WHERE id = NEW.last_id)
    BEGIN SELECT RAISE(ABORT, '{_HEAD}'); END""",
    f"""CREATE TRIGGER core_audit_head_one_row BEFORE INSERT ON core_audit_head
    WHEN NEW.id IS NOT 1 OR EXISTS (SELECT 1 FROM core_audit_head)
      OR NEW.last_hash IS NOT (SELECT hash FROM core_audit WHERE id = NEW.last_id)
    BEGIN SELECT RAISE(ABORT, '{_HEAD}'); END""",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in (
    "core_audit_no_update", "core_audit_no_delete", "core_audit_no_replace",
    "core_audit_head_no_delete", "core_audit_head_forward_only", "core_audit_head_one_row")]

POSTGRESQL = [
    f"""CREATE FUNCTION core_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '{_REFUSED}: % в % запрещён', TG_OP, TG_TABLE_NAME;
    END $$""",
    f"""CREATE FUNCTION core_audit_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.id <> 1
         OR (TG_OP = 'UPDATE' AND (NEW.id <> OLD.id OR NEW.last_id <= OLD.last_id))
         OR NEW.last_hash IS DISTINCT FROM (SELECT hash FROM core_audit WHERE id = NEW.last_id)
      THEN
        RAISE EXCEPTION '{_HEAD}';
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE TRIGGER core_audit_append_only BEFORE UPDATE OR DELETE ON core_audit
    FOR EACH ROW EXECUTE FUNCTION core_audit_refuse()""",
    """CREATE TRIGGER core_audit_no_truncate BEFORE TRUNCATE ON core_audit
    FOR EACH STATEMENT EXECUTE FUNCTION core_audit_refuse()""",
    """CREATE TRIGGER core_audit_head_no_delete BEFORE DELETE ON core_audit_head
    FOR EACH ROW EXECUTE FUNCTION core_audit_refuse()""",
    """CREATE TRIGGER core_audit_head_no_truncate BEFORE TRUNCATE ON core_audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION core_audit_refuse()""",
    """CREATE TRIGGER core_audit_head_forward_only BEFORE INSERT OR UPDATE ON core_audit_head
    FOR EACH ROW EXECUTE FUNCTION core_audit_head_forward()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS core_audit_append_only ON core_audit",
    "DROP TRIGGER IF EXISTS core_audit_no_truncate ON core_audit",
    "DROP TRIGGER IF EXISTS core_audit_head_no_delete ON core_audit_head",
    "DROP TRIGGER IF EXISTS core_audit_head_no_truncate ON core_audit_head",
    "DROP TRIGGER IF EXISTS core_audit_head_forward_only ON core_audit_head",
    "DROP FUNCTION IF EXISTS core_audit_refuse()",
    "DROP FUNCTION IF EXISTS core_audit_head_forward()",
]

audit = sa.table(
    "core_audit",
    sa.column("id", sa.Integer), sa.column("at", core.models.UTCDateTime()),
    sa.column("action", sa.String), sa.column("after", sa.JSON), sa.column("note", sa.Text),
    sa.column("prev_hash", sa.String), sa.column("hash", sa.String),
)
head = sa.table("core_audit_head", sa.column("id", sa.Integer), sa.column("last_id", sa.Integer),
                sa.column("last_hash", sa.String), sa.column("mac", sa.String))


def _seal_with_key(connection) -> None:
    """Append the ``audit.keyed`` row after the unkeyed ones and point the sealed head at it."""
    from core import audit_key
    from core.audit import GENESIS, KEYED, entry_hash, head_mac

    assert current_app, "the audit key is the app's: migrate with `ejournal db upgrade`"
    key = audit_key.key()
    prev = connection.execute(
        sa.select(audit.c.hash).order_by(audit.c.id.desc()).limit(1)).scalar() or GENESIS
    values = {
        "at": core.models.utcnow(), "actor_id": None, "actor_login": None, "action": KEYED,
        "target_type": None, "target_id": None, "before": None,
        "after": {"key": audit_key.fingerprint()}, "ip": None,
        "note": "С этой записи журнал аудита запечатан ключом (HMAC-SHA256).",
    }
    content = {**values, "at": values["at"].isoformat(timespec="microseconds")}
    hash_ = entry_hash(prev, content, key)
    row_id = connection.execute(audit.insert().values(
        at=values["at"], action=KEYED, after=values["after"], note=values["note"],
        prev_hash=prev, hash=hash_).returning(audit.c.id)).scalar_one()
    sealed = {"last_id": row_id, "last_hash": hash_, "mac": head_mac(key, row_id, hash_)}
    if connection.execute(sa.select(head.c.id).where(head.c.id == 1)).first():
        connection.execute(head.update().where(head.c.id == 1).values(**sealed))
    else:
        connection.execute(head.insert().values(id=1, **sealed))


def upgrade():
    with op.batch_alter_table('core_audit_head', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mac', sa.String(length=64), nullable=True))
    _seal_with_key(op.get_bind())
    with op.batch_alter_table('core_audit_head', schema=None) as batch_op:
        batch_op.alter_column('mac', existing_type=sa.String(length=64), nullable=False)
    # after every batch operation: SQLite's batch mode copies a table and drops its triggers
    for statement in SQLITE if op.get_bind().dialect.name == "sqlite" else POSTGRESQL:
        op.execute(statement)


def downgrade():
    for statement in (SQLITE_DROP if op.get_bind().dialect.name == "sqlite"
                      else POSTGRESQL_DROP):
        op.execute(statement)
    with op.batch_alter_table('core_audit_head', schema=None) as batch_op:
        batch_op.drop_column('mac')
