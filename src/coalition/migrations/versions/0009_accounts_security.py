"""record administrators' clearing of sign-in throttling

Revision ID: 0009_accounts_security
Revises: 0001_foundation
Create Date: 2026-12-01 22:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_accounts_security"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_clearances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_clearances")),
    )
    with op.batch_alter_table("sign_in_clearances", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sign_in_clearances_username"), ["username"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sign_in_clearances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_clearances_username"))
    op.drop_table("sign_in_clearances")
