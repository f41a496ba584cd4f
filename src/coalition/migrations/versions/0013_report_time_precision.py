"""record what a report's time is given to, and the range of an incident's fatalities

Revision ID: 0013_report_time_precision
Revises: 0008_reported_region
Create Date: 2026-12-02 06:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_report_time_precision"
down_revision: str | Sequence[str] | None = "0008_reported_region"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "ceasefire_reports",
        sa.Column("time_precision", sa.String(length=8), nullable=False, server_default="minute"),
    )
    op.add_column(
        "ceasefire_incidents",
        sa.Column("time_precision", sa.String(length=8), nullable=False, server_default="minute"),
    )
    op.add_column(
        "ceasefire_incidents",
        sa.Column("casualties_low", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column(
        "ceasefire_incidents",
        sa.Column("casualties_high", sa.Integer(), nullable=False, server_default="0"),
    )
    # Reports filed one by one (form, API) always gave a time: the default. An imported
    # report at exactly midnight UTC came from a date without a time (ACLED and UCDP give
    # only dates; the canonical layout read a bare date as midnight): its window is the day.
    # Batches were audited before the column existed, and their digests do not cover it.
    if op.get_bind().dialect.name == "postgresql":
        midnight = (
            "occurred_at = date_trunc('day', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"
        )
    else:
        midnight = "strftime('%H:%M:%f', occurred_at) = '00:00:00.000'"
    op.execute(
        "UPDATE ceasefire_reports SET time_precision = 'day' "  # noqa: S608 - our own SQL
        f"WHERE import_batch IS NOT NULL AND {midnight}"
    )
    op.execute(
        "UPDATE ceasefire_incidents SET casualties_low = casualties, casualties_high = casualties"
    )
    op.execute(
        "UPDATE ceasefire_incidents SET time_precision = (SELECT r.time_precision "
        "FROM ceasefire_reports r WHERE r.id = ceasefire_incidents.key_report_id) "
        "WHERE key_report_id IN (SELECT id FROM ceasefire_reports WHERE time_precision <> 'minute')"
    )


def downgrade() -> None:
    with op.batch_alter_table("ceasefire_incidents") as batch:
        batch.drop_column("casualties_high")
        batch.drop_column("casualties_low")
        batch.drop_column("time_precision")
    with op.batch_alter_table("ceasefire_reports") as batch:
        batch.drop_column("time_precision")
