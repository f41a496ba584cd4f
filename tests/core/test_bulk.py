"""Bulk writes through the driver: keys drawn for a batch, counts added to held rows."""

from __future__ import annotations

import datetime as dt
import itertools

import polars as pl
import pytest
from sqlalchemy import Engine, text

from coalition.core import bulk
from coalition.core.db import transaction
from tests.world import World

TABLE = "ceasefire_incidents"


def test_allocated_keys_are_unique_and_new(engine: Engine) -> None:
    """Keys drawn twice in one transaction differ on PostgreSQL (the sequence moves on).
    On SQLite they are the ones above the largest held, so a caller inserts the rows of
    one draw before drawing again (as the importer does)."""
    with transaction(engine) as session:
        first = bulk.allocate_ids(session, TABLE, 500)
        second = bulk.allocate_ids(session, TABLE, 3) if engine.dialect.name == "postgresql" else []
    assert len(first) == 500 == len(set(first))
    assert not set(first) & set(second)
    with transaction(engine) as session:
        assert bulk.allocate_ids(session, TABLE, 0) == []


def test_keys_drawn_out_of_sequence_come_back_one_by_one(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite draws keys above the largest held, under the write lock")
    with transaction(engine) as session:
        session.execute(
            text(f"ALTER SEQUENCE {TABLE}_id_seq INCREMENT BY 3")  # as if others drew between
        )
        ids = bulk.allocate_ids(session, TABLE, 5)
        session.execute(text(f"ALTER SEQUENCE {TABLE}_id_seq INCREMENT BY 1"))
    assert ids == sorted(ids) and len(set(ids)) == 5
    assert all(b - a == 3 for a, b in itertools.pairwise(ids))


def _counts(day: str, n: int, casualties: int = 0) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "day": [dt.date.fromisoformat(day)],
            "type": ["shelling"],
            "attribution": [""],
            "region": ["Donetsk"],
            "owner_code": ["GBR"],
            "marking": ["COALITION"],
            "rel_to": [""],
            "reports": [n],
            "casualties": [casualties],
        }
    )


KEY = ["day", "type", "attribution", "region", "owner_code", "marking", "rel_to"]


def _held(engine: Engine) -> dict[str, tuple[int, int]]:
    with transaction(engine) as session:
        rows = session.execute(
            text(f"SELECT day, reports, casualties FROM {ROLLUP} ORDER BY day")  # noqa: S608
        ).all()
    return {str(day)[:10]: (n, c) for day, n, c in rows}


ROLLUP = "ceasefire_report_rollup"


def test_added_counts_sum_across_calls_keys_and_savepoints(engine: Engine, world: World) -> None:
    with transaction(engine) as session:
        bulk.add(session, ROLLUP, _counts("2025-03-26", 2, 1), KEY, ["reports", "casualties"])
        # The same key twice in one frame, and a second call in the same transaction.
        twice = pl.concat([_counts("2025-03-26", 3), _counts("2025-03-27", 1)])
        bulk.add(
            session,
            ROLLUP,
            pl.concat([twice, _counts("2025-03-27", 4)]),
            KEY,
            ["reports", "casualties"],
        )
        try:
            with session.begin_nested():
                bulk.add(session, ROLLUP, _counts("2025-03-28", 9), KEY, ["reports", "casualties"])
                raise RuntimeError("roll the savepoint back")
        except RuntimeError:
            pass
        bulk.add(session, ROLLUP, _counts("2025-03-28", 5), KEY, ["reports", "casualties"])
    with transaction(engine) as session:  # a later transaction adds to the held rows
        bulk.add(session, ROLLUP, _counts("2025-03-26", 10), KEY, ["reports", "casualties"])
    assert _held(engine) == {
        "2025-03-26": (15, 1),
        "2025-03-27": (5, 0),
        "2025-03-28": (5, 0),
    }
