"""load kinds of work: disciplines and teaching loads declare their kinds of work

The minimum-marks rule asks for marks of the kinds of work a journal has (BTT 4.5.2, KTIS 4.2).
A discipline gets its default kinds; a load its own (NULL: the discipline's). Existing
disciplines start with the kinds their journals' lessons had, so no requirement that held
before the upgrade silently disappears.

Revision ID: 7c3e5a1d9b42
Revises: f992cd091531
Create Date: 2026-11-28 10:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '7c3e5a1d9b42'
down_revision = 'f992cd091531'
branch_labels = None
depends_on = None

#: frozen here: a lesson's type of work -> the kind of work its marks are for (as grading read it)
_KIND_OF_WORK_TYPE = {"control": "control", "credit": "control", "exam": "control",
                      "laboratory": "laboratory", "practical": "practical",
                      "self_study": "written"}
_ORDER = ("written", "control", "laboratory", "practical")


def upgrade():
    with op.batch_alter_table('journal_discipline', schema=None) as batch_op:
        batch_op.add_column(sa.Column('work_kinds', sa.String(length=80), server_default='',
                                      nullable=False))
    with op.batch_alter_table('journal_teaching_load', schema=None) as batch_op:
        batch_op.add_column(sa.Column('work_kinds', sa.String(length=80), nullable=True))

    connection = op.get_bind()
    held = connection.execute(sa.text(
        "SELECT DISTINCT l.discipline_id, s.work_type FROM journal_lesson s "
        "JOIN journal_teaching_load l ON l.id = s.load_id")).all()
    kinds: dict[int, set[str]] = {}
    for discipline_id, work_type in held:
        kind = _KIND_OF_WORK_TYPE.get(work_type)
        if kind:
            kinds.setdefault(discipline_id, set()).add(kind)
    for discipline_id, found in kinds.items():
        connection.execute(
            sa.text("UPDATE journal_discipline SET work_kinds = :kinds WHERE id = :id"),
            {"kinds": ",".join(k for k in _ORDER if k in found), "id": discipline_id})


def downgrade():
    with op.batch_alter_table('journal_teaching_load', schema=None) as batch_op:
        batch_op.drop_column('work_kinds')
    with op.batch_alter_table('journal_discipline', schema=None) as batch_op:
        batch_op.drop_column('work_kinds')
