"""Monthly partitions of the reports on PostgreSQL: which exist, and making the next ones.

On PostgreSQL ``ceasefire_reports`` is partitioned by range of ``occurred_at``, one
partition a month (``ceasefire_reports_2025_03``) and a default partition for any report
outside them (migration ``0016_report_partitions``). A query on a range of days reads only
the months it touches, and a month can be archived whole (``DETACH PARTITION``).

:func:`ensure` creates the partitions still missing: one for every month the default
partition holds reports of (they move into it in the same transaction) and one for each
month from the current one to ``ahead`` months on. It is idempotent: run it monthly
(``coalition ceasefire partitions``), or after importing a history. SQLite has no
partitions; there the functions do nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, text

PARENT = "ceasefire_reports"
DEFAULT = f"{PARENT}_default"
AHEAD = 3  # months created ahead of the current one


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(first: dt.date) -> dt.date:
    return dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)


def partition_name(first: dt.date) -> str:
    return f"{PARENT}_{first.year:04d}_{first.month:02d}"


def months_ahead(today: dt.date, ahead: int) -> list[dt.date]:
    """The first days of the current month and the ``ahead`` months after it."""
    first = month_start(today)
    months = [first]
    for _ in range(ahead):
        months.append(next_month(months[-1]))
    return months


def _bound(first: dt.date) -> str:
    return f"{first.isoformat()} 00:00:00+00"


@dataclass(frozen=True)
class Partition:
    name: str
    start: dt.date | None  # None: the default partition
    end: dt.date | None
    reports: int


def is_partitioned(conn: Connection) -> bool:
    if conn.dialect.name != "postgresql":
        return False
    return bool(
        conn.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table p "
                "JOIN pg_class c ON c.oid = p.partrelid "
                "WHERE c.relname = :parent AND c.relnamespace = current_schema()::regnamespace)"
            ),
            {"parent": PARENT},
        ).scalar()
    )


def existing(conn: Connection) -> list[Partition]:
    """The reports' partitions, months in order and the default last, with their sizes."""
    if not is_partitioned(conn):
        return []
    rows = conn.execute(
        text(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = CAST(:parent AS regclass)"
        ),
        {"parent": PARENT},
    ).all()
    found: list[Partition] = []
    for name, bound in rows:
        reports = conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()  # noqa: S608 - a catalog name
        if bound == "DEFAULT":
            found.append(Partition(name, None, None, reports))
            continue
        # FOR VALUES FROM ('2025-03-01 00:00:00+00') TO ('2025-04-01 00:00:00+00')
        start, end = (part.split("'")[1][:10] for part in bound.split(" TO "))
        found.append(
            Partition(name, dt.date.fromisoformat(start), dt.date.fromisoformat(end), reports)
        )
    return sorted(found, key=lambda p: (p.start is None, p.start or dt.date.min))


def _stranded_months(conn: Connection) -> list[dt.date]:
    """The months the default partition holds reports of."""
    return [
        row[0]
        for row in conn.execute(
            text(
                f"SELECT DISTINCT CAST(date_trunc('month', occurred_at AT TIME ZONE 'UTC') "  # noqa: S608
                f'AS date) FROM "{DEFAULT}" ORDER BY 1'
            )
        )
    ]


def ensure(conn: Connection, today: dt.date, ahead: int = AHEAD) -> list[str]:
    """Create the missing month partitions (see the module); return their names.

    Run inside the caller's transaction: the reports of a month leave the default
    partition for their own in the same transaction as it is created.
    """
    if not is_partitioned(conn):
        return []
    have = {p.start for p in existing(conn) if p.start is not None}
    wanted = sorted(set(_stranded_months(conn)) | set(months_ahead(today, ahead)))
    created: list[str] = []
    for first in wanted:
        if first in have:
            continue
        name = partition_name(first)
        low, high = _bound(first), _bound(next_month(first))
        # Filled before it is attached: attaching checks the default holds none of its
        # rows, so they move first. The parent's indexes are built on attaching.
        conn.execute(text(f'CREATE TABLE "{name}" (LIKE "{PARENT}" INCLUDING DEFAULTS)'))
        where = f"occurred_at >= '{low}' AND occurred_at < '{high}'"
        conn.execute(text(f'INSERT INTO "{name}" SELECT * FROM "{DEFAULT}" WHERE {where}'))  # noqa: S608 - our bounds
        conn.execute(text(f'DELETE FROM "{DEFAULT}" WHERE {where}'))  # noqa: S608 - our bounds
        conn.execute(
            text(
                f'ALTER TABLE "{PARENT}" ATTACH PARTITION "{name}" '
                f"FOR VALUES FROM ('{low}') TO ('{high}')"
            )
        )
        created.append(name)
    return created
