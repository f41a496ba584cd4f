"""sanctions: lists, dated snapshots and FollowTheMoney entities (a branch of its own)

Revision ID: 0020_sanctions
Revises: 0001_foundation
Create Date: 2026-12-02 16:22:29.671218
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_sanctions"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sanctions_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("authority", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("marking", sa.String(length=12), nullable=False),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.Column("owner_code", sa.String(length=4), nullable=False),
        sa.Column("source_title", sa.String(length=300), nullable=False),
        sa.Column("source_ref", sa.String(length=500), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_code"], ["members.code"], name=op.f("fk_sanctions_lists_owner_code_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sanctions_lists")),
        sa.UniqueConstraint("code", name=op.f("uq_sanctions_lists_code")),
    )
    with op.batch_alter_table("sanctions_lists", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sanctions_lists_marking"), ["marking"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_sanctions_lists_owner_code"), ["owner_code"], unique=False
        )

    op.create_table(
        "sanctions_entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_code", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=200), nullable=False),
        sa.Column("schema", sa.String(length=40), nullable=False),
        sa.Column("caption", sa.String(length=500), nullable=False),
        sa.Column("properties", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("first_seen", sa.Date(), nullable=False),
        sa.Column("last_seen", sa.Date(), nullable=False),
        sa.Column("listed_until", sa.Date(), nullable=True),
        sa.Column("run_key", sa.String(length=40), nullable=False),
        sa.Column("marking", sa.String(length=12), nullable=False),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.Column("owner_code", sa.String(length=4), nullable=False),
        sa.Column("source_title", sa.String(length=300), nullable=False),
        sa.Column("source_ref", sa.String(length=500), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_code"],
            ["sanctions_lists.code"],
            name=op.f("fk_sanctions_entities_list_code_sanctions_lists"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_code"], ["members.code"], name=op.f("fk_sanctions_entities_owner_code_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sanctions_entities")),
        sa.UniqueConstraint(
            "list_code",
            "entity_id",
            "first_seen",
            name=op.f("uq_sanctions_entities_list_code_entity_id_first_seen"),
        ),
    )
    with op.batch_alter_table("sanctions_entities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sanctions_entities_entity_id"), ["entity_id"], unique=False
        )
        batch_op.create_index(
            "ix_sanctions_entities_listed", ["list_code", "listed_until"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sanctions_entities_marking"), ["marking"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sanctions_entities_owner_code"), ["owner_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_sanctions_entities_schema"), ["schema"], unique=False)

    op.create_table(
        "sanctions_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_code", sa.String(length=40), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("run_key", sa.String(length=40), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("read", sa.Integer(), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("delisted", sa.Integer(), nullable=False),
        sa.Column("marking", sa.String(length=12), nullable=False),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.Column("owner_code", sa.String(length=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_code"],
            ["sanctions_lists.code"],
            name=op.f("fk_sanctions_snapshots_list_code_sanctions_lists"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_code"], ["members.code"], name=op.f("fk_sanctions_snapshots_owner_code_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sanctions_snapshots")),
        sa.UniqueConstraint(
            "list_code", "taken_on", name=op.f("uq_sanctions_snapshots_list_code_taken_on")
        ),
    )
    with op.batch_alter_table("sanctions_snapshots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sanctions_snapshots_list_code"), ["list_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sanctions_snapshots_marking"), ["marking"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sanctions_snapshots_owner_code"), ["owner_code"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sanctions_snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sanctions_snapshots_owner_code"))
        batch_op.drop_index(batch_op.f("ix_sanctions_snapshots_marking"))
        batch_op.drop_index(batch_op.f("ix_sanctions_snapshots_list_code"))

    op.drop_table("sanctions_snapshots")
    with op.batch_alter_table("sanctions_entities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sanctions_entities_schema"))
        batch_op.drop_index(batch_op.f("ix_sanctions_entities_owner_code"))
        batch_op.drop_index(batch_op.f("ix_sanctions_entities_marking"))
        batch_op.drop_index("ix_sanctions_entities_listed")
        batch_op.drop_index(batch_op.f("ix_sanctions_entities_entity_id"))

    op.drop_table("sanctions_entities")
    with op.batch_alter_table("sanctions_lists", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sanctions_lists_owner_code"))
        batch_op.drop_index(batch_op.f("ix_sanctions_lists_marking"))

    op.drop_table("sanctions_lists")
