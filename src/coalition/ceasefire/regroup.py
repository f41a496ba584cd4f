"""Putting newly stored reports into incidents: the grouping rule's writes.

:mod:`~coalition.ceasefire.grouping` states the rule; this module reads the stored
neighbourhood a batch reaches, applies the rule and writes the incidents and memberships
that changed, through :mod:`coalition.core.bulk`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from sqlalchemy import ColumnElement, and_, or_, select, text
from sqlalchemy.orm import Session, aliased

from coalition.ceasefire import grouping
from coalition.ceasefire.batches import STORED_SCHEMA, Stamp, natural_key
from coalition.ceasefire.model import Incident, IncidentMember, IncidentStatusChange, Report
from coalition.core import bulk
from coalition.core.db import is_postgres


@dataclass(frozen=True)
class Regrouping:
    """What grouping one batch did: the stored reports it read, the stored reports that
    moved to another incident, and the incidents it created, rewrote or dropped."""

    read: int = 0
    moved: int = 0
    incidents: int = 0


_SUMMARY_FIELDS = (
    "id",
    "source_name",
    "source_id",
    "occurred_at",
    "latitude",
    "longitude",
    "type",
    "region",
    "attribution",
    "casualties",
    "owner_code",
    "marking",
    "rel_to",
    "time_precision",
)


def group_reports(session: Session, stamp: Stamp, fresh: pl.DataFrame) -> Regrouping:
    """Put newly stored reports into incidents, regrouping only what their arrival changes
    (see :func:`grouping.settle`: the stored reports read are those of the neighbourhood
    the change reaches), and rewrite the incidents that changed."""
    comp = stamp.compartment
    _take_turns(session, comp)
    arriving = fresh.select(_SUMMARY_FIELDS)
    reads: list[pl.DataFrame] = []
    seed_id = _by_columns(session, comp, arriving, reads)
    if seed_id is None:
        seed_id = _settled(session, comp, arriving, reads)
    stored = reads[-1]
    reports = pl.concat([stored.select(_SUMMARY_FIELDS), arriving])
    incident_of: dict[int, int] = dict(stored.select("id", "incident_id").iter_rows())
    seed_of_incident: dict[int, int] = dict(
        stored.select("incident_id", "key_report_id").iter_rows()
    )

    incident_of_seed = {seed: inc for inc, seed in seed_of_incident.items()}
    seeds = set(seed_id.values())
    # Stored seeds that now join an earlier seed lose their incident.
    dropped = [
        inc for inc, seed in seed_of_incident.items() if seed in seed_id and seed_id[seed] != seed
    ]
    created = sorted(s for s in seeds if s not in incident_of_seed)
    new_ids = bulk.allocate_ids(session, Incident.__tablename__, len(created))
    for seed, inc in zip(created, new_ids, strict=True):
        incident_of_seed[seed] = inc
    touched: set[int] = set(new_ids)
    moves: list[tuple[int, int]] = []
    joins: list[tuple[int, int]] = []
    for rid, seed in seed_id.items():
        target = incident_of_seed[seed]
        before = incident_of.get(rid)
        if before is None:
            joins.append((rid, target))
            touched.add(target)
        elif before != target:
            moves.append((rid, target))
            touched.update((before, target))
            incident_of[rid] = target
    for rid, target in joins:
        incident_of[rid] = target
    touched.difference_update(dropped)

    # Every member of a touched incident was read (``Regrouped.needs``).
    summaries = _summaries(session, reports, incident_of, touched, comp)
    bulk.insert(session, Incident.__tablename__, summaries.filter(pl.col("id").is_in(new_ids)))
    membership = pl.DataFrame(
        joins, schema={"report_id": pl.Int64, "incident_id": pl.Int64}, orient="row"
    )
    bulk.update(
        session,
        IncidentMember.__tablename__,
        pl.DataFrame(moves, schema={"report_id": pl.Int64, "incident_id": pl.Int64}, orient="row"),
        key="report_id",
    )
    bulk.insert(session, IncidentMember.__tablename__, membership)
    bulk.delete(session, Incident.__tablename__, dropped)
    bulk.update(session, Incident.__tablename__, summaries.filter(~pl.col("id").is_in(new_ids)))
    return Regrouping(
        read=sum(frame.height for frame in reads),
        moved=len(moves),
        incidents=len(touched) + len(dropped),
    )


def _settled(
    session: Session, comp: str, arriving: pl.DataFrame, reads: list[pl.DataFrame]
) -> dict[int, int]:
    """The seed of each report that arrived or moved, by :func:`grouping.settle`."""

    def load(extent: grouping.Extent) -> dict[grouping.Sighting, grouping.Sighting]:
        held = _stored_within(session, comp, extent)
        reads.append(held)
        return dict(zip(_sightings(held, comp), _sightings(held, comp, "seed_"), strict=True))

    result, _ = grouping.settle(_sightings(arriving, comp), load)
    reports = pl.concat([reads[-1].select(_SUMMARY_FIELDS), arriving])
    sighting_id = dict(zip(_sightings(reports, comp), reports["id"].to_list(), strict=True))
    return {sighting_id[s]: sighting_id[seed] for s, seed in result.seeds.items()}


_SPAN_US = {p: span // dt.timedelta(microseconds=1) for p, span in grouping.SPANS.items()}


def _by_columns(
    session: Session, comp: str, arriving: pl.DataFrame, reads: list[pl.DataFrame]
) -> dict[int, int] | None:
    """The seed of each report that arrived or moved, decided over columns by
    :func:`groupkernel.cascade` (the rule's regroup, a batch at once), reading a larger
    extent until the answer rests only on what was read, as :func:`grouping.settle`
    reads. ``None`` where the rule's own regroup (:func:`_settled`) must decide."""
    from coalition.ceasefire import groupkernel

    new = _canonical(arriving).with_columns(_new=pl.lit(True))
    spread = _bounds(new)
    first = new.select("occurred_at", "_key").row(0)
    extent = spread.around(grouping.FIRST_REACH_KM, grouping.FIRST_BEFORE, grouping.FIRST_AFTER)
    while True:
        held = _canonical(_stored_within(session, comp, extent))
        reads.append(held)
        items = (
            pl.concat([held.with_columns(_new=pl.lit(False)).select(new.columns), new])
            .sort("occurred_at", "_key")
            .with_columns(
                _seed=pl.col("id").replace_strict(
                    held["id"], held["key_report_id"], default=None, return_dtype=pl.Int64
                )
            )
        )
        ids = items["id"]
        seed_at = items.select(
            pl.col("_seed")
            .replace_strict(ids, pl.int_range(items.height), default=groupkernel.ELSEWHERE)
            .cast(pl.Int64)
        ).to_series()
        at, key = pl.col("occurred_at"), pl.col("_key")
        before = items.select(
            ((at < first[0]) | ((at == first[0]) & (key < first[1]))).sum()
        ).item()
        was = pl.when(items["_new"]).then(groupkernel.ARRIVING).otherwise(seed_at)
        types = sorted(set(items["type"].to_list()))
        done = groupkernel.cascade(
            groupkernel.Columns(
                items["occurred_at"].dt.epoch("us").to_numpy(),
                items["_span"].to_numpy(),
                items["latitude"].to_numpy(),
                items["longitude"].to_numpy(),
                items["type"].replace_strict(types, range(len(types))).cast(pl.Int64).to_numpy(),
                items["source_name"].rank("dense").cast(pl.Int64).to_numpy(),
                np.zeros(items.height, dtype=np.int64),
                groupkernel.compatibility(types),
            ),
            seed_at.head(before).to_numpy(),
            items.select(was).to_series().tail(items.height - before).to_numpy(),
        )
        if done is None:
            return None
        longest = dt.timedelta(microseconds=int(items["_span"].max()))  # type: ignore[arg-type]
        touched = items[done.touched.tolist()]
        needs = grouping.needs_of(
            _bounds(items[done.taken_again.tolist()]),
            None if touched.is_empty() else _bounds(touched),
            longest,
        )
        if extent.covers(needs):
            seeds, id_of = done.seeds.tolist(), ids.to_list()
            return {id_of[i]: id_of[seeds[i]] for i in done.changed.tolist()}
        extent = extent.union(needs).grown(2 * grouping.RADIUS_KM, grouping.WINDOW)


def _canonical(frame: pl.DataFrame) -> pl.DataFrame:
    """Reports in canonical order (window start, then natural key), with their window's
    length in microseconds."""
    return frame.with_columns(
        _key=pl.col("source_name") + "|" + pl.col("source_id"),
        _span=pl.col("time_precision").replace_strict(_SPAN_US, return_dtype=pl.Int64),
    ).sort("occurred_at", "_key")


def _bounds(frame: pl.DataFrame) -> grouping.Bounds:
    ends = pl.col("occurred_at") + pl.duration(microseconds=pl.col("_span"))
    row = frame.select(
        pl.col("occurred_at").min().alias("first"),
        ends.max().alias("last_end"),
        pl.col("latitude").min().alias("south"),
        pl.col("latitude").max().alias("north"),
        pl.col("longitude").min().alias("west"),
        pl.col("longitude").max().alias("east"),
    ).row(0)
    return grouping.Bounds(*row)


_SIGHTING_FIELDS = (
    "occurred_at",
    "source_name",
    "source_id",
    "latitude",
    "longitude",
    "type",
    "time_precision",
)


def _sightings(frame: pl.DataFrame, comp: str, prefix: str = "") -> list[grouping.Sighting]:
    """The sighting of each row of ``frame`` (of its seed, with ``prefix="seed_"``)."""
    return [
        sighting(at, name, sid, lat, lon, kind, comp, precision)
        for at, name, sid, lat, lon, kind, precision in frame.select(
            [prefix + n for n in _SIGHTING_FIELDS]
        ).iter_rows()
    ]


def sighting(
    at: dt.datetime,
    source_name: str,
    source_id: str,
    lat: float,
    lon: float,
    kind: str,
    comp: str,
    precision: str,
) -> grouping.Sighting:
    """What the grouping rule needs of a stored report."""
    return grouping.Sighting(
        at,
        natural_key(source_name, source_id),
        lat,
        lon,
        kind,
        comp,
        grouping.span_of(precision),
        source_name,
    )


def window_touches(extent: grouping.Extent) -> ColumnElement[bool]:
    """SQL for reports whose time window touches the extent's span (``Extent.holds``):
    a range of ``occurred_at`` for the index, widened by the longest window."""
    return and_(
        Report.occurred_at.between(extent.since - grouping.LONGEST, extent.until),
        or_(
            *(
                and_(
                    Report.time_precision == precision,
                    Report.occurred_at >= extent.since - span,
                )
                for precision, span in grouping.SPANS.items()
            )
        ),
    )


def _take_turns(session: Session, comp: str) -> None:
    """Regroups of one compartment take turns, each reading what the one before stored.

    On PostgreSQL a transaction-scoped advisory lock per compartment, which no other
    writer takes; SQLite has one writing transaction at a time already.
    """
    if is_postgres(session):
        digest = hashlib.sha256(f"ceasefire grouping {comp}".encode()).digest()
        key = int.from_bytes(digest[:8], "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _stored_within(session: Session, comp: str, extent: grouping.Extent) -> pl.DataFrame:
    """Stored reports of a compartment in ``extent``, with their incidents and seeds."""
    seed = aliased(Report)
    columns = [getattr(Report, n) for n in _SUMMARY_FIELDS]
    query = (
        select(
            *columns,
            IncidentMember.incident_id,
            Incident.key_report_id,
            *(getattr(seed, n).label(f"seed_{n}") for n in _SIGHTING_FIELDS),
        )
        .join(IncidentMember, IncidentMember.report_id == Report.id)
        .join(Incident, Incident.id == IncidentMember.incident_id)
        .join(seed, seed.id == Incident.key_report_id)
        .where(
            Incident.compartment == comp,
            window_touches(extent),
            Report.latitude.between(extent.south, extent.north),
        )
    )
    if extent.lons is not None:
        query = query.where(Report.longitude.between(*extent.lons))
    schema = {
        **{n: STORED_SCHEMA.get(n, pl.Int64) for n in _SUMMARY_FIELDS},
        "incident_id": pl.Int64,
        "key_report_id": pl.Int64,
        **{f"seed_{n}": STORED_SCHEMA[n] for n in _SIGHTING_FIELDS},
    }
    return pl.DataFrame([tuple(r) for r in session.execute(query)], schema=schema, orient="row")


def _summaries(
    session: Session,
    reports: pl.DataFrame,
    incident_of: dict[int, int],
    touched: set[int],
    comp: str,
) -> pl.DataFrame:
    """Each touched incident's row, computed from all its reports.

    The summary is a function of the incident's reports, never of their arrival: the
    key, time, time precision, owner and type are its first report's (a first report of
    type ``other`` takes the type of the first that is more specific), the place is the
    mean, the region and claimed attribution the first given. Fatalities are reconciled
    by source: each source's figure is the highest it gives (reports of one event
    overlap, so never their sum), the incident's figure the highest of those, and the
    range their lowest to highest. The status is the latest decision taken on any of its
    reports, else corroborated once two different sources report it.
    """
    members = pl.DataFrame(
        [(rid, inc) for rid, inc in incident_of.items() if inc in touched],
        schema={"id": pl.Int64, "incident_id": pl.Int64},
        orient="row",
    )
    rows = (
        reports.join(members, on="id")
        .with_columns(key=pl.col("source_name") + "|" + pl.col("source_id"))
        .sort("occurred_at", "key")
    )
    summary = rows.group_by("incident_id").agg(
        pl.col("key").first(),
        pl.col("id").first().alias("key_report_id"),
        pl.coalesce(
            pl.col("type").filter(pl.col("type") != "other").first(), pl.lit("other")
        ).alias("type"),
        pl.col("occurred_at").first().alias("first_at"),
        pl.col("time_precision").first(),
        pl.col("occurred_at").max().alias("last_at"),
        pl.col("latitude").mean(),
        pl.col("longitude").mean(),
        pl.coalesce(pl.col("region").filter(pl.col("region") != "").first(), pl.lit("")).alias(
            "region"
        ),
        pl.len().cast(pl.Int64).alias("report_count"),
        pl.coalesce(
            pl.col("attribution").filter(pl.col("attribution") != "").first(), pl.lit("")
        ).alias("claimed_attribution"),
        pl.col("owner_code").first(),
        pl.col("marking").first(),
        pl.col("rel_to").first(),
        pl.col("type").first().alias("_first_type"),
    )
    by_source = (
        rows.group_by("incident_id", "source_name")
        .agg(pl.col("casualties").max())
        .group_by("incident_id")
        .agg(
            pl.col("casualties").max(),
            pl.col("casualties").min().alias("casualties_low"),
            pl.col("casualties").max().alias("casualties_high"),
            pl.len().cast(pl.Int64).alias("_sources"),
        )
    )
    summary = (
        summary.join(by_source, on="incident_id")
        .with_columns(
            pl.when(pl.col("_first_type") != "other")
            .then(pl.col("_first_type"))
            .otherwise(pl.col("type"))
            .alias("type")
        )
        .drop("_first_type")
    )
    decided = _decisions(session, rows)
    summary = summary.join(decided, on="incident_id", how="left").with_columns(
        pl.coalesce(
            "status",
            pl.when(pl.col("_sources") >= 2)
            .then(pl.lit("corroborated"))
            .otherwise(pl.lit("reported")),
        ),
        pl.col("assessed_attribution").fill_null(""),
        pl.lit(comp).alias("compartment"),
    )
    return summary.rename({"incident_id": "id"}).select(
        "id",
        "key",
        "key_report_id",
        "compartment",
        "type",
        "first_at",
        "time_precision",
        "last_at",
        "latitude",
        "longitude",
        "region",
        "report_count",
        "casualties",
        "casualties_low",
        "casualties_high",
        "claimed_attribution",
        "status",
        "assessed_attribution",
        "owner_code",
        "marking",
        "rel_to",
    )


def _decisions(session: Session, rows: pl.DataFrame) -> pl.DataFrame:
    # The latest decision on any report of each incident: decisions name a report, so
    # one follows its report into whatever incident it now sits in. Only the decisions
    # on reports of the span the rows cover are read.
    since, until = rows["occurred_at"].min(), rows["occurred_at"].max()
    found = session.execute(
        select(
            IncidentStatusChange.report_id,
            IncidentStatusChange.status,
            IncidentStatusChange.assessed_attribution,
            IncidentStatusChange.created_at,
            IncidentStatusChange.id,
        )
        .join(Report, Report.id == IncidentStatusChange.report_id)
        .where(Report.occurred_at.between(since, until))
    ).all()
    schema: dict[str, Any] = {
        "id": pl.Int64,
        "status": pl.String,
        "assessed_attribution": pl.String,
        "decided_at": pl.Datetime("us", "UTC"),
        "decision": pl.Int64,
    }
    decisions = pl.DataFrame([tuple(r) for r in found], schema=schema, orient="row")
    return (
        rows.select("id", "incident_id")
        .join(decisions, on="id")
        .sort("decided_at", "decision")
        .group_by("incident_id")
        .agg(pl.col("status").last(), pl.col("assessed_attribution").last())
    )
