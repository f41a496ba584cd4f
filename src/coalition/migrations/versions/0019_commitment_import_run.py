"""record on each commitment revision the import run whose file wrote it

Revision ID: 0019_commitment_import_run
Revises: 0014_delivery_precision
Create Date: 2026-12-02 16:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_commitment_import_run"
down_revision: str | Sequence[str] | None = "0014_delivery_precision"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("commitments") as batch:
        batch.add_column(sa.Column("import_run", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("commitments") as batch:
        batch.drop_column("import_run")
