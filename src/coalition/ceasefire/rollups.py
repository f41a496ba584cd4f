"""Adding new reports to the rollup counts: by day, and by grid cell at each level."""

from __future__ import annotations

import polars as pl
from sqlalchemy.orm import Session

from coalition.ceasefire.grid import LEVELS, PER_DEGREE
from coalition.ceasefire.model import CellRollup, ReportRollup
from coalition.core import bulk

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
