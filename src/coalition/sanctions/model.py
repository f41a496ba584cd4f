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

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coalition.core.db import Base, UTCDateTime, utcnow
from coalition.core.model import MarkedRecord, SourcedRecord


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
