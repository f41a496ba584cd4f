"""sanctions: applications, designations, judgements and candidates

Revision ID: 0021_sanctions_alignment
Revises: 0020_sanctions
Create Date: 2026-12-03 07:42:40.307257
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_sanctions_alignment"
down_revision: str | Sequence[str] | None = "0020_sanctions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sanctions_judgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("left_ref", sa.String(length=250), nullable=False),
        sa.Column("right_ref", sa.String(length=250), nullable=False),
        sa.Column("judgement", sa.String(length=12), nullable=False),
        sa.Column("decided_by", sa.String(length=120), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(length=120), nullable=False),
        sa.Column("marking", sa.String(length=12), nullable=False),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.Column("owner_code", sa.String(length=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_code"],
            ["members.code"],
            name=op.f("fk_sanctions_judgements_owner_code_members"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sanctions_judgements")),
    )
    with op.batch_alter_table("sanctions_judgements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sanctions_judgements_marking"), ["marking"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sanctions_judgements_owner_code"), ["owner_code"], unique=False
        )
        batch_op.create_index(
            "ix_sanctions_judgements_pair", ["left_ref", "right_ref"], unique=False
        )

    op.create_table(
        "sanctions_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_code", sa.String(length=4), nullable=False),
        sa.Column("list_code", sa.String(length=40), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("marking", sa.String(length=12), nullable=False),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.Column("owner_code", sa.String(length=4), nullable=False),
        sa.Column("source_title", sa.String(length=300), nullable=False),
        sa.Column("source_ref", sa.String(length=500), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_code"],
            ["sanctions_lists.code"],
            name=op.f("fk_sanctions_applications_list_code_sanctions_lists"),
        ),
        sa.ForeignKeyConstraint(
            ["member_code"],
            ["members.code"],
            name=op.f("fk_sanctions_applications_member_code_members"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_code"],
            ["members.code"],
            name=op.f("fk_sanctions_applications_owner_code_members"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sanctions_applications")),
        sa.UniqueConstraint(
            "member_code",
            "list_code",
            "since",
            name=op.f("uq_sanctions_applications_member_code_list_code_since"),
        ),
    )
    with op.batch_alter_table("sanctions_applications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sanctions_applications_list_code"), ["list_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sanctions_applications_marking"), ["marking"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sanctions_applications_member_code"), ["member_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sanctions_applications_owner_code"), ["owner_code"], unique=False
        )

    op.create_table(
        "sanctions_candidates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("left_ref", sa.String(length=250), nullable=False),
        sa.Column("right_ref", sa.String(length=250), nullable=False),
        sa.Column("left_list", sa.String(length=40), nullable=False),
        sa.Column("right_list", sa.String(length=40), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["left_list"],
            ["sanctions_lists.code"],
            name=op.f("fk_sanctions_candidates_left_list_sanctions_lists"),
        ),
        sa.ForeignKeyConstraint(
            ["right_list"],
            ["sanctions_lists.code"],
            name=op.f("fk_sanctions_candidates_right_list_sanctions_lists"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sanctions_candidates")),
        sa.UniqueConstraint(
            "left_ref", "right_ref", name=op.f("uq_sanctions_candidates_left_ref_right_ref")
        ),
    )
    with op.batch_alter_table("sanctions_candidates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sanctions_candidates_left_list"), ["left_list"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sanctions_candidates_right_list"), ["right_list"], unique=False
        )

    op.create_table(
        "sanctions_designations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_code", sa.String(length=40), nullable=False),
        sa.Column("ref", sa.String(length=250), nullable=False),
        sa.Column("target_id", sa.String(length=200), nullable=False),
        sa.Column("sanction_id", sa.String(length=200), nullable=False),
        sa.Column("schema", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("caption", sa.String(length=500), nullable=False),
        sa.Column("program", sa.String(length=200), nullable=False),
        sa.Column("theme", sa.String(length=40), nullable=False),
        sa.Column("authority_id", sa.String(length=200), nullable=False),
        sa.Column("listing_date", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(length=2000), nullable=False),
        sa.Column("un_listed", sa.Boolean(), nullable=False),
        sa.Column("first_seen", sa.Date(), nullable=False),
        sa.Column("listed_until", sa.Date(), nullable=True),
        sa.Column("canonical_public", sa.String(length=250), nullable=False),
        sa.Column("canonical_coalition", sa.String(length=250), nullable=False),
        sa.Column("marking", sa.String(length=12), nullable=False),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.Column("owner_code", sa.String(length=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_code"],
            ["sanctions_lists.code"],
            name=op.f("fk_sanctions_designations_list_code_sanctions_lists"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_code"],
            ["members.code"],
            name=op.f("fk_sanctions_designations_owner_code_members"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sanctions_designations")),
    )
    with op.batch_alter_table("sanctions_designations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sanctions_designations_coalition", ["canonical_coalition"], unique=False
        )
        batch_op.create_index(
            "ix_sanctions_designations_list", ["list_code", "theme", "first_seen"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sanctions_designations_marking"), ["marking"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sanctions_designations_owner_code"), ["owner_code"], unique=False
        )
        batch_op.create_index(
            "ix_sanctions_designations_public", ["canonical_public"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_sanctions_designations_ref"), ["ref"], unique=False)

    op.create_table(
        "sanctions_gap_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("party_a", sa.String(length=40), nullable=False),
        sa.Column("party_b", sa.String(length=40), nullable=False),
        sa.Column("theme", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("tabled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("marking", sa.String(length=12), nullable=False),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.Column("owner_code", sa.String(length=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_code"],
            ["members.code"],
            name=op.f("fk_sanctions_gap_proposals_owner_code_members"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sanctions_gap_proposals")),
        sa.UniqueConstraint("proposal_id", name=op.f("uq_sanctions_gap_proposals_proposal_id")),
    )
    with op.batch_alter_table("sanctions_gap_proposals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sanctions_gap_proposals_marking"), ["marking"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sanctions_gap_proposals_owner_code"), ["owner_code"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sanctions_gap_proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sanctions_gap_proposals_owner_code"))
        batch_op.drop_index(batch_op.f("ix_sanctions_gap_proposals_marking"))

    op.drop_table("sanctions_gap_proposals")
    with op.batch_alter_table("sanctions_designations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sanctions_designations_ref"))
        batch_op.drop_index("ix_sanctions_designations_public")
        batch_op.drop_index(batch_op.f("ix_sanctions_designations_owner_code"))
        batch_op.drop_index(batch_op.f("ix_sanctions_designations_marking"))
        batch_op.drop_index("ix_sanctions_designations_list")
        batch_op.drop_index("ix_sanctions_designations_coalition")

    op.drop_table("sanctions_designations")
    with op.batch_alter_table("sanctions_candidates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sanctions_candidates_right_list"))
        batch_op.drop_index(batch_op.f("ix_sanctions_candidates_left_list"))

    op.drop_table("sanctions_candidates")
    with op.batch_alter_table("sanctions_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sanctions_applications_owner_code"))
        batch_op.drop_index(batch_op.f("ix_sanctions_applications_member_code"))
        batch_op.drop_index(batch_op.f("ix_sanctions_applications_marking"))
        batch_op.drop_index(batch_op.f("ix_sanctions_applications_list_code"))

    op.drop_table("sanctions_applications")
    with op.batch_alter_table("sanctions_judgements", schema=None) as batch_op:
        batch_op.drop_index("ix_sanctions_judgements_pair")
        batch_op.drop_index(batch_op.f("ix_sanctions_judgements_owner_code"))
        batch_op.drop_index(batch_op.f("ix_sanctions_judgements_marking"))

    op.drop_table("sanctions_judgements")
