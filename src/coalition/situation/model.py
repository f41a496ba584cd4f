"""Situation tables: dated control of territory, and claims with their reviews.

A :class:`Snapshot` is one source's polygon of one layer (held, contested, claimed) on one
day, marked like any record and audited; its shape is stored once in :class:`Shape`, named
by the SHA-256 of its WKB, with simplified copies for the map's zoom levels. Consecutive
days of an OSINT map often repeat a polygon exactly: they share one stored shape. The
audited snapshot row carries the digest, so the audit chain vouches for the shape without
copying tens of thousands of vertices into every entry; ``audit verify`` checks that each
shape still hashes to its name. :class:`SnapshotRegion` holds the snapshot's area within
each region (oblast), computed at import like the total.

A :class:`Claim` is what a named actor claimed, when and where it first appeared; each
:class:`Review` rates it on the fixed scale of :mod:`coalition.situation.verdicts` with a
confidence stated apart, and carries its typed :class:`Evidence`. A claim's status is not
stored: it follows from the reviews the reader may see (:func:`~coalition.situation.
verdicts.history`), so a NATIONAL review never moves the status another nation reads.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.core.db import Base, UTCDateTime
from coalition.core.model import Audited, EditedRecord, SourcedRecord, Timestamped

FULL = -1  # the level of a shape as imported; the others are Leaflet zoom levels


class Shape(Base):
    """A polygon as WKB, named by the SHA-256 of the full one, at one level of detail.

    Neither marked nor audited: it is reached only through a snapshot the reader may see,
    and the audited snapshot names it by its digest."""

    __tablename__ = "situation_shapes"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    level: Mapped[int] = mapped_column(Integer, primary_key=True)
    wkb: Mapped[bytes] = mapped_column(LargeBinary)
    vertices: Mapped[int] = mapped_column(Integer)


class Snapshot(Base, SourcedRecord, Timestamped):
    """One source's control polygon of one layer on one day."""

    __tablename__ = "situation_snapshots"
    __table_args__ = (
        UniqueConstraint("source", "taken_on", "layer"),
        Index("ix_situation_snapshots_day", "taken_on", "source"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(80), index=True)
    taken_on: Mapped[dt.date] = mapped_column(Date)
    layer: Mapped[str] = mapped_column(String(12))  # held, contested, claimed
    method: Mapped[str] = mapped_column(String(1000), default="")
    shape_sha256: Mapped[str] = mapped_column(String(64))
    area_km2: Mapped[float] = mapped_column(Float)
    parts: Mapped[int] = mapped_column(Integer)
    vertices: Mapped[int] = mapped_column(Integer)
    repairs: Mapped[str] = mapped_column(String(2000), default="")  # what import repaired
    run_key: Mapped[str] = mapped_column(String(40), default="")

    regions: Mapped[list[SnapshotRegion]] = relationship(
        back_populates="snapshot",
        cascade="all, delete-orphan",
        order_by="SnapshotRegion.region_code",
    )


class SnapshotRegion(Base, Audited):
    """The area of a snapshot within one region (``outside``: beyond every outline)."""

    __tablename__ = "situation_snapshot_regions"
    __table_args__ = (UniqueConstraint("snapshot_id", "region_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("situation_snapshots.id", ondelete="CASCADE"), index=True
    )
    region_code: Mapped[str] = mapped_column(String(12))
    area_km2: Mapped[float] = mapped_column(Float)

    snapshot: Mapped[Snapshot] = relationship(back_populates="regions")


class Claim(Base, EditedRecord):
    """What was claimed, by whom, when and where it first appeared."""

    __tablename__ = "situation_claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    summary: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")
    claimant: Mapped[str] = mapped_column(String(200))
    claimant_type: Mapped[str] = mapped_column(String(12), default="person")
    kind: Mapped[str] = mapped_column(String(24), index=True)
    claimed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    appeared_in: Mapped[str] = mapped_column(String(300), default="")  # outlet or channel
    appeared_url: Mapped[str] = mapped_column(String(500), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    area: Mapped[str] = mapped_column(Text, default="")  # GeoJSON geometry, or empty

    reviews: Mapped[list[Review]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", order_by="Review.reviewed_at"
    )


class Review(Base, SourcedRecord, Timestamped):
    """One reviewer's rating of a claim at one time; a later view is a new review."""

    __tablename__ = "situation_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(
        ForeignKey("situation_claims.id", ondelete="CASCADE"), index=True
    )
    reviewer: Mapped[str] = mapped_column(String(200))
    reviewer_kind: Mapped[str] = mapped_column(String(24))
    reviewed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    rating: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[str] = mapped_column(String(12))
    summary: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500), default="")

    claim: Mapped[Claim] = relationship(back_populates="reviews")
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="Evidence.id"
    )


class Evidence(Base, Audited):
    """One piece of evidence a review rests on; seen with its review."""

    __tablename__ = "situation_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("situation_reviews.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(500), default="")
    dated: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(String(2000), default="")

    review: Mapped[Review] = relationship(back_populates="evidence")
