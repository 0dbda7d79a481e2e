"""archive verifications and acts of destruction

Revision ID: b7e1d2c4a9f0
Revises: 683ec33a952f
Create Date: 2026-12-02 13:20:00
"""

import sqlalchemy as sa
from alembic import op

import core.models

revision = "b7e1d2c4a9f0"
down_revision = "683ec33a952f"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "archive_verification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("at", core.models.UTCDateTime(), nullable=False),
        sa.Column("trigger", sa.String(length=10), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("files_checked", sa.Integer(), nullable=False),
        sa.Column("records_checked", sa.Integer(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["core_user.id"]),
        sa.ForeignKeyConstraint(["period_id"], ["archive_period.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_archive_verification_period_id", "archive_verification", ["period_id"])
    op.create_table(
        "archive_destruction_act",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("retention", sa.String(length=20), nullable=False),
        sa.Column("at", core.models.UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("years", sa.Integer(), nullable=False),
        sa.Column("kept_until", sa.String(length=10), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("records", sa.JSON(), nullable=False),
        sa.Column("kept", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["core_user.id"]),
        sa.ForeignKeyConstraint(["period_id"], ["archive_period.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
        sa.UniqueConstraint("period_id", "retention"),
    )
    op.create_index("ix_archive_destruction_act_period_id", "archive_destruction_act",
                    ["period_id"])


def downgrade():
    op.drop_index("ix_archive_destruction_act_period_id", table_name="archive_destruction_act")
    op.drop_table("archive_destruction_act")
    op.drop_index("ix_archive_verification_period_id", table_name="archive_verification")
    op.drop_table("archive_verification")
