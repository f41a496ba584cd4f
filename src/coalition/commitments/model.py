"""Commitments and their deliveries: an append-only ledger.

A commitment is never changed in place. Each change inserts a new row (a new
``revision``) with the same ``record_id`` and stamps ``superseded_at`` on the row it
replaces, so the ledger can answer what the coalition knew on any day. Exactly one row
per record is live (``superseded_at IS NULL``), which partial unique indexes enforce.

Deliveries hang off the record, not off one revision, and are insert-only. They carry no
marking of their own: whoever may see the commitment may see its deliveries.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

# The enums live in a pure module; imported here under their own names, as they always were.
from coalition.commitments.enums import Category as Category
from coalition.commitments.enums import DatePrecision as DatePrecision
from coalition.commitments.enums import Status as Status
from coalition.core.db import Base, UTCDateTime, utcnow
from coalition.core.model import Audited, SourcedRecord

MONEY = Numeric(20, 2)
QUANTITY = Numeric(20, 3)
RATE = Numeric(20, 8)


class Commitment(SourcedRecord, Base):
    """One revision of a member's pledge. The owner is the pledging member."""

    __tablename__ = "commitments"
    __table_args__ = (
        UniqueConstraint("record_id", "revision"),
        Index(
            "uq_commitments_live_record",
            "record_id",
            unique=True,
            sqlite_where=text("superseded_at IS NULL"),
            postgresql_where=text("superseded_at IS NULL"),
        ),
        Index(
            "uq_commitments_live_source",
            "source",
            "source_id",
            unique=True,
            sqlite_where=text("superseded_at IS NULL AND source_id IS NOT NULL"),
            postgresql_where=text("superseded_at IS NULL AND source_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(String(32), index=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    superseded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)

    announced_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    date_precision: Mapped[DatePrecision] = mapped_column(String(10), default=DatePrecision.DAY)
    date_text: Mapped[str] = mapped_column(String(100), default="")
    category: Mapped[Category] = mapped_column(String(20), index=True)
    item: Mapped[str] = mapped_column(String(300))
    explanation: Mapped[str] = mapped_column(Text, default="")
    quantity: Mapped[Decimal | None] = mapped_column(QUANTITY)
    unit: Mapped[str] = mapped_column(String(40), default="")
    value: Mapped[Decimal | None] = mapped_column(MONEY)
    currency: Mapped[str | None] = mapped_column(String(3))
    value_eur: Mapped[Decimal | None] = mapped_column(MONEY)
    rate: Mapped[Decimal | None] = mapped_column(RATE)
    rate_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[Status] = mapped_column(String(12), default=Status.ANNOUNCED, index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    # The natural key of an imported record: ("kiel", "<ID>-<row in package>"), ("csv", ...).
    source: Mapped[str] = mapped_column(String(20), default="manual")
    source_id: Mapped[str | None] = mapped_column(String(120))
    # The import run whose file wrote this revision (its key, ``imports`` records it);
    # none for a revision entered or corrected by hand.
    import_run: Mapped[str | None] = mapped_column(String(40), nullable=True)


class Delivery(Audited, Base):
    """What arrived against a commitment: insert-only; its value is in the pledge's currency.

    ``date_precision`` says how well ``delivered_on`` is known: a tracker sheet that says
    an item arrived without saying when dates it "on or before" its reporting day (``by``).
    """

    __tablename__ = "commitment_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(String(32), index=True)
    delivered_on: Mapped[dt.date] = mapped_column(Date, index=True)
    date_precision: Mapped[DatePrecision] = mapped_column(
        String(10), default=DatePrecision.DAY.value, server_default="day"
    )
    quantity: Mapped[Decimal | None] = mapped_column(QUANTITY)
    value: Mapped[Decimal | None] = mapped_column(MONEY)
    currency: Mapped[str | None] = mapped_column(String(3))
    value_eur: Mapped[Decimal | None] = mapped_column(MONEY)
    rate: Mapped[Decimal | None] = mapped_column(RATE)
    rate_date: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
