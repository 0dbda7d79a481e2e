"""User: the hash of the previous password, which may not be chosen again.

Revision ID: 00a8eb40454d
Revises: f8cbeddf612e
Create Date: 2026-12-02 00:40:14.139204
"""

import sqlalchemy as sa
from alembic import op

revision = '00a8eb40454d'
down_revision = 'f8cbeddf612e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('core_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_password_hash', sa.String(length=255), nullable=True))


def downgrade():
    with op.batch_alter_table('core_user', schema=None) as batch_op:
        batch_op.drop_column('previous_password_hash')
