"""sign audit entries and the chain head: the id of the key and the MAC

Revision ID: 0010_audit_mac
Revises: 0001_foundation
Create Date: 2026-11-27 10:00:00.000000

Entries already in the log stay unsigned: ``audit verify`` accepts them only before the
first signed entry, whose MAC covers them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_audit_mac"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


TABLES = ("audit_entries", "audit_head")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("key_id", sa.String(length=16), nullable=True))
        op.add_column(table, sa.Column("mac", sa.String(length=64), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("mac")
            batch.drop_column("key_id")
