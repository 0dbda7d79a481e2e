"""Pending uploads: a file kept between its preview and its confirmation, in the database so
any app server can confirm it.

Revision ID: a9e4c2d7f6b1
Revises: c7d2e9a4b1f0
Create Date: 2026-12-02 19:10:00
"""

from alembic import op
import sqlalchemy as sa
import core.models


revision = 'a9e4c2d7f6b1'
down_revision = 'c7d2e9a4b1f0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('core_pending_upload',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('meta', sa.JSON(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_core_pending_upload_user_id_core_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_pending_upload')),
    sa.UniqueConstraint('token', name=op.f('uq_core_pending_upload_token'))
    )
    with op.batch_alter_table('core_pending_upload', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_pending_upload_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_pending_upload_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('core_pending_upload', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_pending_upload_user_id'))
        batch_op.drop_index(batch_op.f('ix_core_pending_upload_created_at'))
    op.drop_table('core_pending_upload')
