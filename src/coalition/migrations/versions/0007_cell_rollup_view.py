"""cover the map grid's query with one index on the cell rollup

Revision ID: 0007_cell_rollup_view
Revises: 0006_report_indexes
Create Date: 2026-11-26 17:45:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007_cell_rollup_view"
down_revision: str | Sequence[str] | None = "0006_report_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COVERING = ["level", "cell_y", "cell_x", "day", "type", "owner_code", "marking", "rel_to"]


def upgrade() -> None:
    op.create_index(
        "ix_ceasefire_cell_rollup_view", "ceasefire_cell_rollup", [*COVERING, "reports"]
    )
    op.drop_index("ix_ceasefire_cell_rollup_cell", table_name="ceasefire_cell_rollup")


def downgrade() -> None:
    op.create_index(
        "ix_ceasefire_cell_rollup_cell", "ceasefire_cell_rollup", ["level", "cell_y", "cell_x"]
    )
    op.drop_index("ix_ceasefire_cell_rollup_view", table_name="ceasefire_cell_rollup")
