"""one pending correction a cell

The database, not only the check in Python, refuses a second pending correction of a cell
(two people filing at the same moment): a unique index on (lesson_id, student_id) over the
pending rows only; approved and rejected corrections do not count.

Revision ID: 3b7d1e5a9c20
Revises: 5ef39a020186
Create Date: 2026-12-01 23:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '3b7d1e5a9c20'
down_revision = '5ef39a020186'
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")


def upgrade():
    with op.batch_alter_table('grading_correction', schema=None) as batch_op:
        batch_op.create_index('ix_grading_correction_one_pending', ['lesson_id', 'student_id'], unique=True,
                              sqlite_where=PENDING, postgresql_where=PENDING)


def downgrade():
    with op.batch_alter_table('grading_correction', schema=None) as batch_op:
        batch_op.drop_index('ix_grading_correction_one_pending')
