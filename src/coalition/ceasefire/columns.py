"""Reading a batch of report records column by column. Pure; no database, no web.

:func:`fields.read_report` is the rule: it reads one record strictly and says why it
refuses one. Calling it a million times costs seconds, so a batch is first checked whole,
one column at a time: a record whose every field is in its plain form (an ISO 8601 time,
a decimal number, a known word) is read here at once, and every other record is handed
to :func:`fields.read_report`, which reads it or refuses it with its reason. The fast
path accepts only what the rule would read, and reads it to the same values; a property
test holds the two to that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from coalition.ceasefire.batches import FIELDS_SCHEMA, fields_frame
from coalition.ceasefire.fields import (
    CLOCK_SKEW,
    EARLIEST,
    DateOrder,
    FieldError,
    read_report,
)
from coalition.ceasefire.vocabulary import IncidentType, SourceKind

NAMES = [n for n in FIELDS_SCHEMA if n != "line"]
UTC_US = pl.Datetime("us", "UTC")

_TIME = r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(?:Z|\+00:00)?$"
_DECIMAL = r"^-?\d{1,3}(?:\.\d{1,15})?$"
_COUNT = r"^\d{1,7}$"
_TEXT_LIMITS = {"region": 80, "weapon": 120, "attribution": 80, "text": 20_000}
# What Python's str.strip() removes, so a cell is trimmed here exactly as the rule trims it.
SPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())


def _strip(name: str) -> pl.Expr:
    return pl.col(name).str.strip_chars(SPACE)


def _word(name: str, allowed: set[str]) -> pl.Expr:
    s = _strip(name).str.to_lowercase().str.replace_all(r"[ \-]", "_")
    return pl.when(s.is_in(sorted(allowed))).then(s)


def _one_of(name: str, letters: str, *, upper: bool = False) -> pl.Expr:
    s = _strip(name).str.to_uppercase() if upper else _strip(name)
    return pl.when(s.is_in(list(letters))).then(s)


def _time(name: str) -> pl.Expr:
    s = _strip(name)
    iso = s.str.replace(_TIME, "${1}T${2}")
    return (
        pl.when(s.str.contains(_TIME))
        .then(iso)
        .str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", strict=False, time_unit="us", time_zone="UTC")
    )


def _decimal(name: str, low: float, high: float) -> pl.Expr:
    s = _strip(name)
    value = pl.when(s.str.contains(_DECIMAL)).then(s).cast(pl.Float64, strict=False)
    return pl.when(value.is_between(low, high)).then(value)


def _count(name: str, high: int, default: int) -> pl.Expr:
    s = _strip(name)
    value = (
        pl.when(s == "")
        .then(pl.lit(default, dtype=pl.Int64))
        .when(s.str.contains(_COUNT))
        .then(s.cast(pl.Int64, strict=False))
    )
    return pl.when(value.is_between(0, high)).then(value)


def _text(name: str, limit: int, *, required: bool = False) -> pl.Expr:
    s = _strip(name)
    ok = (s.str.len_chars() <= limit) & ~s.str.contains("\x00", literal=True)
    if required:
        ok = ok & (s != "")
    return pl.when(ok).then(s)


def read_batch(
    records: Sequence[tuple[int, dict[str, str]]],
    now: dt.datetime,
    order: DateOrder | None = None,
) -> tuple[pl.DataFrame, list[tuple[int, str]]]:
    """Read a batch of records in the canonical layout: (reports read, rejects); numeric
    dates that could be either way are read in ``order`` when it is known."""
    if not records:
        return pl.DataFrame(schema=FIELDS_SCHEMA), []
    raw = pl.DataFrame(
        {
            "line": [line for line, _ in records],
            **{n: [r.get(n) or "" for _, r in records] for n in NAMES},
        },
        schema={"line": pl.Int64, **dict.fromkeys(NAMES, pl.String)},
    )
    return read_frame(raw, now, order)


def read_frame(
    raw: pl.DataFrame, now: dt.datetime, order: DateOrder | None = None
) -> tuple[pl.DataFrame, list[tuple[int, str]]]:
    """:func:`read_batch` for records already in columns: ``line`` and each of
    :data:`NAMES` as text (``""`` where the record has none)."""
    if raw.is_empty():
        return pl.DataFrame(schema=FIELDS_SCHEMA), []
    latest = now + CLOCK_SKEW
    read = raw.select(
        "line",
        _word("source_kind", {k.value for k in SourceKind}).alias("source_kind"),
        _text("source_name", 120, required=True).alias("source_name"),
        _text("source_id", 120, required=True).alias("source_id"),
        _one_of("reliability", "ABCDEF", upper=True).alias("reliability"),
        _one_of("credibility", "123456").cast(pl.Int64).alias("credibility"),
        _time("occurred_at").alias("occurred_at"),
        _time("received_at").alias("received_at"),
        (_strip("received_at") == "").alias("_no_received"),
        _decimal("latitude", -90, 90).alias("latitude"),
        _decimal("longitude", -180, 180).alias("longitude"),
        _count("precision_m", 1_000_000, 1000).alias("precision_m"),
        *(_text(n, limit).alias(n) for n, limit in _TEXT_LIMITS.items()),
        _word("type", {t.value for t in IncidentType}).alias("type"),
        _count("casualties", 100_000, 0).alias("casualties"),
        # A time with seconds is given to the minute: only a precision left empty or
        # stated as that is plain (a coarser one moves the time to its window's start).
        pl.when(_strip("time_precision").str.to_lowercase().is_in(["", "minute"]))
        .then(pl.lit("minute"))
        .alias("time_precision"),
    )
    occurred = pl.col("occurred_at")
    received = pl.col("received_at")
    plain = (
        pl.all_horizontal(pl.col(n).is_not_null() for n in NAMES if n != "received_at")
        & occurred.is_between(pl.lit(EARLIEST, dtype=UTC_US), pl.lit(latest, dtype=UTC_US))
        & (
            pl.col("_no_received")
            | (received.is_not_null() & (received >= occurred) & (received <= latest))
        )
    )
    read = read.with_columns(plain.alias("_plain"))
    fast = read.filter(pl.col("_plain")).select(list(FIELDS_SCHEMA))
    others = raw.join(read.filter(~pl.col("_plain")).select("line"), on="line", how="semi")
    slow: list[tuple[int, object]] = []
    rejects: list[tuple[int, str]] = []
    for record in others.iter_rows(named=True):
        line = record.pop("line")
        try:
            slow.append((line, read_report(record, now, order)))
        except FieldError as exc:
            rejects.append((line, str(exc)))
    if slow:
        fast = pl.concat([fast, fields_frame(slow)]).sort("line")  # type: ignore[arg-type]
    return fast, rejects
