"""Importing a report file: read, check, store in atomic batches, report what happened."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

import polars as pl
from sqlalchemy import Engine, text

from coalition.ceasefire import columns, csvpieces, ingest, layouts
from coalition.ceasefire.fields import DateOrder
from coalition.core.db import transaction
from coalition.core.errors import Forbidden
from coalition.core.principal import Principal, Role
from coalition.members.service import require_member

BATCH_SIZE = 8_000  # 10,000 peaked at 298 MB on PostgreSQL at a million rows
ANALYZED = ("ceasefire_reports", "ceasefire_incidents", "ceasefire_incident_members")


@dataclass
class Summary:
    read: int = 0
    inserted: int = 0
    unchanged: int = 0
    rejected: int = 0
    broken: str | None = None  # where the file broke off: nothing after it was read
    date_order: DateOrder | None = None  # how ambiguous numeric dates were read
    not_violations: int = 0  # events read that are no violation (protests, agreements)


def import_file(
    engine: Engine,
    principal: Principal,
    layout: layouts.Layout,
    binary: IO[bytes],
    stamp: ingest.Stamp,
    *,
    on_reject: Callable[[int, str], None] = lambda line, reason: None,
    on_progress: Callable[[int], None] = lambda n: None,
    batch_size: int = BATCH_SIZE,
    now: dt.datetime | None = None,
    date_order: DateOrder | None = None,
    run: str | None = None,
) -> Summary:
    """Import one file. Each batch commits on its own: a killed import loses at most the
    batch in flight, and a re-run skips every report already stored.

    ``run`` names the import (its record's key, when one is kept); by default a fresh
    token. Each batch is stamped ``run:n``, so a report leads back to its run.

    Numeric dates whose day and month could be either way are read in ``date_order``;
    without it, in the order the file's unambiguous dates show, if they agree.
    """
    if principal.member is None or not principal.has_role(Role.MONITOR, Role.CONTRIBUTOR):
        raise Forbidden("only monitors and contributors import reports")
    if stamp.owner != principal.member and not principal.is_secretariat:
        raise Forbidden("reports are imported for your own member")
    with transaction(engine) as session:
        for code in (stamp.owner, *filter(None, stamp.rel_to.strip("|").split("|"))):
            require_member(session, code)  # checked once here, not per row (see Report)
    now = now or dt.datetime.now(dt.UTC)
    run = run or secrets.token_hex(8)
    name = getattr(binary, "name", "the file")
    summary = Summary(date_order=date_order or layouts.date_order(binary, name))
    batch: list[tuple[int, dict[str, str]]] = []
    number = 0

    def flush() -> None:
        if batch:
            store(*columns.read_batch(batch, now, summary.date_order))
            batch.clear()

    def store(frame: pl.DataFrame, rejects: list[tuple[int, str]]) -> None:
        nonlocal number
        number += 1
        with transaction(engine, actor=principal.actor) as session:
            result = ingest.store_frame(session, stamp, frame, f"{run}:{number}", run)
        if engine.dialect.name == "postgresql" and number & (number - 1) == 0:
            # A bulk load leaves the planner's row estimates stale (it would scan whole
            # tables for each batch's span); refresh them after batches 1, 2, 4, 8, ...
            with engine.connect() as conn:
                conn.execute(text(f"ANALYZE {', '.join(ANALYZED)}"))
                conn.commit()
        summary.inserted += result.inserted
        summary.unchanged += result.unchanged
        for line, reason in sorted(rejects + result.rejects):
            summary.rejected += 1
            on_reject(line, reason)

    def take(record: layouts.Record) -> None:
        summary.read += 1
        if record.skipped:
            summary.not_violations += 1
            return
        if record.fields is None:
            summary.rejected += 1
            on_reject(record.line, record.error or "unreadable")
            if record.broken:
                summary.broken = f"line {record.line}"
            return
        batch.append((record.line, record.fields))
        if len(batch) >= batch_size:
            flush()
            on_progress(summary.read)

    header = csvpieces.open_pieces(binary, name) if layout is layouts.Layout.CSV else None
    if header is None:
        for record in layouts.read(layout, binary, name):
            take(record)
    else:
        for piece in csvpieces.pieces(binary, batch_size):
            if not piece.plain:
                for record in csvpieces.records(piece, header):
                    take(record)
                if summary.broken:
                    break  # nothing after a break is read, as the record reader reads
                continue
            flush()
            raw, refused = csvpieces.columns(piece, header, columns.NAMES)
            summary.read += raw.height + len(refused)
            frame, rejects = columns.read_frame(raw, now, summary.date_order)
            store(frame, rejects + refused)
            on_progress(summary.read)
    flush()
    on_progress(summary.read)
    return summary
