"""Backup runs: one row per destination per run of ``ejournal backup``.

Revision ID: b4c6a1d0e2f3
Revises: 9eee8b5cd666
Create Date: 2026-12-02 13:30:00
"""

from alembic import op
import sqlalchemy as sa
import core.models


revision = 'b4c6a1d0e2f3'
down_revision = '9eee8b5cd666'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('core_backup_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('destination', sa.String(length=100), nullable=False),
    sa.Column('started_at', core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.Column('snapshot_id', sa.String(length=80), nullable=True),
    sa.Column('size_bytes', sa.BigInteger(), nullable=True),
    sa.Column('added_bytes', sa.BigInteger(), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_backup_run'))
    )
    with op.batch_alter_table('core_backup_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_backup_run_destination'), ['destination'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_backup_run_started_at'), ['started_at'], unique=False)


def downgrade():
    with op.batch_alter_table('core_backup_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_backup_run_started_at'))
        batch_op.drop_index(batch_op.f('ix_core_backup_run_destination'))
    op.drop_table('core_backup_run')
