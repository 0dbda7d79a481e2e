"""Appointments (BTT 4.7.2): a role held from a date to a date; the curator's proposed changes
to a student's parents that the administrator applies (KTIS 3.12).

Revision ID: c7d2e9a4b1f0
Revises: b4c6a1d0e2f3
Create Date: 2026-12-02 18:45:00
"""

import sqlalchemy as sa
from alembic import op

import core.models

revision = 'c7d2e9a4b1f0'
down_revision = 'b4c6a1d0e2f3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('core_role_assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('starts_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('ends_on', sa.Date(), nullable=True))
    op.create_table(
        'core_appointment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('scope_kind', sa.String(length=20), nullable=False),
        sa.Column('scope_id', sa.Integer(), nullable=True),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=True),
        sa.Column('order_no', sa.String(length=40), nullable=False),
        sa.Column('note', sa.String(length=500), nullable=False),
        sa.Column('created_at', core.models.UTCDateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('revoked_at', core.models.UTCDateTime(), nullable=True),
        sa.Column('revoked_by_id', sa.Integer(), nullable=True),
        sa.Column('revoke_reason', sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['core_user.id'],
                                name=op.f('fk_core_appointment_created_by_id_core_user')),
        sa.ForeignKeyConstraint(['revoked_by_id'], ['core_user.id'],
                                name=op.f('fk_core_appointment_revoked_by_id_core_user')),
        sa.ForeignKeyConstraint(['user_id'], ['core_user.id'],
                                name=op.f('fk_core_appointment_user_id_core_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_core_appointment')),
    )
    with op.batch_alter_table('core_appointment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_appointment_user_id'), ['user_id'], unique=False)
    op.create_table(
        'core_family_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('student_id', sa.Integer(), nullable=False),
        sa.Column('guardian_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('proposed_by_id', sa.Integer(), nullable=True),
        sa.Column('proposed_at', core.models.UTCDateTime(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', core.models.UTCDateTime(), nullable=True),
        sa.Column('decision_note', sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(['decided_by_id'], ['core_user.id'],
                                name=op.f('fk_core_family_change_decided_by_id_core_user')),
        sa.ForeignKeyConstraint(['group_id'], ['core_group.id'],
                                name=op.f('fk_core_family_change_group_id_core_group')),
        sa.ForeignKeyConstraint(['guardian_id'], ['core_guardian.id'],
                                name=op.f('fk_core_family_change_guardian_id_core_guardian')),
        sa.ForeignKeyConstraint(['proposed_by_id'], ['core_user.id'],
                                name=op.f('fk_core_family_change_proposed_by_id_core_user')),
        sa.ForeignKeyConstraint(['student_id'], ['core_student.id'],
                                name=op.f('fk_core_family_change_student_id_core_student')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_core_family_change')),
    )
    with op.batch_alter_table('core_family_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_family_change_group_id'), ['group_id'],
                              unique=False)


def downgrade():
    op.drop_table('core_family_change')
    op.drop_table('core_appointment')
    with op.batch_alter_table('core_role_assignment', schema=None) as batch_op:
        batch_op.drop_column('ends_on')
        batch_op.drop_column('starts_on')
