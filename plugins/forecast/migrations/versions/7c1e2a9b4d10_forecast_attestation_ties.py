"""forecast: the ties of a specialty's demonstration exam and ВКР to disciplines

Revision ID: 7c1e2a9b4d10
Revises: 
Create Date: 2026-12-02 18:40:00.000000
"""

from alembic import op
import sqlalchemy as sa
import core.models


revision = '7c1e2a9b4d10'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('forecast_attestation_tie',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('specialty_id', sa.Integer(), nullable=False),
    sa.Column('attestation', sa.String(length=20), nullable=False),
    sa.Column('discipline_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['core_user.id'], name=op.f('fk_forecast_attestation_tie_created_by_id_core_user')),
    sa.ForeignKeyConstraint(['discipline_id'], ['journal_discipline.id'], name=op.f('fk_forecast_attestation_tie_discipline_id_journal_discipline')),
    sa.ForeignKeyConstraint(['specialty_id'], ['core_specialty.id'], name=op.f('fk_forecast_attestation_tie_specialty_id_core_specialty')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forecast_attestation_tie')),
    sa.UniqueConstraint('specialty_id', 'attestation', 'discipline_id', name=op.f('uq_forecast_attestation_tie_specialty_id_attestation_discipline_id'))
    )
    with op.batch_alter_table('forecast_attestation_tie', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forecast_attestation_tie_specialty_id'), ['specialty_id'], unique=False)


def downgrade():
    with op.batch_alter_table('forecast_attestation_tie', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forecast_attestation_tie_specialty_id'))
    op.drop_table('forecast_attestation_tie')
