"""Storing reports in batches: de-duplication, grouping, rollups and audit, atomically.

One call of :func:`store_frame` runs inside one transaction: the batch's new reports,
the incidents they form or change, the rollup counts and one audit entry for the batch
are written together or not at all, so a killed import leaves no partial batch and a
re-run finds every stored report by its natural key and skips it.

A batch travels as a polars data frame, one column per field, and reaches the database
through :mod:`coalition.core.bulk` (``executemany`` on SQLite, ``COPY`` on PostgreSQL):
per-row Python is kept to the grouping rule, which is sequential by nature.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from sqlalchemy import func, select, text, tuple_
from sqlalchemy.orm import Session, aliased

from coalition.ceasefire import grouping, regions
from coalition.ceasefire.fields import ReportFields
from coalition.ceasefire.model import (
    CellRollup,
    Incident,
    IncidentMember,
    IncidentStatusChange,
    Report,
    ReportRollup,
)
from coalition.core import audit, bulk
from coalition.core.db import is_postgres, utcnow

BATCH_ENTITY = "report_batch"
CELL = 0.1  # degrees: the finest grid the rollups keep; maps coarsen it by powers of two
# A coordinate's cell is floor(coordinate * PER_DEGREE): multiplying, not dividing by CELL,
# puts 48.4 in cell 484 (48.4 / 0.1 is 483.99999999999994), and the same product is
# computed bit for bit by polars, Python and both databases (``audit verify`` recomputes it).
PER_DEGREE = 10
LEVELS = (16, 4, 1)  # cell sizes kept, in multiples of CELL, coarsest first

# The fields of a report that make its canonical form for a batch digest: what was
# received, never anything derived later.
CANONICAL_FIELDS = (
    "source_name",
    "source_id",
    "source_kind",
    "reliability",
    "credibility",
    "occurred_at",
    "received_at",
    "latitude",
    "longitude",
    "precision_m",
    "region",
    "type",
    "weapon",
    "attribution",
    "casualties",
    "text",
    "owner_code",
    "marking",
    "rel_to",
    "illustrative",
    "source_title",
    "source_ref",
)

# A batch of read reports: the fields of ReportFields, and the line each began on.
FIELDS_SCHEMA: dict[str, Any] = {
    "line": pl.Int64,
    "source_kind": pl.String,
    "source_name": pl.String,
    "source_id": pl.String,
    "reliability": pl.String,
    "credibility": pl.Int64,
    "occurred_at": pl.Datetime("us", "UTC"),
    "received_at": pl.Datetime("us", "UTC"),
    "latitude": pl.Float64,
    "longitude": pl.Float64,
    "precision_m": pl.Int64,
    "region": pl.String,
    "type": pl.String,
    "weapon": pl.String,
    "attribution": pl.String,
    "casualties": pl.Int64,
    "text": pl.String,
}
STORED_SCHEMA: dict[str, Any] = {
    **{k: v for k, v in FIELDS_SCHEMA.items() if k != "line"},
    "owner_code": pl.String,
    "marking": pl.String,
    "rel_to": pl.String,
    "illustrative": pl.Boolean,
    "source_title": pl.String,
    "source_ref": pl.String,
    "reported_region": pl.String,
}


@dataclass(frozen=True)
class Stamp:
    """Who a batch belongs to: owner, marking and release, and whether it is invented."""

    owner: str
    marking: str
    rel_to: str
    illustrative: bool = False
    source_title: str = ""
    source_ref: str = ""

    @property
    def compartment(self) -> str:
        return grouping.compartment(self.marking, self.owner, self.rel_to)


@dataclass(frozen=True)
class Regrouping:
    """What grouping one batch did: the stored reports it read, the stored reports that
    moved to another incident, and the incidents it created, rewrote or dropped."""

    read: int = 0
    moved: int = 0
    incidents: int = 0


@dataclass
class BatchResult:
    inserted: int = 0
    unchanged: int = 0
    rejects: list[tuple[int, str]] = field(default_factory=list)
    regrouping: Regrouping = Regrouping()


def natural_key(source_name: str, source_id: str) -> str:
    return f"{source_name}|{source_id}"


def fields_frame(rows: Sequence[tuple[int, ReportFields]]) -> pl.DataFrame:
    """A batch of reports read one by one, as a frame."""
    names = [n for n in FIELDS_SCHEMA if n != "line"]
    return pl.DataFrame(
        [(line, *(getattr(f, n) for n in names)) for line, f in rows],
        schema=FIELDS_SCHEMA,
        orient="row",
    )


def stored_frame(rows: Sequence[dict[str, Any]]) -> pl.DataFrame:
    """Stored reports (dicts of their columns, ``id`` included) as a frame."""
    schema = {"id": pl.Int64, **STORED_SCHEMA}
    return pl.DataFrame([tuple(r[n] for n in schema) for r in rows], schema=schema, orient="row")


def batch_digest(frame: pl.DataFrame) -> tuple[int, str]:
    """(count, sha256) over a batch's reports in natural-key order, each in a canonical
    form (one JSON object of :data:`CANONICAL_FIELDS`; times ISO 8601 in UTC)."""
    if frame.is_empty():
        return 0, hashlib.sha256().hexdigest()
    # "region" in the canonical form is the name as received (the stored region is
    # located from the position later).
    canon = frame.with_columns(pl.col("reported_region").alias("region"))
    canon = canon.select(CANONICAL_FIELDS).with_columns(
        pl.col("occurred_at", "received_at").dt.strftime("%Y-%m-%dT%H:%M:%S%.6f+00:00"),
        pl.col("illustrative").cast(pl.Int8),
    )
    lines = (
        canon.sort("source_name", "source_id")
        .select(pl.struct(CANONICAL_FIELDS).struct.json_encode())
        .to_series()
    )
    return frame.height, hashlib.sha256(("\n".join(lines) + "\n").encode()).hexdigest()


def cell_of(latitude: float, longitude: float) -> tuple[int, int]:
    return math.floor(latitude * PER_DEGREE), math.floor(longitude * PER_DEGREE)


def store_batch(
    session: Session,
    stamp: Stamp,
    rows: Sequence[tuple[int, ReportFields]],
    batch_key: str,
    run: str,
) -> BatchResult:
    """Store reports read one by one; see :func:`store_frame`."""
    return store_frame(session, stamp, fields_frame(rows), batch_key, run)


def store_frame(
    session: Session, stamp: Stamp, frame: pl.DataFrame, batch_key: str, run: str
) -> BatchResult:
    """Store one batch of read reports (a frame of :data:`FIELDS_SCHEMA`); ``batch_key``
    is ``run:n``, unique per batch."""
    result = BatchResult()
    if frame.is_empty():
        return result
    frame = with_regions(_without_repeats(frame.sort("line"), result))
    now = utcnow()
    ids = bulk.allocate_ids(session, Report.__tablename__, frame.height)
    rows = frame.with_columns(
        pl.Series("id", ids, dtype=pl.Int64),
        pl.col("received_at").fill_null(pl.lit(now, dtype=pl.Datetime("us", "UTC"))),
        owner_code=pl.lit(stamp.owner),
        marking=pl.lit(stamp.marking),
        rel_to=pl.lit(stamp.rel_to),
        illustrative=pl.lit(stamp.illustrative),
        source_title=pl.lit(stamp.source_title),
        source_ref=pl.lit(stamp.source_ref),
        import_batch=pl.lit(batch_key),
    )
    fresh = _insert_new(session, rows, run, result)
    result.inserted = fresh.height
    if fresh.is_empty():
        return result
    result.regrouping = group_reports(session, stamp, fresh)
    add_to_rollups(session, fresh)
    count, digest = batch_digest(fresh)
    audit.record(
        session,
        [
            audit.Change(
                "create",
                BATCH_ENTITY,
                batch_key,
                None,
                {
                    "count": count,
                    "first_id": int(fresh["id"].min()),  # type: ignore[arg-type]
                    "last_id": int(fresh["id"].max()),  # type: ignore[arg-type]
                    "sha256": digest,
                },
            )
        ],
    )
    return result


def with_regions(frame: pl.DataFrame) -> pl.DataFrame:
    """Each report's region from its position (:mod:`~coalition.ceasefire.regions`);
    a position outside every shipped outline takes its reported name, canonically spelled.
    The name as received stays in ``reported_region``."""
    located = pl.Series(
        regions.locate(frame["latitude"].to_numpy(), frame["longitude"].to_numpy()),
        dtype=pl.String,
    )
    spelled = {name: regions.canonical(name) for name in frame["region"].unique().to_list()}
    return frame.with_columns(
        pl.col("region").alias("reported_region"),
        pl.when(located != "")
        .then(located)
        .otherwise(pl.col("region").replace_strict(spelled, return_dtype=pl.String))
        .alias("region"),
    )


def _without_repeats(frame: pl.DataFrame, result: BatchResult) -> pl.DataFrame:
    key = pl.struct("source_name", "source_id")
    first = key.is_first_distinct()
    if frame.select(first.all()).item():
        return frame
    marked = frame.with_columns(
        pl.col("line").first().over("source_name", "source_id").alias("_first"),
        first.alias("_keep"),
    )
    for line, earlier in marked.filter(~pl.col("_keep")).select("line", "_first").iter_rows():
        result.rejects.append((line, f"source id repeats line {earlier} of this file"))
    return marked.filter(pl.col("_keep")).drop("_first", "_keep")


_REPORT_COLUMNS = ["id", *STORED_SCHEMA, "import_batch"]


def _insert_new(
    session: Session, rows: pl.DataFrame, run: str, result: BatchResult
) -> pl.DataFrame:
    """Insert the rows whose natural key is not yet held; return those inserted."""
    table = Report.__tablename__
    if is_postgres(session):
        import psycopg

        try:
            with session.begin_nested():
                bulk.insert(session, table, rows.select(_REPORT_COLUMNS))
            return rows
        except psycopg.errors.UniqueViolation:
            held = _held(session, rows)
            fresh = rows.join(held, on=["source_name", "source_id"], how="anti")
            bulk.insert(session, table, fresh.select(_REPORT_COLUMNS))
    else:
        n = bulk.insert(
            session, table, rows.select(_REPORT_COLUMNS), conflict="source_name, source_id"
        )
        if n == rows.height:
            return rows
        lo, hi = int(rows["id"].min()), int(rows["id"].max())  # type: ignore[arg-type]
        stored = session.scalars(select(Report.id).where(Report.id.between(lo, hi))).all()
        fresh = rows.filter(pl.col("id").is_in(list(stored)))
    clashes = rows.join(fresh.select("id"), on="id", how="anti")
    _sort_clashes(session, clashes, run, result)
    return fresh


def _held(session: Session, rows: pl.DataFrame) -> pl.DataFrame:
    """The natural keys of ``rows`` already stored (PostgreSQL: one join on arrays)."""
    conn = bulk.driver(session)
    with conn.cursor() as cur:
        cur.execute(
            "SELECT r.source_name, r.source_id FROM ceasefire_reports r "
            "JOIN unnest(%s::text[], %s::text[]) AS k(n, i) "
            "ON r.source_name = k.n AND r.source_id = k.i",
            (rows["source_name"].to_list(), rows["source_id"].to_list()),
        )
        found = cur.fetchall()
    return pl.DataFrame(
        found, schema={"source_name": pl.String, "source_id": pl.String}, orient="row"
    )


def _sort_clashes(session: Session, clashes: pl.DataFrame, run: str, result: BatchResult) -> None:
    # A key already stored by an earlier batch of this same run repeats within the file
    # (rejected); one stored by another run is a re-import (unchanged).
    keys = list(clashes.select("source_name", "source_id").iter_rows())
    line_of = {
        (name, sid): line
        for name, sid, line in clashes.select("source_name", "source_id", "line").iter_rows()
    }
    held: dict[tuple[str, str], str] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        for r in session.execute(
            select(Report.source_name, Report.source_id, Report.import_batch).where(
                tuple_(Report.source_name, Report.source_id).in_(chunk)
            )
        ):
            held[(r.source_name, r.source_id)] = r.import_batch or ""
    for key in keys:
        if held.get(key, "").startswith(f"{run}:"):
            result.rejects.append((line_of[key], "source id repeats an earlier line of this file"))
        else:
            result.unchanged += 1
    result.rejects.sort()


# --- grouping ------------------------------------------------------------------------

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
)


def group_reports(session: Session, stamp: Stamp, fresh: pl.DataFrame) -> Regrouping:
    """Put newly stored reports into incidents, regrouping only what their arrival changes
    (see :func:`grouping.settle`: the stored reports read are those of the neighbourhood
    the change reaches), and rewrite the incidents that changed."""
    comp = stamp.compartment
    _take_turns(session, comp)
    arriving = fresh.select(_SUMMARY_FIELDS)
    reads: list[pl.DataFrame] = []

    def load(extent: grouping.Extent) -> dict[grouping.Sighting, grouping.Sighting]:
        held = _stored_within(session, comp, extent)
        reads.append(held)
        return dict(zip(_sightings(held, comp), _sightings(held, comp, "seed_"), strict=True))

    result, _ = grouping.settle(_sightings(arriving, comp), load)
    stored = reads[-1]
    reports = pl.concat([stored.select(_SUMMARY_FIELDS), arriving])
    sighting_id = dict(zip(_sightings(reports, comp), reports["id"].to_list(), strict=True))
    seed_id = {sighting_id[s]: sighting_id[seed] for s, seed in result.seeds.items()}
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


_SIGHTING_FIELDS = ("occurred_at", "source_name", "source_id", "latitude", "longitude", "type")


def _sightings(frame: pl.DataFrame, comp: str, prefix: str = "") -> list[grouping.Sighting]:
    """The sighting of each row of ``frame`` (of its seed, with ``prefix="seed_"``)."""
    return [
        grouping.Sighting(at, natural_key(name, sid), lat, lon, kind, comp)
        for at, name, sid, lat, lon, kind in frame.select(
            [prefix + n for n in _SIGHTING_FIELDS]
        ).iter_rows()
    ]


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
            Report.occurred_at.between(extent.since, extent.until),
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
    key, time, owner and type are its first report's (a first report of type ``other``
    takes the type of the first that is more specific), the place is the mean, the
    casualties the highest count (reports of one event overlap, so never the sum), the
    region and claimed attribution the first given; the status is the latest decision
    taken on any of its reports, else corroborated once two reports agree.
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
        pl.col("occurred_at").max().alias("last_at"),
        pl.col("latitude").mean(),
        pl.col("longitude").mean(),
        pl.coalesce(pl.col("region").filter(pl.col("region") != "").first(), pl.lit("")).alias(
            "region"
        ),
        pl.len().cast(pl.Int64).alias("report_count"),
        pl.col("casualties").max(),
        pl.coalesce(
            pl.col("attribution").filter(pl.col("attribution") != "").first(), pl.lit("")
        ).alias("claimed_attribution"),
        pl.col("owner_code").first(),
        pl.col("marking").first(),
        pl.col("rel_to").first(),
        pl.col("type").first().alias("_first_type"),
    )
    summary = summary.with_columns(
        pl.when(pl.col("_first_type") != "other")
        .then(pl.col("_first_type"))
        .otherwise(pl.col("type"))
        .alias("type")
    ).drop("_first_type")
    decided = _decisions(session, rows)
    summary = summary.join(decided, on="incident_id", how="left").with_columns(
        pl.coalesce(
            "status",
            pl.when(pl.col("report_count") >= 2)
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
        "last_at",
        "latitude",
        "longitude",
        "region",
        "report_count",
        "casualties",
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


# --- rollups -------------------------------------------------------------------------

_MARKS = ("owner_code", "marking", "rel_to")
_DAILY_KEY = ("day", "type", "attribution", "region", *_MARKS)
_CELL_KEY = ("level", "day", "cell_y", "cell_x", "type", *_MARKS)


def add_to_rollups(session: Session, fresh: pl.DataFrame) -> None:
    """Add new reports to the rollup counts (upsert: insert or add to the row)."""
    dated = fresh.with_columns(day=pl.col("occurred_at").dt.date())
    daily = (
        dated.group_by(_DAILY_KEY)
        .agg(pl.len().cast(pl.Int64).alias("reports"), pl.col("casualties").sum())
        .sort(_DAILY_KEY)
    )
    cy = (pl.col("latitude") * PER_DEGREE).floor().cast(pl.Int64)
    cx = (pl.col("longitude") * PER_DEGREE).floor().cast(pl.Int64)
    cells = (
        pl.concat(
            [
                dated.select(
                    pl.lit(level, dtype=pl.Int64).alias("level"),
                    "day",
                    (cy // level).alias("cell_y"),
                    (cx // level).alias("cell_x"),
                    "type",
                    *_MARKS,
                )
                for level in LEVELS
            ]
        )
        .group_by(_CELL_KEY)
        .agg(pl.len().cast(pl.Int64).alias("reports"))
        .sort(_CELL_KEY)
    )
    bulk.add(
        session, ReportRollup.__tablename__, daily, list(_DAILY_KEY), ["reports", "casualties"]
    )
    bulk.add(session, CellRollup.__tablename__, cells, list(_CELL_KEY), ["reports"])


def verify_batches(session: Session, entries: list[Any]) -> tuple[set[str], list[audit.Problem]]:
    """Re-check every batch entry's digest against the reports stored under it."""
    covered: set[str] = set()
    problems: list[audit.Problem] = []
    for entry in entries:
        after = entry.after or {}
        first, last = after.get("first_id", 0), after.get("last_id", -1)
        frame = _stored_batch(session, first, last, entry.entity_id)
        count, digest = batch_digest(frame)
        if (count, digest) != (after.get("count"), after.get("sha256")):
            problems.append(
                audit.Problem(
                    f"report_batch {entry.entity_id}",
                    "the batch's reports differ from its audit entry",
                )
            )
        covered.update(str(i) for i in frame["id"].to_list())
    return covered, problems + membership_problems(session)


