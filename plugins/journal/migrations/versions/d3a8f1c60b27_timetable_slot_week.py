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
    # plain ALTER TABLE (no batch): SQLite would rebuild the table the timetable changes refer
    # to, and the rebuild fails with foreign keys on
    op.add_column('journal_timetable_slot', sa.Column('week', sa.String(length=1), nullable=True))


def downgrade():
    op.drop_column('journal_timetable_slot', 'week')
