"""Re-checking stored report batches against their audit entries (``audit verify``)."""

from __future__ import annotations

from typing import Any

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coalition.ceasefire.batches import STORED_SCHEMA, batch_digest
from coalition.ceasefire.model import Incident, IncidentMember, Report
from coalition.core import audit, bulk
from coalition.core.db import is_postgres


def verify_batches(session: Session, entries: list[Any]) -> tuple[set[str], list[audit.Problem]]:
    """Re-check every batch entry's digest against the reports stored under it."""
    covered: set[str] = set()
    problems: list[audit.Problem] = []
    for entry in entries:
        after = entry.after or {}
        first, last = after.get("first_id", 0), after.get("last_id", -1)
        frame = _stored_batch(session, first, last, entry.entity_id)
        count, digest = batch_digest(frame, after.get("form", 1))
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
