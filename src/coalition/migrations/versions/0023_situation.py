"""situation: territory snapshots and their shapes, claims and reviews (a branch of its own)

Revision ID: 0023_situation
Revises: 0001_foundation
Create Date: 2026-12-03 12:03:41.439514
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_situation"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "situation_shapes",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("wkb", sa.LargeBinary(), nullable=False),
        sa.Column("vertices", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "level", name=op.f("pk_situation_shapes")),
    )
    op.create_table(
        "situation_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("claimant", sa.String(length=200), nullable=False),
        sa.Column("claimant_type", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("appeared_in", sa.String(length=300), nullable=False),
        sa.Column("appeared_url", sa.String(length=500), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("area", sa.Text(), nullable=False),
        sa.Column("marking", sa.String(length=12), nullable=False),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.Column("owner_code", sa.String(length=4), nullable=False),
        sa.Column("source_title", sa.String(length=300), nullable=False),
        sa.Column("source_ref", sa.String(length=500), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_code"], ["members.code"], name=op.f("fk_situation_claims_owner_code_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_situation_claims")),
    )
    with op.batch_alter_table("situation_claims", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_situation_claims_claimed_at"), ["claimed_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_situation_claims_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_situation_claims_marking"), ["marking"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_situation_claims_owner_code"), ["owner_code"], unique=False
        )

    op.create_table(
        "situation_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("layer", sa.String(length=12), nullable=False),
        sa.Column("method", sa.String(length=1000), nullable=False),
        sa.Column("shape_sha256", sa.String(length=64), nullable=False),
        sa.Column("area_km2", sa.Float(), nullable=False),
        sa.Column("parts", sa.Integer(), nullable=False),
        sa.Column("vertices", sa.Integer(), nullable=False),
        sa.Column("repairs", sa.String(length=2000), nullable=False),
        sa.Column("run_key", sa.String(length=40), nullable=False),
        sa.Column("marking", sa.String(length=12), nullable=False),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.Column("owner_code", sa.String(length=4), nullable=False),
        sa.Column("source_title", sa.String(length=300), nullable=False),
        sa.Column("source_ref", sa.String(length=500), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_code"], ["members.code"], name=op.f("fk_situation_snapshots_owner_code_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_situation_snapshots")),
        sa.UniqueConstraint(
            "source", "taken_on", "layer", name=op.f("uq_situation_snapshots_source_taken_on_layer")
        ),
    )
    with op.batch_alter_table("situation_snapshots", schema=None) as batch_op:
        batch_op.create_index("ix_situation_snapshots_day", ["taken_on", "source"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_situation_snapshots_marking"), ["marking"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_situation_snapshots_owner_code"), ["owner_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_situation_snapshots_source"), ["source"], unique=False)

    op.create_table(
        "situation_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("reviewer_kind", sa.String(length=24), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rating", sa.String(length=16), nullable=False),
        sa.Column("confidence", sa.String(length=12), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("marking", sa.String(length=12), nullable=False),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.Column("owner_code", sa.String(length=4), nullable=False),
        sa.Column("source_title", sa.String(length=300), nullable=False),
        sa.Column("source_ref", sa.String(length=500), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["situation_claims.id"],
            name=op.f("fk_situation_reviews_claim_id_situation_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_code"], ["members.code"], name=op.f("fk_situation_reviews_owner_code_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_situation_reviews")),
    )
    with op.batch_alter_table("situation_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_situation_reviews_claim_id"), ["claim_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_situation_reviews_marking"), ["marking"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_situation_reviews_owner_code"), ["owner_code"], unique=False
        )

    op.create_table(
        "situation_snapshot_regions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("area_km2", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["situation_snapshots.id"],
            name=op.f("fk_situation_snapshot_regions_snapshot_id_situation_snapshots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_situation_snapshot_regions")),
        sa.UniqueConstraint(
            "snapshot_id",
            "region_code",
            name=op.f("uq_situation_snapshot_regions_snapshot_id_region_code"),
        ),
    )
    with op.batch_alter_table("situation_snapshot_regions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_situation_snapshot_regions_snapshot_id"), ["snapshot_id"], unique=False
        )

    op.create_table(
        "situation_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("dated", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["situation_reviews.id"],
            name=op.f("fk_situation_evidence_review_id_situation_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_situation_evidence")),
    )
    with op.batch_alter_table("situation_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_situation_evidence_review_id"), ["review_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("situation_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_situation_evidence_review_id"))

    op.drop_table("situation_evidence")
    with op.batch_alter_table("situation_snapshot_regions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_situation_snapshot_regions_snapshot_id"))

    op.drop_table("situation_snapshot_regions")
    with op.batch_alter_table("situation_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_situation_reviews_owner_code"))
        batch_op.drop_index(batch_op.f("ix_situation_reviews_marking"))
        batch_op.drop_index(batch_op.f("ix_situation_reviews_claim_id"))

    op.drop_table("situation_reviews")
    with op.batch_alter_table("situation_snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_situation_snapshots_source"))
        batch_op.drop_index(batch_op.f("ix_situation_snapshots_owner_code"))
        batch_op.drop_index(batch_op.f("ix_situation_snapshots_marking"))
        batch_op.drop_index("ix_situation_snapshots_day")

    op.drop_table("situation_snapshots")
    with op.batch_alter_table("situation_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_situation_claims_owner_code"))
        batch_op.drop_index(batch_op.f("ix_situation_claims_marking"))
        batch_op.drop_index(batch_op.f("ix_situation_claims_kind"))
        batch_op.drop_index(batch_op.f("ix_situation_claims_claimed_at"))

    op.drop_table("situation_claims")
    op.drop_table("situation_shapes")