def _stored_batch(session: Session, first: int, last: int, batch: str) -> pl.DataFrame:
    """The reports stored under ``batch`` (ids ``first`` to ``last``), as a frame of
    :data:`STORED_SCHEMA` with their ids, read through the driver and built column by
    column: for a million rows, row-wise conversion costs several times the read."""
    schema: dict[str, Any] = {"id": pl.Int64, **STORED_SCHEMA}
    postgres = is_postgres(session)
    mark = "%s" if postgres else "?"
    sql = (
        f"SELECT {', '.join(schema)} FROM {Report.__tablename__} "  # noqa: S608 - names are ours
        f"WHERE id BETWEEN {mark} AND {mark} AND import_batch = {mark}"
    )
    cursor = bulk.driver(session).cursor()
    try:
        cursor.execute(sql, (first, last, batch))
        rows = cursor.fetchall()
    finally:
        cursor.close()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    series = []
    for (name, dtype), values in zip(schema.items(), columns, strict=True):
        if postgres:
            series.append(pl.Series(name, values, dtype=dtype))
        elif isinstance(dtype, pl.Datetime):  # SQLite holds naive UTC text (bulk.SQLITE_TIME)
            text_times = pl.Series(name, values, dtype=pl.String)
            # A value that is not a time (written behind the application's back) reads as
            # null, so the digest differs and the batch is named rather than verify failing.
            series.append(
                text_times.str.to_datetime(
                    "%Y-%m-%d %H:%M:%S%.f", time_unit="us", time_zone="UTC", strict=False
                )
            )
        elif dtype == pl.Boolean:  # SQLite holds 0 and 1
            series.append(pl.Series(name, values, dtype=pl.Int8).cast(pl.Boolean))
        else:
            series.append(pl.Series(name, values, dtype=dtype))
    return pl.DataFrame(series)


def membership_problems(session: Session) -> list[audit.Problem]:
    """Reports in no incident, or members whose report or incident is missing: the
    integrity foreign keys would give, checked set-wise (see ``IncidentMember``)."""
    orphans = {
        "a report in no incident": select(func.count())
        .select_from(Report)
        .outerjoin(IncidentMember, IncidentMember.report_id == Report.id)
        .where(IncidentMember.report_id.is_(None)),
        "a membership whose report is missing": select(func.count())
        .select_from(IncidentMember)
        .outerjoin(Report, Report.id == IncidentMember.report_id)
        .where(Report.id.is_(None)),
        "a membership whose incident is missing": select(func.count())
        .select_from(IncidentMember)
        .outerjoin(Incident, Incident.id == IncidentMember.incident_id)
        .where(Incident.id.is_(None)),
    }
    return [
        audit.Problem("ceasefire_incident_members", f"{what} ({n})")
        for what, query in orphans.items()
        if (n := session.scalar(query) or 0)
    ]


def count_reports(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Report)) or 0
