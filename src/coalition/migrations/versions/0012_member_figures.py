"""member figures by year, and where a voter's population comes from

Revision ID: 0012_member_figures
Revises: 0011_member_standing
Create Date: 2026-12-02 06:30:00.000000

A member's population and GDP are kept per year (``member_figures``) with their source,
so a figure of one year stays when a later year is added. A qualified-majority voter
records where its population comes from (the Council's table of the year, the register,
or the proposal's own table); rows written before hold an empty basis.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_member_figures"
down_revision: str | Sequence[str] | None = "0011_member_standing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "0003_decisions"


def upgrade() -> None:
    op.create_table(
        "member_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_code", sa.String(length=4), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("population", sa.BigInteger(), nullable=True),
        sa.Column("gdp_usd", sa.BigInteger(), nullable=True),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_code"], ["members.code"], name=op.f("fk_member_figures_member_code_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_figures")),
        sa.UniqueConstraint("member_code", "year", name=op.f("uq_member_figures_member_code_year")),
    )
    op.create_index(
        op.f("ix_member_figures_member_code"), "member_figures", ["member_code"], unique=False
    )
    with op.batch_alter_table("proposal_voters") as batch:
        batch.add_column(
            sa.Column("population_basis", sa.String(length=200), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("proposal_voters") as batch:
        batch.drop_column("population_basis")
    op.drop_index(op.f("ix_member_figures_member_code"), table_name="member_figures")
    op.drop_table("member_figures")
