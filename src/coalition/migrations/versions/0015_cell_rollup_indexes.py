"""drop the map rollup's single-column indexes and owner key that every import pays for

Revision ID: 0015_cell_rollup_indexes
Revises: 0013_report_time_precision
Create Date: 2026-12-02 13:10:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015_cell_rollup_indexes"
down_revision: str | Sequence[str] | None = "0013_report_time_precision"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "ceasefire_cell_rollup"
# The map reads the rollup through its covering index alone.
INDEXES = {
    "ix_ceasefire_cell_rollup_day": ["day"],
    "ix_ceasefire_cell_rollup_marking": ["marking"],
    "ix_ceasefire_cell_rollup_owner_code": ["owner_code"],
}
OWNER_KEY = "fk_ceasefire_cell_rollup_owner_code_members"


def upgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name=TABLE)
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_constraint(OWNER_KEY, type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table(TABLE) as batch:
        batch.create_foreign_key(OWNER_KEY, "members", ["owner_code"], ["code"])
    for name, columns in INDEXES.items():
        op.create_index(name, TABLE, columns, unique=False)
