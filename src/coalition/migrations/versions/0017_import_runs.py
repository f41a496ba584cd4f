"""import runs: one record of every import, and the rows it refused (a branch of its own)

Revision ID: 0017_import_runs
Revises: 0001_foundation
Create Date: 2026-12-02 15:18:20.889902
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_import_runs"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("capability", sa.String(length=20), nullable=False),
        sa.Column("layout", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("file_size", sa.BigInteger(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("started_by", sa.String(length=120), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("read", sa.Integer(), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("rejects_dropped", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("marking", sa.String(length=12), nullable=False),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.Column("owner_code", sa.String(length=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_code"], ["members.code"], name=op.f("fk_import_runs_owner_code_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_runs")),
        sa.UniqueConstraint("key", name=op.f("uq_import_runs_key")),
    )
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_runs_capability"), ["capability"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_import_runs_file_sha256"), ["file_sha256"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_import_runs_marking"), ["marking"], unique=False)
        batch_op.create_index(batch_op.f("ix_import_runs_owner_code"), ["owner_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_import_runs_started_at"), ["started_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_import_runs_state"), ["state"], unique=False)

    op.create_table(
        "import_rejects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(length=120), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["import_runs.id"], name=op.f("fk_import_rejects_run_id_import_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_rejects")),
    )
    with op.batch_alter_table("import_rejects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_rejects_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("import_rejects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_rejects_run_id"))

    op.drop_table("import_rejects")
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_runs_state"))
        batch_op.drop_index(batch_op.f("ix_import_runs_started_at"))
        batch_op.drop_index(batch_op.f("ix_import_runs_owner_code"))
        batch_op.drop_index(batch_op.f("ix_import_runs_marking"))
        batch_op.drop_index(batch_op.f("ix_import_runs_file_sha256"))
        batch_op.drop_index(batch_op.f("ix_import_runs_capability"))

    op.drop_table("import_runs")
