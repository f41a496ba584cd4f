"""keep a report's region as received beside the region its position lies in

Revision ID: 0008_reported_region
Revises: 0007_cell_rollup_view
Create Date: 2026-11-26 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_reported_region"
down_revision: str | Sequence[str] | None = "0007_cell_rollup_view"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "ceasefire_reports",
        sa.Column("reported_region", sa.String(length=80), nullable=False, server_default=""),
    )
    # Until now the stored region was the name as received.
    op.execute("UPDATE ceasefire_reports SET reported_region = region")


def downgrade() -> None:
    with op.batch_alter_table("ceasefire_reports") as batch:
        batch.drop_column("reported_region")
