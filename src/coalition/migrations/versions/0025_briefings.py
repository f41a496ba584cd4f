"""briefings: editions of the daily report and the summit pack (a branch of its own)

Revision ID: 0025_briefings
Revises: 0001_foundation
Create Date: 2026-12-03 18:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025_briefings"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "briefings_editions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("reader", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("judgements", sa.Text(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("inputs_digest", sa.String(length=64), nullable=False),
        sa.Column("drafted_by", sa.String(length=80), nullable=False),
        sa.Column("reviewed_by", sa.String(length=80), nullable=False),
        sa.Column("issued_by", sa.String(length=80), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("marking", sa.String(length=12), nullable=False),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.Column("owner_code", sa.String(length=4), nullable=False),
        sa.Column("source_title", sa.String(length=300), nullable=False),
        sa.Column("source_ref", sa.String(length=500), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_code"], ["members.code"], name=op.f("fk_briefings_editions_owner_code_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_briefings_editions")),
    )
    with op.batch_alter_table("briefings_editions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_briefings_editions_subject", ["kind", "day", "meeting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_briefings_editions_marking"), ["marking"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_briefings_editions_owner_code"), ["owner_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_briefings_editions_status"), ["status"], unique=False)


def downgrade() -> None:
    op.drop_table("briefings_editions")
