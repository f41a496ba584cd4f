"""how well a delivery's date is known

Revision ID: 0014_delivery_precision
Revises: 0002_commitments
Create Date: 2026-12-02 06:30:00.000000

A tracker sheet says that an item was delivered, often without saying when: such a
delivery is dated by the sheet's reporting date or the import, as "on or before" that day,
or by the month the sheet names. Every delivery already recorded was entered with its day.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_delivery_precision"
down_revision: str | Sequence[str] | None = "0002_commitments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("commitment_deliveries") as batch:
        batch.add_column(
            sa.Column("date_precision", sa.String(length=10), nullable=False, server_default="day")
        )


def downgrade() -> None:
    with op.batch_alter_table("commitment_deliveries") as batch:
        batch.drop_column("date_precision")
