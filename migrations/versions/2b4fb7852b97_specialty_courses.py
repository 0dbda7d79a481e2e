"""Specialty: the number of courses of the programme (the last course graduates).

Revision ID: 2b4fb7852b97
Revises: 4f731cd087d1
Create Date: 2026-11-25 02:30:05.777233
"""

import sqlalchemy as sa
from alembic import op

revision = '2b4fb7852b97'
down_revision = '4f731cd087d1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('core_specialty', schema=None) as batch_op:
        batch_op.add_column(sa.Column('courses', sa.Integer(), server_default='4', nullable=False))


def downgrade():
    with op.batch_alter_table('core_specialty', schema=None) as batch_op:
        batch_op.drop_column('courses')
