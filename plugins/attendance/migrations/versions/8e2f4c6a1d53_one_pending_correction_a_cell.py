"""one pending correction a cell

The database, not only the check in Python, refuses a second pending correction of a cell
(two people filing at the same moment): a unique index on (lesson_id, student_id) over the
pending rows only; approved and rejected corrections do not count.

Revision ID: 8e2f4c6a1d53
Revises: c4aecc058d2a
Create Date: 2026-12-01 23:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '8e2f4c6a1d53'
down_revision = 'c4aecc058d2a'
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")


def upgrade():
    with op.batch_alter_table('attendance_correction', schema=None) as batch_op:
        batch_op.create_index('ix_attendance_correction_one_pending', ['lesson_id', 'student_id'], unique=True,
                              sqlite_where=PENDING, postgresql_where=PENDING)


def downgrade():
    with op.batch_alter_table('attendance_correction', schema=None) as batch_op:
        batch_op.drop_index('ix_attendance_correction_one_pending')
