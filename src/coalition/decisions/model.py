"""Proposals, the members taking part in each, and their positions (append-only)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.core.db import Base, UTCDateTime, utcnow
from coalition.core.model import Audited, EditedRecord

# The enum lives in a pure module; imported here under its own name, as it always was.
from coalition.decisions.enums import ProposalStatus as ProposalStatus


class Proposal(EditedRecord, Base):
    """A matter put to the members under a decision rule.

    ``owner_code`` is who tabled it (a member or the secretariat); the marking decides who
    may see it and, at opening, which members take part.
    """

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    rule: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(12), default=ProposalStatus.DRAFT.value, index=True)
    opens_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    deadline: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    tabled_by: Mapped[str] = mapped_column(String(64), default="")  # the user who tabled it
    quorum: Mapped[int] = mapped_column(Integer, default=0)
    members_pct: Mapped[int] = mapped_column(Integer, default=55)
    population_pct: Mapped[int] = mapped_column(Integer, default=65)
    blocking_members: Mapped[int] = mapped_column(Integer, default=4)
    silence_broken_by: Mapped[str | None] = mapped_column(String(4))
    silence_broken_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    outcome_reason: Mapped[str] = mapped_column(Text, default="")

    voters: Mapped[list[ProposalVoter]] = relationship(
        back_populates="proposal",
        cascade="all, delete-orphan",
        order_by="ProposalVoter.member_code",
    )


class ProposalVoter(Audited, Base):
    """A member taking part in a proposal, fixed when it opens, with its population weight.

    Fixing the list at opening keeps the outcome stable when members join or leave later,
    and lets a proposal carry its own population table.
    """

    __tablename__ = "proposal_voters"
    __table_args__ = (UniqueConstraint("proposal_id", "member_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    member_code: Mapped[str] = mapped_column(String(4), ForeignKey("members.code"))
    population: Mapped[int] = mapped_column(BigInteger, default=0)
    # Where ``population`` comes from, e.g. "Council Annex III 2025" (empty before 0012).
    population_basis: Mapped[str] = mapped_column(String(200), default="", server_default="")

    proposal: Mapped[Proposal] = relationship(back_populates="voters")


class Position(Audited, Base):
    """One statement of a member's position. Never updated except to mark it superseded.

    A new statement supersedes the member's live one (``superseded_at`` set); a partial
    unique index keeps at most one live position per member and proposal.
    """

    __tablename__ = "positions"
    __table_args__ = (
        Index(
            "uq_positions_live",
            "proposal_id",
            "member_code",
            unique=True,
            sqlite_where=text("superseded_at IS NULL"),
            postgresql_where=text("superseded_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    member_code: Mapped[str] = mapped_column(String(4), ForeignKey("members.code"))
    stance: Mapped[str] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(Text, default="")
    condition: Mapped[str] = mapped_column(Text, default="")
    stated_by: Mapped[str] = mapped_column(String(64))
    stated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    superseded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
