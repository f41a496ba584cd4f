"""sanctions: summarise each target's periods and each holding's count by day

The matrix is then one grouped sum over a small table of counts, and the gap a seek into
the periods of the holdings in it, rather than passes over every designation; both tables
are filled here from the designations already held. The live judgements get an index by
which their few markings are found by seeking rather than by reading them all.

Revision ID: 0024_sanctions_summary
Revises: 0022_sanctions_indexes
Create Date: 2026-12-03 18:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

from coalition.sanctions import summary

revision: str = "0024_sanctions_summary"
down_revision: str | Sequence[str] | None = "0022_sanctions_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MARKS = ["marking", "owner_code", "rel_to"]


def upgrade() -> None:
    op.create_table(
        "sanctions_target_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=250), nullable=False),
        sa.Column("theme", sa.String(length=40), nullable=False),
        sa.Column("holding", sa.Text(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("un_listed", sa.Boolean(), nullable=False),
        sa.Column("kind_rank", sa.Integer(), nullable=False),
        sa.Column("first_listed", sa.Date(), nullable=False),
        sa.Column("caption", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sanctions_target_periods")),
    )
    with op.batch_alter_table("sanctions_target_periods", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sanctions_target_periods_holding",
            ["scope", "theme", "holding", "since"],
            unique=False,
        )
        batch_op.create_index(
            "ix_sanctions_target_periods_target", ["scope", "target"], unique=False
        )
    op.create_table(
        "sanctions_holding_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("theme", sa.String(length=40), nullable=False),
        sa.Column("holding", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("change", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sanctions_holding_counts")),
        sa.UniqueConstraint(
            "scope",
            "theme",
            "holding",
            "day",
            name=op.f("uq_sanctions_holding_counts_scope_theme_holding_day"),
        ),
    )
    with op.batch_alter_table("sanctions_judgements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sanctions_judgements_live", ["ended_at", "judgement", *MARKS], unique=False
        )
    with Session(bind=op.get_bind()) as session:
        summary.refresh_all(session)


def downgrade() -> None:
    with op.batch_alter_table("sanctions_judgements", schema=None) as batch_op:
        batch_op.drop_index("ix_sanctions_judgements_live")
    op.drop_table("sanctions_holding_counts")
    with op.batch_alter_table("sanctions_target_periods", schema=None) as batch_op:
        batch_op.drop_index("ix_sanctions_target_periods_target")
        batch_op.drop_index("ix_sanctions_target_periods_holding")
    op.drop_table("sanctions_target_periods")
