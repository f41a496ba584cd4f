"""Keys drawn for a bulk write: unique, new, and right when the sequence skips."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import Engine, text

from coalition.core import bulk
from coalition.core.db import transaction

TABLE = "ceasefire_incidents"


def test_allocated_keys_are_unique_and_new(engine: Engine) -> None:
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
