"""partners beside members: a register entry's standing

Revision ID: 0011_member_standing
Revises: 0009_accounts_security
Create Date: 2026-12-02 03:40:00.000000

The register holds members of the coalition and partners: states and institutions that
give support without being members (no vote, no account unless invited). Every entry
already there is a member.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_member_standing"
down_revision: str | Sequence[str] | None = "0009_accounts_security"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(
            sa.Column("standing", sa.String(length=10), nullable=False, server_default="member")
        )


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("standing")
