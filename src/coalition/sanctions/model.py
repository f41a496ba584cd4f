"""Sanctions tables: lists, their dated snapshots, and FollowTheMoney entities.

A :class:`SanctionsList` is one authority's list (``us_ofac_sdn``); a :class:`ListSnapshot`
is one import of it as published on one day (the file's SHA-256 kept); an
:class:`Entity` is one listing period of one FtM entity on one list: from the snapshot
that first held it (``first_seen``) to the first snapshot that no longer did
(``listed_until``, NULL while it is listed). An entity delisted and listed again gets a
new period row, so "listed on day D" is always ``first_seen <= D < listed_until``.
Everything is marked like its list (PUBLIC for a published list) and audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from coalition.core.db import Base, UTCDateTime, utcnow
from coalition.core.model import Marked, MarkedRecord, SourcedRecord


class SanctionsList(Base, SourcedRecord):
    """An authority's list, named by a code; its owner is the member publishing or applying it."""

    __tablename__ = "sanctions_lists"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    authority: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str] = mapped_column(String(500), default="")


class ListSnapshot(Base, MarkedRecord):
    """One import of one list as published on one day.

    ``complete`` is set once the whole file was read and the delistings it implies were
    written; a snapshot left incomplete (a file cut short, a stopped run) delists nothing.
    """

    __tablename__ = "sanctions_snapshots"
    __table_args__ = (UniqueConstraint("list_code", "taken_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_code: Mapped[str] = mapped_column(ForeignKey("sanctions_lists.code"), index=True)
    taken_on: Mapped[dt.date] = mapped_column(Date)
    file_sha256: Mapped[str] = mapped_column(String(64))
    run_key: Mapped[str] = mapped_column(String(40), default="")
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    read: Mapped[int] = mapped_column(Integer, default=0)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    delisted: Mapped[int] = mapped_column(Integer, default=0)


class Entity(Base, SourcedRecord):
    """One FtM entity on one list, for one listing period.

    ``properties`` is FtM's ``to_dict()["properties"]`` as of ``last_seen``; ``changes``
    keeps, oldest first, each earlier state the period replaced: ``{"on": day,
    "schema": ..., "properties": ...}`` for the snapshot that brought the change.
    """

    __tablename__ = "sanctions_entities"
    __table_args__ = (
        UniqueConstraint("list_code", "entity_id", "first_seen"),
        Index("ix_sanctions_entities_listed", "list_code", "listed_until"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_code: Mapped[str] = mapped_column(ForeignKey("sanctions_lists.code"))
    entity_id: Mapped[str] = mapped_column(String(200), index=True)
    schema: Mapped[str] = mapped_column(String(40), index=True)
    caption: Mapped[str] = mapped_column(String(500), default="")
    properties: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    first_seen: Mapped[dt.date] = mapped_column(Date)
    last_seen: Mapped[dt.date] = mapped_column(Date)
    listed_until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    run_key: Mapped[str] = mapped_column(String(40), default="")  # the run that last wrote it


class Application(Base, SourcedRecord):
    """A member applying a list from a day: its own, or another authority's (the EU's
    states apply the EU's list, Norway aligns with it). ``until`` ends it (NULL: still)."""

    __tablename__ = "sanctions_applications"
    __table_args__ = (UniqueConstraint("member_code", "list_code", "since"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_code: Mapped[str] = mapped_column(ForeignKey("members.code"), index=True)
    list_code: Mapped[str] = mapped_column(ForeignKey("sanctions_lists.code"), index=True)
    since: Mapped[dt.date] = mapped_column(Date)
    until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(String(500), default="")


# What "listed on a day, as the reader may see it" reads: the listing period and the columns
# of :func:`coalition.core.visibility.visible`. Each index the alignment scans carries them,
# so that its passes read the index alone: by list (a gap's two sides; the markings first,
# so that the few a list's designations carry are found by seeking) and by target (the
# matrix, grouped by target and theme in the index's order).
PERIOD = ("first_seen", "listed_until")
MARKS = ("marking", "owner_code", "rel_to")


class Designation(Base, Marked):
    """One program of one designation on one list, for one listing period: what the
    alignment reads. Derived from the list's entities each time a snapshot is whole
    (:mod:`coalition.sanctions.designations`), marked like its list; derived, so not
    audited row by row (the entities it is read from are).

    ``ref`` names the target as resolution does (``list_code:entity_id``);
    ``canonical_public`` and ``canonical_coalition`` name its cluster as the judgements
    marked PUBLIC, and those marked PUBLIC or COALITION, have it (the ref itself when no
    judgement joins it to another).
    """

    __tablename__ = "sanctions_designations"
    __table_args__ = tuple(
        index
        for scope in ("public", "coalition")
        for index in (
            Index(
                f"ix_sanctions_designations_list_{scope}",
                *("list_code", *MARKS, "theme", f"canonical_{scope}", *PERIOD),
            ),
            Index(
                f"ix_sanctions_designations_target_{scope}",
                *(f"canonical_{scope}", "theme", "list_code", *PERIOD, *MARKS),
            ),
        )
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_code: Mapped[str] = mapped_column(ForeignKey("sanctions_lists.code"))
    ref: Mapped[str] = mapped_column(String(250), index=True)
    target_id: Mapped[str] = mapped_column(String(200))
    sanction_id: Mapped[str] = mapped_column(String(200), default="")
    schema: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(12))  # vessel, bank, entity, person, aircraft
    caption: Mapped[str] = mapped_column(String(500), default="")
    program: Mapped[str] = mapped_column(String(200), default="")
    theme: Mapped[str] = mapped_column(String(40), default="")
    authority_id: Mapped[str] = mapped_column(String(200), default="")
    listing_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    reason: Mapped[str] = mapped_column(String(2000), default="")
    un_listed: Mapped[bool] = mapped_column(Boolean, default=False)
    first_seen: Mapped[dt.date] = mapped_column(Date)
    listed_until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    canonical_public: Mapped[str] = mapped_column(String(250))
    canonical_coalition: Mapped[str] = mapped_column(String(250))


class Judgement(Base, MarkedRecord):
    """A judgement on whether two targets are the same, by a person or a rule.

    Never deleted: revisiting a judgement ends it (``ended_at``, ``ended_by``) and the
    judgement made instead is a new row, so each pair's history is kept.
    """

    __tablename__ = "sanctions_judgements"
    __table_args__ = (
        Index("ix_sanctions_judgements_pair", "left_ref", "right_ref"),
        # The live judgements' markings, found by seeking rather than by reading them all.
        Index("ix_sanctions_judgements_live", "ended_at", "judgement", *MARKS),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    left_ref: Mapped[str] = mapped_column(String(250))
    right_ref: Mapped[str] = mapped_column(String(250))
    judgement: Mapped[str] = mapped_column(String(12))  # same, different, unsure
    decided_by: Mapped[str] = mapped_column(String(120))  # a username, or rule:<name>
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(String(2000), default="")
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ended_by: Mapped[str] = mapped_column(String(120), default="")


class TargetPeriod(Base):
    """One target (a cluster, as one canonical column names it) over one period during
    which the designations holding it did not change: which lists held it under one theme
    (or under any, ``theme`` ``*``), with the figures a gap list is ranked by.

    Derived from the designations by :mod:`coalition.sanctions.summary` whenever they or
    their clusters are rewritten, so not audited; it carries no marking and is read only
    for a reader who may see every designation it summarises.

    ``holding`` is ``held|held_all``: the lists holding the target under ``theme``, then
    under any theme, each as the ids of its lists (ascending, comma-separated: short
    enough to index however many lists there are). ``un_listed``, ``kind_rank``,
    ``first_listed`` and ``caption`` are over every designation of the target in the
    period (the UN's, the kind first in a gap's order, the earliest listing, the least
    name in the database's collation).
    """

    __tablename__ = "sanctions_target_periods"
    __table_args__ = (
        Index("ix_sanctions_target_periods_holding", "scope", "theme", "holding", "since"),
        Index("ix_sanctions_target_periods_target", "scope", "target"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(20))  # canonical_public or canonical_coalition
    target: Mapped[str] = mapped_column(String(250))
    theme: Mapped[str] = mapped_column(String(40))
    holding: Mapped[str] = mapped_column(Text)
    since: Mapped[dt.date] = mapped_column(Date)
    until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    un_listed: Mapped[bool] = mapped_column(Boolean)
    kind_rank: Mapped[int] = mapped_column(Integer)
    first_listed: Mapped[dt.date] = mapped_column(Date)
    caption: Mapped[str] = mapped_column(String(500))


class HoldingCount(Base):
    """How many targets (of one scope, under one theme) entered (positive) or left
    (negative) one holding on one day: summed up to a day, the number in each holding on
    it, which is all the matrix needs. Kept with :class:`TargetPeriod`."""

    __tablename__ = "sanctions_holding_counts"
    __table_args__ = (UniqueConstraint("scope", "theme", "holding", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(20))
    theme: Mapped[str] = mapped_column(String(40))
    holding: Mapped[str] = mapped_column(Text)
    day: Mapped[dt.date] = mapped_column(Date)
    change: Mapped[int] = mapped_column(Integer)


class Candidate(Base):
    """A pair of targets on two lists the resolver found alike, with its evidence.

    Derived from the lists' entities (and so not audited; the judgements made on it
    are): a candidate is shown only to a reader who may see both lists (``left_list``,
    ``right_list``).
    """

    __tablename__ = "sanctions_candidates"
    __table_args__ = (UniqueConstraint("left_ref", "right_ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    left_ref: Mapped[str] = mapped_column(String(250))
    right_ref: Mapped[str] = mapped_column(String(250))
    left_list: Mapped[str] = mapped_column(ForeignKey("sanctions_lists.code"), index=True)
    right_list: Mapped[str] = mapped_column(ForeignKey("sanctions_lists.code"), index=True)
    score: Mapped[float] = mapped_column(Float)
    rule: Mapped[str] = mapped_column(String(60))
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)
    found_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class GapProposal(Base, MarkedRecord):
    """The targets a proposal tabled from a gap list asks members to align on: the list
    attached to the proposal, as the gap stood when it was tabled."""

    __tablename__ = "sanctions_gap_proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(Integer, unique=True)
    party_a: Mapped[str] = mapped_column(String(40))
    party_b: Mapped[str] = mapped_column(String(40))
    theme: Mapped[str] = mapped_column(String(40), default="")
    kind: Mapped[str] = mapped_column(String(12), default="")
    as_of: Mapped[dt.date] = mapped_column(Date)
    targets: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    tabled_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
