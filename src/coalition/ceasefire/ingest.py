"""Storing reports in batches: de-duplication, grouping, rollups and audit, atomically.

One call of :func:`store_frame` runs inside one transaction: the batch's new reports,
the incidents they form or change, the rollup counts and one audit entry for the batch
are written together or not at all, so a killed import leaves no partial batch and a
re-run finds every stored report by its natural key and skips it.

A batch travels as a polars data frame, one column per field, and reaches the database
through :mod:`coalition.core.bulk` (``executemany`` on SQLite, ``COPY`` on PostgreSQL):
per-row Python is kept to the grouping rule, which is sequential by nature.

This module is the driver: it de-duplicates, inserts and records the batch. The batch's
shapes and digest are in :mod:`~coalition.ceasefire.batches`, the grid in
:mod:`~coalition.ceasefire.grid`, the incident writes in :mod:`~coalition.ceasefire.regroup`,
the rollup writes in :mod:`~coalition.ceasefire.rollups`, and the check ``audit verify``
runs on each batch in :mod:`~coalition.ceasefire.batchcheck`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl
from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from coalition.ceasefire import regions
from coalition.ceasefire.batches import CANONICAL_FORM, STORED_SCHEMA, batch_digest, fields_frame

# The batch shapes, under the names the import has always offered them by.
from coalition.ceasefire.batches import FIELDS_SCHEMA as FIELDS_SCHEMA
from coalition.ceasefire.batches import Stamp as Stamp
from coalition.ceasefire.batches import natural_key as natural_key
from coalition.ceasefire.fields import ReportFields
from coalition.ceasefire.model import Report
from coalition.ceasefire.regroup import Regrouping, group_reports
from coalition.ceasefire.rollups import add_to_rollups
from coalition.core import audit, bulk
from coalition.core.db import is_postgres, utcnow

BATCH_ENTITY = "report_batch"


@dataclass
class BatchResult:
    inserted: int = 0
    unchanged: int = 0
    rejects: list[tuple[int, str]] = field(default_factory=list)
    regrouping: Regrouping = field(default_factory=Regrouping)


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
                    "form": CANONICAL_FORM,
                },
            )
        ],
    )
    return result


def with_regions(frame: pl.DataFrame) -> pl.DataFrame:
    """Each report's region by :func:`coalition.ceasefire.regions.assign`: where its
    position lies, the source's own region within the position's precision of a boundary,
    none for a position known only to the country. The name as received stays in
    ``reported_region``."""
    assigned = regions.assign(
        frame["latitude"].to_numpy(),
        frame["longitude"].to_numpy(),
        frame["region"].to_numpy(),
        frame["precision_m"].to_numpy(),
    )
    return frame.with_columns(
        pl.col("region").alias("reported_region"),
        pl.Series("region", assigned.tolist(), dtype=pl.String),
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


def count_reports(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Report)) or 0
