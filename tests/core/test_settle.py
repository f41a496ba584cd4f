"""settle(): after a bulk write, PostgreSQL's visibility map and statistics are brought up
to date at once; on SQLite there is nothing to do."""

from __future__ import annotations

from sqlalchemy import Engine, text

from coalition.core.db import settle
from tests.world import World


def test_settled_tables_are_marked_visible_to_all(engine: Engine, world: World) -> None:
    settle(engine, ["members", "users"])
    if engine.dialect.name != "postgresql":
        return  # no visibility map: nothing was to be done, and nothing failed
    with engine.connect() as conn:
        visible, tuples = conn.execute(
            text("SELECT relallvisible, reltuples FROM pg_class WHERE relname = 'members'")
        ).one()
    assert visible >= 1  # the heap pages written are all-visible: index-only scans skip them
    assert tuples >= 1  # and the planner has counted the rows
