"""sanctions: index designations by list and by target with what a day's reading needs

The gap and the matrix read each designation's list, theme, target, listing period and
marking; indexes carrying all of them let both read the index alone, and the one by list
leads with the marking so that the markings a list's designations carry are found by
seeking. They replace the
narrower indexes on (list, theme, first seen) and on each target column.

Revision ID: 0022_sanctions_indexes
Revises: 0021_sanctions_alignment
Create Date: 2026-12-03 12:10:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022_sanctions_indexes"
down_revision: str | Sequence[str] | None = "0021_sanctions_alignment"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERIOD = ["first_seen", "listed_until"]
MARKS = ["marking", "owner_code", "rel_to"]
SCOPES = ("public", "coalition")


def upgrade() -> None:
    with op.batch_alter_table("sanctions_designations", schema=None) as batch_op:
        batch_op.drop_index("ix_sanctions_designations_list")
        for scope in SCOPES:
            batch_op.drop_index(f"ix_sanctions_designations_{scope}")
        for scope in SCOPES:
            batch_op.create_index(
                f"ix_sanctions_designations_list_{scope}",
                ["list_code", *MARKS, "theme", f"canonical_{scope}", *PERIOD],
                unique=False,
            )
            batch_op.create_index(
                f"ix_sanctions_designations_target_{scope}",
                [f"canonical_{scope}", "theme", "list_code", *PERIOD, *MARKS],
                unique=False,
            )


def downgrade() -> None:
    with op.batch_alter_table("sanctions_designations", schema=None) as batch_op:
        for scope in SCOPES:
            batch_op.drop_index(f"ix_sanctions_designations_target_{scope}")
            batch_op.drop_index(f"ix_sanctions_designations_list_{scope}")
        for scope in SCOPES:
            batch_op.create_index(
                f"ix_sanctions_designations_{scope}", [f"canonical_{scope}"], unique=False
            )
        batch_op.create_index(
            "ix_sanctions_designations_list", ["list_code", "theme", "first_seen"], unique=False
        )
