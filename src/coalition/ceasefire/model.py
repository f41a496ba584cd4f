"""Ceasefire agreements, reports as received, the incidents they form, and rollups.

A report is never edited once received: a re-sent report with the same natural key
(source, source id) is ignored. Incidents and their membership are derived from reports
by the grouping rule (``grouping``) and can be recomputed; what people decide about an
incident (its verification status and assessed attribution) is an audited, append-only
:class:`IncidentStatusChange`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
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

from coalition.ceasefire.vocabulary import (
    IncidentType,
    SourceKind,
    TimePrecision,
    Verification,
)
from coalition.core.db import Base, UTCDateTime, utcnow
from coalition.core.marking import Marking
from coalition.core.model import Audited, EditedRecord, Marked, SourcedRecord


class Ceasefire(EditedRecord, Base):
    __tablename__ = "ceasefires"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    parties: Mapped[str] = mapped_column(String(400))  # names separated by "; "
    scope: Mapped[str] = mapped_column(String(120))  # Scope values separated by ","
    starts_on: Mapped[dt.date] = mapped_column(Date)
    duration_days: Mapped[int] = mapped_column(Integer, default=30)
    extension_days: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20))  # a CeasefireStatus value
    summary: Mapped[str] = mapped_column(Text, default="")


class Report(SourcedRecord, Base):
    """One report as received from a monitor, a sensor, an open source or a party."""

    __tablename__ = "ceasefire_reports"
    __table_args__ = (
        UniqueConstraint("source_name", "source_id"),
        Index("ix_ceasefire_reports_occurred", "occurred_at"),
        # On PostgreSQL the reports are partitioned by month (see partitions.py): the
        # natural key is kept unique in a table of its own, which the incident
        # decisions' foreign key points at.
        {
            "info": {
                "postgresql": {
                    "partitions": "ceasefire_reports_",
                    "companions": ("ceasefire_report_keys",),
                    "replaced": (
                        "uq_ceasefire_reports_source_name_source_id",
                        "fk_ceasefire_incident_status_report_id_ceasefire_reports",
                    ),
                }
            }
        },
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_kind: Mapped[SourceKind] = mapped_column(String(20))
    source_name: Mapped[str] = mapped_column(String(120))
    source_id: Mapped[str] = mapped_column(String(120))
    reliability: Mapped[str] = mapped_column(String(1))  # Admiralty A–F
    credibility: Mapped[int] = mapped_column(Integer)  # Admiralty 1–6
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # What the time is given to (a TimePrecision value): ``occurred_at`` is the start of
    # that window. Reports filed before the column existed gave a time to the minute.
    time_precision: Mapped[str] = mapped_column(
        String(8), default=TimePrecision.MINUTE.value, server_default=TimePrecision.MINUTE.value
    )
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    precision_m: Mapped[int] = mapped_column(Integer, default=1000)
    # The oblast the position lies in (see ``ceasefire.regions``), and the name received.
    region: Mapped[str] = mapped_column(String(80), default="")
    reported_region: Mapped[str] = mapped_column(String(80), default="", server_default="")
    type: Mapped[IncidentType] = mapped_column(String(24))
    weapon: Mapped[str] = mapped_column(String(120), default="")
    attribution: Mapped[str] = mapped_column(String(80), default="")
    casualties: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    # Reports loaded in bulk are audited one entry per batch: "run:batch" names it. The
    # batch's audit entry records its id range, which finds its rows without an index.
    import_batch: Mapped[str | None] = mapped_column(String(48))
    # Unlike other marked tables, no index on owner or marking and no foreign key to the
    # owner: a million rows share a few dozen values, every query reaches reports by time,
    # place or key, and PostgreSQL checks a foreign key with a trigger per row (20 times
    # the cost of the row). Writers check the owner once: the form is its filer's member,
    # an import checks its stamp before the first batch.
    owner_code: Mapped[str] = mapped_column(String(4))
    marking: Mapped[Marking] = mapped_column(String(12), default=Marking.COALITION)


class Incident(Marked, Base):
    """Reports that describe one event. Derived: the grouping rule can rebuild it.

    ``key`` is the natural key of the incident's earliest report, so the same reports
    give the same incidents whatever order they arrived in. The marking is that of its
    reports: grouping never joins reports of different markings (see ``grouping``).
    """

    __tablename__ = "ceasefire_incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(260), unique=True)
    key_report_id: Mapped[int] = mapped_column(Integer)
    compartment: Mapped[str] = mapped_column(String(440))
    type: Mapped[IncidentType] = mapped_column(String(24))
    first_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    # The precision of the first report's time, which ``first_at`` is given to.
    time_precision: Mapped[str] = mapped_column(
        String(8), default=TimePrecision.MINUTE.value, server_default=TimePrecision.MINUTE.value
    )
    last_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    latitude: Mapped[float] = mapped_column(Float, index=True)
    longitude: Mapped[float] = mapped_column(Float)
    region: Mapped[str] = mapped_column(String(80), default="")
    report_count: Mapped[int] = mapped_column(Integer, default=1)
    # Deaths as the sources give them, reconciled (see ``regroup``): each source's figure
    # is its highest; ``casualties`` is the highest of those, the range their lowest and
    # highest.
    casualties: Mapped[int] = mapped_column(Integer, default=0)
    casualties_low: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    casualties_high: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    claimed_attribution: Mapped[str] = mapped_column(String(80), default="")
    status: Mapped[str] = mapped_column(String(20), default=Verification.REPORTED.value)
    assessed_attribution: Mapped[str] = mapped_column(String(80), default="")
    # As for reports: written in bulk, reached by time, place or key; the owner is its
    # reports' owner, checked when they were stored.
    owner_code: Mapped[str] = mapped_column(String(4))
    marking: Mapped[Marking] = mapped_column(String(12), default=Marking.COALITION)


class IncidentMember(Base):
    """Which incident a report sits in: one row per report, so never two incidents.

    Derived, written only by the grouping step, which moves a report's row before it
    drops an incident; no foreign keys, whose per-row triggers would cost an import more
    than the rows themselves (``audit verify`` checks the membership set-wise).
    """

    __tablename__ = "ceasefire_incident_members"

    report_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    incident_id: Mapped[int] = mapped_column(Integer, index=True)


class IncidentStatusChange(Audited, Base):
    """A monitor's decision on an incident's verification, with the reason. Append-only.

    It names the incident by a report in it (the incident's key report when decided): a
    report never leaves its incident, so the decision follows the incident through any
    later merge with another.
    """

    __tablename__ = "ceasefire_incident_status"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("ceasefire_reports.id"), index=True)
    status: Mapped[Verification] = mapped_column(String(20))
    assessed_attribution: Mapped[str] = mapped_column(String(80), default="")
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReportRollup(Marked, Base):
    """Counts of reports by day, type, claimed attribution and oblast, per marking.

    Maintained in the same transaction as the reports it counts, so statistics sum a few
    thousand rows instead of a million, filtered by the same visibility rule as the
    reports themselves (the marking columns are the reports').
    """

    __tablename__ = "ceasefire_report_rollup"
    __table_args__ = (
        UniqueConstraint(
            "day",
            "type",
            "attribution",
            "region",
            "owner_code",
            "marking",
            "rel_to",
            name="uq_ceasefire_report_rollup_key",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    type: Mapped[str] = mapped_column(String(24))
    attribution: Mapped[str] = mapped_column(String(80))
    region: Mapped[str] = mapped_column(String(80))
    reports: Mapped[int] = mapped_column(Integer, default=0)
    casualties: Mapped[int] = mapped_column(Integer, default=0)


class CellRollup(Marked, Base):
    """Counts of reports by day, grid cell and type, per marking: the map's grid.

    Cells are kept at three sizes (``level`` 1, 4 and 16 times 0.1°), so a view of the
    whole front sums the coarse cells and a close view the fine ones. Kept apart from
    :class:`ReportRollup` so neither multiplies the other's keys.
    """

    __tablename__ = "ceasefire_cell_rollup"
    __table_args__ = (
        UniqueConstraint(
            "level",
            "day",
            "cell_y",
            "cell_x",
            "type",
            "owner_code",
            "marking",
            "rel_to",
            name="uq_ceasefire_cell_rollup_key",
        ),
        # Covers the map's query (view, visibility, days, type, sum): no row is read.
        Index(
            "ix_ceasefire_cell_rollup_view",
            "level",
            "cell_y",
            "cell_x",
            "day",
            "type",
            "owner_code",
            "marking",
            "rel_to",
            "reports",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    level: Mapped[int] = mapped_column(Integer)
    day: Mapped[dt.date] = mapped_column(Date)
    cell_y: Mapped[int] = mapped_column(Integer)
    cell_x: Mapped[int] = mapped_column(Integer)
    # Read only through the covering index above: no index of its own on the day, owner
    # or marking, and no foreign key to the owner, which PostgreSQL would check with a
    # trigger on each row an import's upsert writes. The rollup's writers are the report
    # writers, which check the owner once (see Report).
    owner_code: Mapped[str] = mapped_column(String(4))
    marking: Mapped[Marking] = mapped_column(String(12), default=Marking.COALITION)
    type: Mapped[str] = mapped_column(String(24))
    reports: Mapped[int] = mapped_column(Integer, default=0)
