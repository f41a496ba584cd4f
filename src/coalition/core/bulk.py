"""Writing many rows at once, inside the session's transaction, at the driver's speed.

The ORM and even Core's multi-row inserts spend microseconds of Python per row; a bulk
import of a million rows cannot. These helpers hand whole columnar batches (polars data
frames whose columns are named after the table's) to the driver: ``executemany`` on
SQLite, ``COPY`` on PostgreSQL. They run on the session's own connection, so the rows
commit or roll back with everything else the transaction did, audit entry included.
"""

from __future__ import annotations

import io
from contextlib import closing
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from coalition.core.db import is_postgres

# How SQLite stores an aware datetime through UTCDateTime: naive UTC text.
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%6f"


def driver(session: Session) -> Any:
    """The session's DBAPI connection (sqlite3 or psycopg), in its open transaction."""
    return session.connection().connection.driver_connection


def allocate_ids(session: Session, table: str, n: int) -> list[int]:
    """Reserve ``n`` primary keys for ``table``.

    On PostgreSQL they come from the table's sequence, so concurrent writers never
    collide. On SQLite the transaction holds the database's write lock from its first
    statement (``BEGIN IMMEDIATE``), so the keys after the current largest are ours.
    """
    if n <= 0:
        return []
    conn = driver(session)
    if is_postgres(session):
        with conn.cursor() as cur:
            # The keys are drawn in the database; with no concurrent writer they form
            # one run, and only its ends travel back.
            cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", (table,))
            sequence = cur.fetchone()[0]  # looked up once: per row it costs 5x the draw
            cur.execute(
                "WITH drawn AS MATERIALIZED (SELECT nextval(%s::regclass)"
                " AS id FROM generate_series(1, %s)),"
                " span AS (SELECT min(id) AS low, max(id) AS high, count(*) AS n FROM drawn)"
                " SELECT low, high, CASE WHEN high - low + 1 = n THEN NULL"
                " ELSE (SELECT array_agg(id ORDER BY id) FROM drawn) END FROM span",
                (sequence, n),
            )
            low, high, scattered = cur.fetchone()
            return list(scattered) if scattered is not None else list(range(low, high + 1))
    top = conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]  # noqa: S608 - table names are ours
    return list(range(top + 1, top + 1 + n))


def _for_sqlite(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.col(name).dt.convert_time_zone("UTC").dt.strftime(SQLITE_TIME)
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.Datetime)
    ).with_columns(
        *(pl.col(n).cast(pl.Int8) for n, dtype in frame.schema.items() if dtype == pl.Boolean),
        *(
            pl.col(n).dt.strftime("%Y-%m-%d")
            for n, dtype in frame.schema.items()
            if dtype == pl.Date
        ),
    )


def _csv(frame: pl.DataFrame) -> memoryview:
    """The rows as CSV for ``COPY``, written as bytes and handed over without a copy."""
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False, null_value="")
    return buffer.getbuffer()


def insert(session: Session, table: str, frame: pl.DataFrame, *, conflict: str = "") -> int:
    """Insert every row of ``frame`` into ``table``; returns how many went in.

    ``conflict`` names a unique constraint's columns (``"a, b"``) whose clashes are
    skipped on SQLite; on PostgreSQL a clash raises ``UniqueViolation`` (``COPY`` cannot
    skip rows), so a caller expecting clashes removes them first or catches it inside a
    savepoint.
    """
    if frame.is_empty():
        return 0
    columns = ", ".join(frame.columns)
    conn = driver(session)
    if is_postgres(session):
        with (
            conn.cursor() as cur,
            cur.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy,
        ):
            copy.write(_csv(frame))
        return frame.height
    marks = ", ".join("?" * frame.width)
    tail = f" ON CONFLICT ({conflict}) DO NOTHING" if conflict else ""
    cur = conn.executemany(
        f"INSERT INTO {table} ({columns}) VALUES ({marks}){tail}",  # noqa: S608 - names are ours
        _for_sqlite(frame).iter_rows(),
    )
    return int(cur.rowcount)


def update(session: Session, table: str, frame: pl.DataFrame, key: str = "id") -> None:
    """Set the other columns of ``frame`` on the rows of ``table`` whose ``key`` matches."""
    if frame.is_empty():
        return
    names = [c for c in frame.columns if c != key]
    conn = driver(session)
    ordered = frame.select(*names, key)
    if is_postgres(session):
        sets = ", ".join(f"{n} = %s" for n in names)
        with conn.cursor() as cur:
            cur.executemany(f"UPDATE {table} SET {sets} WHERE {key} = %s", ordered.iter_rows())  # noqa: S608
        return
    sets = ", ".join(f"{n} = ?" for n in names)
    conn.executemany(
        f"UPDATE {table} SET {sets} WHERE {key} = ?",  # noqa: S608 - names are ours
        _for_sqlite(ordered).iter_rows(),
    )


def delete(session: Session, table: str, ids: list[int], key: str = "id") -> None:
    if not ids:
        return
    mark = "%s" if is_postgres(session) else "?"
    sql = f"DELETE FROM {table} WHERE {key} = {mark}"  # noqa: S608 - names are ours
    with closing(driver(session).cursor()) as cur:
        cur.executemany(sql, [(i,) for i in ids])


def add(session: Session, table: str, frame: pl.DataFrame, key: list[str], sums: list[str]) -> None:
    """Upsert counts: insert each row, or add its ``sums`` to the row with the same ``key``
    (which a unique constraint must cover)."""
    if frame.is_empty():
        return
    ordered = frame.select(*key, *sums)
    columns = ", ".join(ordered.columns)
    adds = ", ".join(f"{n} = {table}.{n} + excluded.{n}" for n in sums)
    postgres = is_postgres(session)
    marks = ", ".join(("%s" if postgres else "?") for _ in ordered.columns)
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES ({marks}) "  # noqa: S608 - names are ours
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {adds}"
    )
    conn = driver(session)
    if postgres:
        # COPY the counts into a scratch table shaped like the target's columns, then
        # fold them in with one statement instead of one upsert per row.
        scratch = f"coalition_add_{table}"
        with conn.cursor() as cur:
            cur.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {scratch} ON COMMIT DROP AS "  # noqa: S608
                f"SELECT {columns} FROM {table} WITH NO DATA"
            )
            with cur.copy(f"COPY {scratch} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(_csv(ordered))
            keys = ", ".join(key)
            totals = ", ".join(f"sum({n})" for n in sums)
            cur.execute(
                f"INSERT INTO {table} ({columns}) SELECT {keys}, {totals} "  # noqa: S608
                f"FROM {scratch} GROUP BY {keys} ORDER BY {keys} "  # rows locked in one order
                f"ON CONFLICT ({keys}) DO UPDATE SET {adds}"
            )
            cur.execute(f"TRUNCATE {scratch}")
        return
    conn.executemany(sql, _for_sqlite(ordered).iter_rows())
