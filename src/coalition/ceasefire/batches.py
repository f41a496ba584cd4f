"""A batch of reports as data: its frame schemas, its stamp, its digest. Pure.

No database, no web: the import driver (:mod:`~coalition.ceasefire.ingest`), the
grouping and rollup writers and the batch check all read batches in these shapes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from coalition.ceasefire import grouping
from coalition.ceasefire.fields import ReportFields

# The fields of a report that make its canonical form for a batch digest: what was
# received, never anything derived later. Form 1 was written before reports had a time
# precision; a batch's audit entry names its form (none: form 1).
CANONICAL_FIELDS_1 = (
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
CANONICAL_FIELDS = (*CANONICAL_FIELDS_1, "time_precision")
CANONICAL_FORM = 2

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
    "time_precision": pl.String,
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


def batch_digest(frame: pl.DataFrame, form: int = CANONICAL_FORM) -> tuple[int, str]:
    """(count, sha256) over a batch's reports in natural-key order, each in a canonical
    form (one JSON object of :data:`CANONICAL_FIELDS`, or for ``form`` 1 of
    :data:`CANONICAL_FIELDS_1`; times ISO 8601 in UTC)."""
    fields = CANONICAL_FIELDS if form >= 2 else CANONICAL_FIELDS_1
    if frame.is_empty():
        return 0, hashlib.sha256().hexdigest()
    # "region" in the canonical form is the name as received (the stored region is
    # located from the position later).
    canon = frame.with_columns(pl.col("reported_region").alias("region"))
    canon = canon.select(fields).with_columns(
        pl.col("occurred_at", "received_at").dt.strftime("%Y-%m-%dT%H:%M:%S%.6f+00:00"),
        pl.col("illustrative").cast(pl.Int8),
    )
    text = (
        canon.sort("source_name", "source_id")
        .select(pl.struct(fields).struct.json_encode().str.join("\n"))
        .item()
    )
    return frame.height, hashlib.sha256((text + "\n").encode()).hexdigest()
