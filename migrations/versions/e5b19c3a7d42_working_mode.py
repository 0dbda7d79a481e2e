"""The year's working mode (BTT 4.1.1): five- or six-day week, A/B weeks, the bell schedule
(main and shortened) and the shortened days.

Existing years keep what the timetable did before: their week is not set (NULL: a timetable
slot runs on whatever weekday it names, the diary and «Пропуски» show Monday to Saturday) and
their weeks do not alternate; their bells are left for the administrator to enter (no times are
invented: until then a lesson shows its pair number only). Recorded lessons are not touched.

Revision ID: e5b19c3a7d42
Revises: a9e4c2d7f6b1
Create Date: 2026-12-02 18:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = 'e5b19c3a7d42'
down_revision = 'a9e4c2d7f6b1'
branch_labels = None
depends_on = None


def upgrade():
    # plain ALTER TABLE (no batch): SQLite would rebuild the table, which the terms, groups and
    # journals refer to, and the rebuild fails with foreign keys on
    op.add_column('core_academic_year', sa.Column('week_days', sa.Integer(), nullable=True))
    op.add_column('core_academic_year', sa.Column('alternating_weeks', sa.Boolean(),
                                                  server_default=sa.false(), nullable=False))
    op.create_table('core_bell',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year_id', sa.Integer(), nullable=False),
    sa.Column('short', sa.Boolean(), nullable=False),
    sa.Column('pair_number', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=False),
    sa.Column('ends_at', sa.Time(), nullable=False),
    sa.CheckConstraint('pair_number BETWEEN 1 AND 8', name=op.f('ck_core_bell_pair')),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_core_bell_times')),
    sa.ForeignKeyConstraint(['year_id'], ['core_academic_year.id'],
                            name=op.f('fk_core_bell_year_id_core_academic_year')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_bell')),
    sa.UniqueConstraint('year_id', 'short', 'pair_number',
                        name=op.f('uq_core_bell_year_id_short_pair_number'))
    )
    with op.batch_alter_table('core_bell', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_bell_year_id'), ['year_id'], unique=False)
    op.create_table('core_short_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year_id', sa.Integer(), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['year_id'], ['core_academic_year.id'],
                            name=op.f('fk_core_short_day_year_id_core_academic_year')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_short_day')),
    sa.UniqueConstraint('year_id', 'on_date', name=op.f('uq_core_short_day_year_id_on_date'))
    )
    with op.batch_alter_table('core_short_day', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_short_day_year_id'), ['year_id'], unique=False)


def downgrade():
    with op.batch_alter_table('core_short_day', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_short_day_year_id'))
    op.drop_table('core_short_day')
    with op.batch_alter_table('core_bell', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_bell_year_id'))
    op.drop_table('core_bell')
    op.drop_column('core_academic_year', 'alternating_weeks')
    op.drop_column('core_academic_year', 'week_days')
