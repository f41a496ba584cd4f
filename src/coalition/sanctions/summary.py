"""The alignment's summary of the designations: each target's periods, and how many
targets each set of lists holds from day to day.

For each canonical column (a scope of clusters), each target's designations are cut into
periods at every day one of them was listed or delisted; within a period the same
designations hold it, so one :class:`~coalition.sanctions.model.TargetPeriod` row per
theme (and one for all themes, ``*``) says which lists held it and carries the figures a
gap list is ranked by. :class:`~coalition.sanctions.model.HoldingCount` keeps, per theme
and holding, how many targets entered or left it each day: summed up to a day, how many
targets each set of lists held on it, which is the whole of the matrix.

:func:`refresh` keeps both exact: :func:`coalition.sanctions.designations.rebuild` and
:func:`coalition.sanctions.resolution.refresh_canonical` call it for the targets whose
designations or clusters they rewrote. The summary carries no marking: the alignment
reads it only for a reader who may see every designation it summarises.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from coalition.core.db import settle as settle_tables
from coalition.sanctions.model import Designation, HoldingCount, SanctionsList, TargetPeriod

ALL = "*"  # the theme of a period's row for every theme together
SCOPES = ("canonical_public", "canonical_coalition")
KIND_ORDER = {"vessel": 0, "bank": 1, "entity": 2, "aircraft": 3, "person": 4}
CHUNK = 2000  # rows inserted per statement
TARGETS = 500  # targets read per statement when only some are refreshed
WHOLE = 100_000  # past this many targets, a scope is rewritten whole

Change = Counter[tuple[str, str, dt.date]]  # (theme, holding, day): targets in, less out


@dataclass(frozen=True)
class Held:
    """One designation as the summary reads it."""

    list_id: int
    theme: str
    first_seen: dt.date
    listed_until: dt.date | None
    un_listed: bool
    kind_rank: int
    first_listed: dt.date
    caption: str


def ids_text(ids: Iterable[int]) -> str:
    """A set of lists as stored in a holding: their ids, ascending, comma-separated."""
    return ",".join(str(i) for i in sorted(set(ids)))


def ids_of(text: str) -> frozenset[int]:
    """The list ids of one side of a holding."""
    return frozenset(int(i) for i in text.split(",")) if text else frozenset()


def split(holding: str) -> tuple[frozenset[int], frozenset[int]]:
    """(lists holding it under the row's theme, lists holding it under any theme)."""
    held, _, held_all = holding.partition("|")
    return ids_of(held), ids_of(held_all)


def periods_of(scope: str, target: str, listings: Sequence[Held]) -> Iterator[dict[str, Any]]:
    """The period rows of one target from all its designations, given in the order of the
    database's collation of their captions (so the first live one names the period)."""
    days = sorted(
        {h.first_seen for h in listings}
        | {h.listed_until for h in listings if h.listed_until is not None}
    )
    for since, until in zip(days, [*days[1:], None], strict=True):
        live = [
            h
            for h in listings
            if h.first_seen <= since and (h.listed_until is None or h.listed_until > since)
        ]
        if not live:
            continue
        held_all = ids_text(h.list_id for h in live)
        figures = {
            "scope": scope,
            "target": target,
            "since": since,
            "until": until,
            "un_listed": any(h.un_listed for h in live),
            "kind_rank": min(h.kind_rank for h in live),
            "first_listed": min(h.first_listed for h in live),
            "caption": live[0].caption,
        }
        yield {**figures, "theme": ALL, "holding": f"{held_all}|{held_all}"}
        for theme in sorted({h.theme for h in live}):
            held = ids_text(h.list_id for h in live if h.theme == theme)
            yield {**figures, "theme": theme, "holding": f"{held}|{held_all}"}


def list_ids(session: Session) -> dict[str, int]:
    """Every list's id by its code (unfiltered: the summary names lists by id)."""
    return {code: i for code, i in session.execute(select(SanctionsList.code, SanctionsList.id))}


def _read(
    session: Session, scope: str, ids: dict[str, int], targets: Sequence[str] | None
) -> Iterator[tuple[str, list[Held]]]:
    """Each target's designations, target by target."""
    column = getattr(Designation, scope)
    query = select(
        column,
        Designation.list_code,
        Designation.theme,
        Designation.first_seen,
        Designation.listed_until,
        Designation.un_listed,
        Designation.kind,
        Designation.listing_date,
        Designation.caption,
    ).order_by(column, Designation.caption)
    if targets is not None:
        query = query.where(column.in_(targets))
    current: str | None = None
    held: list[Held] = []
    for target, code, theme, first, until, un, kind, listing, caption in session.execute(
        query.execution_options(yield_per=CHUNK)
    ):
        if target != current:
            if current is not None:
                yield current, held
            current, held = target, []
        held.append(
            Held(
                ids[code],
                theme,
                first,
                until,
                bool(un),
                KIND_ORDER.get(kind, len(KIND_ORDER)),
                listing or first,
                caption,
            )
        )
    if current is not None:
        yield current, held


def _write(
    session: Session,
    scope: str,
    targets: Iterable[tuple[str, list[Held]]],
    change: Change,
) -> int:
    """Insert the period rows of ``targets``, noting each in ``change``; how many rows."""
    table: Table = TargetPeriod.__table__  # type: ignore[assignment]
    batch: list[dict[str, Any]] = []
    written = 0
    for target, held in targets:
        for row in periods_of(scope, target, held):
            change[(row["theme"], row["holding"], row["since"])] += 1
            if row["until"] is not None:
                change[(row["theme"], row["holding"], row["until"])] -= 1
            batch.append(row)
        if len(batch) >= CHUNK:
            session.execute(insert(table), batch)
            written += len(batch)
            batch = []
    if batch:
        session.execute(insert(table), batch)
        written += len(batch)
    return written


def _unwrite(session: Session, scope: str, targets: Sequence[str], change: Change) -> None:
    """Delete the period rows of ``targets``, taking each out of ``change``."""
    where = (TargetPeriod.scope == scope, TargetPeriod.target.in_(targets))
    for theme, holding, since, until in session.execute(
        select(TargetPeriod.theme, TargetPeriod.holding, TargetPeriod.since, TargetPeriod.until)
        .where(*where)
    ):  # fmt: skip
        change[(theme, holding, since)] -= 1
        if until is not None:
            change[(theme, holding, until)] += 1
    session.execute(delete(TargetPeriod).where(*where))


def _count(session: Session, scope: str, change: Change) -> None:
    """Add ``change`` to the scope's counts: a count come to nought is deleted."""
    held = {
        (theme, holding, day): (ident, n)
        for ident, theme, holding, day, n in session.execute(
            select(
                HoldingCount.id,
                HoldingCount.theme,
                HoldingCount.holding,
                HoldingCount.day,
                HoldingCount.change,
            ).where(HoldingCount.scope == scope)
        )
    }
    gone: list[int] = []
    changed: list[dict[str, Any]] = []
    added: list[dict[str, Any]] = []
    for key, n in change.items():
        if n == 0:
            continue
        if key not in held:
            theme, holding, day = key
            added.append(
                {"scope": scope, "theme": theme, "holding": holding, "day": day, "change": n}
            )
        elif held[key][1] + n == 0:
            gone.append(held[key][0])
        else:
            changed.append({"i": held[key][0], "n": held[key][1] + n})
    table: Table = HoldingCount.__table__  # type: ignore[assignment]
    for start in range(0, len(gone), TARGETS):
        session.execute(delete(table).where(table.c.id.in_(gone[start : start + TARGETS])))
    if changed:
        session.execute(
            update(table).where(table.c.id == bindparam("i")).values(change=bindparam("n")),
            changed,
        )
    for start in range(0, len(added), CHUNK):
        session.execute(insert(table), added[start : start + CHUNK])


def refresh(session: Session, scope: str, targets: Collection[str] | None = None) -> int:
    """Rewrite the summary of ``targets`` (every target when None) in ``scope`` from the
    designations; how many period rows were written."""
    session.flush()
    ids = list_ids(session)
    change: Change = Counter()
    if targets is None or len(targets) > WHOLE:
        session.execute(delete(TargetPeriod).where(TargetPeriod.scope == scope))
        session.execute(delete(HoldingCount).where(HoldingCount.scope == scope))
        written = _write(session, scope, _read(session, scope, ids, None), change)
    else:
        chosen = sorted(targets)
        written = 0
        for start in range(0, len(chosen), TARGETS):
            part = chosen[start : start + TARGETS]
            _unwrite(session, scope, part, change)
            written += _write(session, scope, _read(session, scope, ids, part), change)
    _count(session, scope, change)
    return written


# What the alignment reads: settled after each bulk write to them (see :func:`settle`).
ALIGNMENT_TABLES = (
    "sanctions_designations",
    "sanctions_judgements",
    "sanctions_target_periods",
    "sanctions_holding_counts",
)


def settle(engine: Engine) -> None:
    """After an import or a resolution has committed: on PostgreSQL, vacuum and analyse
    the tables the alignment reads, so that its index-only reads skip the heap at once
    (straight after a bulk write, before autovacuum, the gap between two members of ten
    lists of 50,000 took 1.2 s instead of 0.09 s)."""
    settle_tables(engine, ALIGNMENT_TABLES)


def refresh_all(session: Session) -> int:
    """Rewrite the whole summary, every scope; how many period rows."""
    return sum(refresh(session, scope) for scope in SCOPES)


def holdings_on(
    session: Session, scope: str, day: dt.date, theme: str | None = None
) -> dict[tuple[str, str], int]:
    """How many targets each (theme, holding) of ``scope`` held on ``day`` (under
    ``theme`` alone when given)."""
    n = func.sum(HoldingCount.change)
    query = (
        select(HoldingCount.theme, HoldingCount.holding, n)
        .where(HoldingCount.scope == scope, HoldingCount.day <= day)
        .group_by(HoldingCount.theme, HoldingCount.holding)
    )
    if theme is not None:
        query = query.where(HoldingCount.theme == theme)
    return {(t, holding): int(count) for t, holding, count in session.execute(query) if count}
