"""Timetable slot: the alternating week it runs in (числитель «A», знаменатель «B»).

Existing slots run every week (NULL), as they did; recorded lessons are not touched.

Revision ID: d3a8f1c60b27
Revises: 26d3fa901238
Create Date: 2026-12-02 18:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = 'd3a8f1c60b27'
down_revision = '26d3fa901238'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('journal_timetable_slot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('week', sa.String(length=1), nullable=True))
        batch_op.create_check_constraint(op.f('ck_journal_timetable_slot_week'),
                                         "week IS NULL OR week IN ('A', 'B')")


def downgrade():
    with op.batch_alter_table('journal_timetable_slot', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_journal_timetable_slot_week'), type_='check')
        batch_op.drop_column('week')
