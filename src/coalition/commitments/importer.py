"""Loading pledge files into the ledger: streaming, validated, idempotent, atomic per batch.

Rows are read one at a time and written in batches, each batch in its own transaction
with its audit entries: a killed import leaves whole batches or nothing of a batch. A row's
natural key (source, source id) finds its live revision; an identical row is left alone
(so a re-run changes nothing), a changed one supersedes it with a new revision. A row that
cannot be read or breaks a rule is not written; it goes to the rejects file with its line
number and reason.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import ColumnElement, Engine, Table, and_, insert, or_, select, text, update
from sqlalchemy.orm import Session

from coalition.commitments import dating, money
from coalition.commitments.delivered import SheetDelivered, increment, note_for
from coalition.commitments.formats import KIEL, PLAIN, Layout, Pledge, kiel_pledge, plain_pledge
from coalition.commitments.model import Commitment, DatePrecision
from coalition.commitments.parsing import CellError
from coalition.commitments.reading import (
    MAX_BYTES,
    RawRow,
    Sheet,
    broken_reason,
    check_size,
    open_sheet,
)
from coalition.commitments.schemas import ImportSummary
from coalition.commitments.service import (
    DeliveredSoFar,
    NewDelivery,
    delivered_so_far,
    may_record_for,
    record_deliveries,
    record_id_for,
)
from coalition.core import audit
from coalition.core.cells import csv_writer, neutralise
from coalition.core.chain import jsonable
from coalition.core.db import transaction, utcnow
from coalition.core.errors import Forbidden, Invalid
from coalition.core.marking import Marking, check_marking, decode_release
from coalition.core.principal import Principal
from coalition.members.model import Member
from coalition.members.service import register_partner

Format = Literal["kiel", "csv"]
BATCH = 2_000
REFRESH_STATISTICS_AFTER = frozenset({1, 3, 10, 30, 100, 300, 1000})  # batches written
COLUMNS = [c.key for c in Commitment.__table__.columns]
# What makes two revisions the same commitment as far as an import is concerned.
COMPARED = [
    c
    for c in COLUMNS
    if c not in ("id", "record_id", "revision", "recorded_at", "superseded_at", "import_run")
]


@dataclass(frozen=True)
class Reject:
    line: int
    reason: str
    source_id: str = ""


@dataclass
class Outcome:
    summary: ImportSummary = field(default_factory=ImportSummary)
    rejects: list[Reject] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)  # donors registered as partners
    unregistered: dict[str, str] = field(default_factory=dict)  # donor → why not
    encoding: str = ""  # the text encoding a CSV was read in
    broken: str | None = None  # where the file broke off: the rest was never read


Progress = Callable[[int, int], None]


def _values(pledge: Pledge, rel_to: str) -> dict[str, Any]:
    """The stored columns of a pledge, money converted, without identity or timestamps."""
    value_eur = rate = rate_date = None
    if pledge.value is not None and pledge.currency is not None:
        conversion = money.to_eur(
            pledge.value, pledge.currency, pledge.announced_on or utcnow().date()
        )
        value_eur, rate, rate_date = conversion.value_eur, conversion.rate, conversion.rate_date
    return {
        "owner_code": pledge.member,
        "marking": pledge.marking.value,
        "rel_to": rel_to,
        "source_title": pledge.source_title,
        "source_ref": pledge.source_ref,
        "illustrative": False,
        "announced_on": pledge.announced_on,
        "date_precision": pledge.date_precision.value,
        "date_text": pledge.date_text,
        "category": pledge.category.value,
        "item": pledge.item,
        "explanation": pledge.explanation,
        "quantity": pledge.quantity,
        "unit": pledge.unit,
        "value": pledge.value,
        "currency": pledge.currency,
        "value_eur": value_eur,
        "rate": rate,
        "rate_date": rate_date,
        "status": pledge.status.value,
        "meeting_id": None,
        "source": pledge.source,
        "source_id": pledge.source_id,
    }


def _same(stored: dict[str, Any], fresh: dict[str, Any]) -> bool:
    return all(jsonable(stored[k]) == jsonable(fresh[k]) for k in COMPARED)


@dataclass(frozen=True)
class _Row:
    """A validated row: its line, its stored columns, and what the sheet says arrived."""

    line: int
    values: dict[str, Any]
    delivered: SheetDelivered | None


class _Batch:
    """Validated rows waiting to be written together."""

    def __init__(self, run: str | None = None) -> None:
        self.rows: list[_Row] = []
        self.written = 0
        self.run = run  # the import run's key, stamped on each revision written

    def __len__(self) -> int:
        return len(self.rows)


def _write_batch(engine: Engine, principal: Principal, batch: _Batch, outcome: Outcome) -> None:
    """Insert new records and supersede changed ones, with their audit entries, atomically."""
    if not batch.rows:
        return
    with transaction(engine, actor=principal.actor) as session:
        _write(session, batch, outcome)
    batch.rows.clear()
    batch.written += 1
    if engine.dialect.name == "postgresql" and batch.written in REFRESH_STATISTICS_AFTER:
        # A bulk load leaves the planner's row estimates stale, and it then scans the
        # table for every key lookup; fresh statistics keep each batch's lookup indexed.
        with engine.connect() as conn:
            conn.execute(text("ANALYZE commitments"))
            conn.commit()


def _live_keys(table: Table, keys: list[tuple[str, str]]) -> ColumnElement[bool]:
    """The live rows with these natural keys, in the words of the partial unique index
    (so PostgreSQL uses it instead of scanning the table)."""
    by_source: dict[str, list[str]] = {}
    for source, source_id in keys:
        by_source.setdefault(source, []).append(source_id)
    return and_(
        table.c.superseded_at.is_(None),
        table.c.source_id.is_not(None),
        or_(
            *(and_(table.c.source == s, table.c.source_id.in_(ids)) for s, ids in by_source.items())
        ),
    )


def _write(session: Session, batch: _Batch, outcome: Outcome) -> None:
    table: Table = Commitment.__table__  # type: ignore[assignment]
    keys = [(r.values["source"], r.values["source_id"]) for r in batch.rows]
    existing: dict[tuple[str, str], dict[str, Any]] = {}
    for row in session.execute(
        select(table).where(
            _live_keys(table, keys),
        )
    ).mappings():
        existing[(row["source"], row["source_id"])] = dict(row)
    done = delivered_so_far(session, [e["record_id"] for e in existing.values()])

    now = utcnow()
    inserts: list[dict[str, Any]] = []
    superseded: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    deliveries: list[NewDelivery] = []
    summary = outcome.summary
    for item in batch.rows:
        line, values = item.line, item.values
        key = (values["source"], values["source_id"])
        if key in seen:
            outcome.rejects.append(Reject(line, "the same source id appears twice", key[1]))
            summary.rejected += 1
            continue
        seen.add(key)
        old = existing.get(key)
        record_id = old["record_id"] if old is not None else record_id_for(*key)
        try:
            delivery = _delivery(item, record_id, old, done.get(record_id))
        except CellError as exc:
            outcome.rejects.append(Reject(line, str(exc), key[1]))
            summary.rejected += 1
            continue
        if delivery is not None:
            deliveries.append(delivery)
        if item.delivered is not None and item.delivered.undisclosed:
            summary.undisclosed += 1
        if old is None:
            inserts.append(
                {
                    **values,
                    "record_id": record_id,
                    "revision": 1,
                    "recorded_at": now,
                    "superseded_at": None,
                    "import_run": batch.run,
                }
            )
            summary.inserted += 1
            continue
        if _same(old, values):
            summary.unchanged += 1
            continue
        delivered = done.get(old["record_id"])
        if delivered is not None and (
            (delivered.quantity and (values["quantity"] or 0) < delivered.quantity)
            or (delivered.value and (values["value"] or 0) < delivered.value)
        ):
            outcome.rejects.append(
                Reject(line, "the new figures are below what was already delivered", key[1])
            )
            summary.rejected += 1
            if delivery is not None:
                deliveries.pop()
            continue
        superseded.append(old)
        inserts.append(
            {
                **values,
                "record_id": old["record_id"],
                "revision": old["revision"] + 1,
                "recorded_at": now,
                "superseded_at": None,
                "import_run": batch.run,
            }
        )
        summary.updated += 1

    changes: list[audit.Change] = []
    if superseded:
        session.execute(
            update(table)
            .where(table.c.id.in_([o["id"] for o in superseded]))
            .values(superseded_at=now)
        )
        for old in superseded:
            before = {k: jsonable(old[k]) for k in COLUMNS}
            after = {**before, "superseded_at": jsonable(now)}
            changes.append(audit.Change("update", "commitments", str(old["id"]), before, after))
    if inserts:
        # A plain executemany, then one select for the new ids: far faster than RETURNING
        # row by row, and the live-row index makes (source, source_id) name one row.
        session.execute(insert(table), inserts)
        fresh_keys = [(row["source"], row["source_id"]) for row in inserts]
        ids = {
            (r.source, r.source_id): r.id
            for r in session.execute(
                select(table.c.id, table.c.source, table.c.source_id).where(
                    _live_keys(table, fresh_keys),
                )
            )
        }
        for fresh in inserts:
            new_id = ids[(fresh["source"], fresh["source_id"])]
            after = {k: jsonable(fresh.get(k)) for k in COLUMNS if k != "id"}
            after["id"] = new_id
            changes.append(audit.Change("create", "commitments", str(new_id), None, after))
    audit.record(session, changes)
    # Deliveries go in through the ledger's own path, which values and audits them.
    record_deliveries(session, deliveries)
    summary.delivered += len(deliveries)


def _delivery(
    row: _Row, record_id: str, old: dict[str, Any] | None, recorded: DeliveredSoFar | None
) -> NewDelivery | None:
    """What to record so the ledger holds the totals the row states, or ``None``; raises
    :class:`CellError` when the row states less than is recorded, or a recorded value
    would be summed with one in another currency."""
    sheet = row.delivered
    if sheet is None:
        return None
    values = row.values
    if (
        recorded is not None
        and recorded.value
        and old is not None
        and old["currency"] != values["currency"]
    ):
        raise CellError(
            f"deliveries are recorded in {old['currency']}; the row is now in "
            f"{values['currency'] or 'no currency'}"
        )
    more = increment(
        sheet,
        recorded.quantity if recorded is not None else None,
        recorded.value if recorded is not None else None,
    )
    if more is None:
        return None
    problem = dating.delivery_problem(
        sheet.on,
        sheet.precision,
        values["announced_on"],
        DatePrecision(values["date_precision"]),
        utcnow().date(),
    )
    if problem is not None:
        raise CellError(problem)
    earlier = recorded is not None and bool(recorded.quantity or recorded.value)
    return NewDelivery(
        record_id=record_id,
        delivered_on=sheet.on,
        date_precision=sheet.precision,
        quantity=more.quantity,
        value=more.value,
        currency=values["currency"],
        note=note_for(sheet, values["source_id"], earlier=earlier),
    )


def _rows(
    sheet_rows: Iterator[RawRow], header_len: int, columns: dict[str, int], strict_width: bool
) -> Iterator[tuple[int, dict[str, object] | str]]:
    for raw in sheet_rows:
        reason = broken_reason(raw)
        if reason is not None:
            yield raw.line, reason
            continue
        cells = raw.cells
        # A row cut short (a truncated file) or overlong (a stray delimiter) is refused:
        # its cells no longer line up with the header. Workbooks may omit empty cells.
        overlong = any(c not in (None, "") for c in cells[header_len:])
        if overlong or (strict_width and len(cells) < header_len):
            yield raw.line, f"the row has {len(cells)} cells, the header {header_len}"
            continue
        yield raw.line, {name: cells[i] if i < len(cells) else None for name, i in columns.items()}


HEADER_SEARCH = 10


def _find_header(
    layout: Layout, sheet: Sheet, name: str
) -> tuple[dict[str, int], int, list[object]]:
    """The column map, from the first row or, past title rows, one of the next few; with
    the header's length and its cells."""
    try:
        return layout.resolve(sheet.header), len(sheet.header), list(sheet.header)
    except CellError as exc:
        first_error = exc
    for _ in range(HEADER_SEARCH):
        raw = next(sheet.rows, None)
        if raw is None or broken_reason(raw) is not None:
            break
        try:
            return layout.resolve(raw.cells), len(raw.cells), list(raw.cells)
        except CellError:
            continue
    raise Invalid(f"{name}: {first_error}")


def import_file(
    engine: Engine,
    principal: Principal,
    path: Path,
    fmt: Format,
    *,
    max_bytes: int = MAX_BYTES,
    batch_size: int = BATCH,
    progress: Progress | None = None,
    reported_on: dt.date | None = None,
    run: str | None = None,
) -> Outcome:
    """Import ``path`` in layout ``fmt`` as ``principal``; returns the summary and rejects.

    ``reported_on`` dates the deliveries a row states without a date or reporting date
    ("on or before" that day); by default the day of the import. ``run`` is the import
    run's key, stamped on each revision the import writes."""
    if principal.is_anonymous:
        raise Forbidden("sign in (or name a user with --as) to import")
    check_size(path, max_bytes)
    outcome = Outcome()
    batch = _Batch(run)

    def register(code: str, members: set[str]) -> None:
        _register_partner(engine, principal, code, members, outcome)

    def members() -> set[str]:
        with transaction(engine) as session:
            return set(session.scalars(select(Member.code)))

    with _CheckedRows(members, principal, path, fmt, reported_on, register, progress) as rows:
        for line, checked in rows:
            outcome.summary.read += 1
            if isinstance(checked, Reject):
                outcome.rejects.append(checked)
                outcome.summary.rejected += 1
                continue
            batch.rows.append(_Row(line, *checked))
            if len(batch) >= batch_size:
                _write_batch(engine, principal, batch, outcome)
        _write_batch(engine, principal, batch, outcome)
        outcome.encoding, outcome.broken = rows.sheet.encoding, rows.sheet.broken
    return outcome


@dataclass
class FirstRows:
    """The first rows of a file as the import would take them; nothing written."""

    accepted: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)  # donors it would register
    columns: list[str] = field(default_factory=list)  # the header as found
    mapping: dict[str, str] = field(default_factory=dict)  # header cell -> field
    encoding: str = ""


def preview_file(
    session: Session,
    principal: Principal,
    path: Path,
    fmt: Format,
    *,
    rows: int,
    max_bytes: int = MAX_BYTES,
    reported_on: dt.date | None = None,
) -> FirstRows:
    """Check the first ``rows`` rows of ``path`` as :func:`import_file` would; write
    nothing (a donor outside the register is listed as one it would register)."""
    if principal.is_anonymous:
        raise Forbidden("sign in to import")
    check_size(path, max_bytes)
    found = FirstRows()

    def register(code: str, members: set[str]) -> None:
        members.add(code)
        found.partners.append(code)

    def members() -> set[str]:
        return set(session.scalars(select(Member.code)))

    with _CheckedRows(members, principal, path, fmt, reported_on, register, None) as checked:
        found.columns, found.mapping = checked.columns, checked.mapping
        for line, result in itertools.islice(checked, rows):
            if isinstance(result, Reject):
                found.rejects.append(result)
            else:
                found.accepted.append((line, result[0]))
        found.encoding = checked.sheet.encoding
    return found


class _CheckedRows:
    """The rows of a file, each checked: (line, (values, delivered)) or (line, Reject)."""

    def __init__(
        self,
        members: Callable[[], set[str]],
        principal: Principal,
        path: Path,
        fmt: Format,
        reported_on: dt.date | None,
        register: Callable[[str, set[str]], None],
        progress: Progress | None,
    ) -> None:
        self.layout = KIEL if fmt == "kiel" else PLAIN
        self.sheet = open_sheet(path, progress)
        self.load_members = members
        self.principal, self.path, self.fmt = principal, path, fmt
        self.day = reported_on or utcnow().date()
        self.register = register
        self.found: dict[str, int] = {}  # field -> column index, once entered
        self.header_len = 0
        self.columns: list[str] = []
        self.mapping: dict[str, str] = {}

    def __enter__(self) -> _CheckedRows:
        try:
            found, self.header_len, header = _find_header(self.layout, self.sheet, self.path.name)
        except BaseException:
            self.sheet.closer()
            raise
        self.found = found
        self.columns = [str(h or "") for h in header]
        fields = {i: name for name, i in found.items()}
        self.mapping = {str(h or ""): fields.get(i, "") for i, h in enumerate(header)}
        return self

    def __exit__(self, *exc: object) -> None:
        self.sheet.closer()

    def __iter__(
        self,
    ) -> Iterator[tuple[int, tuple[dict[str, Any], SheetDelivered | None] | Reject]]:
        columns, header_len = self.found, self.header_len
        members = self.load_members()
        currencies = money.currencies()
        positions: dict[str, int] = {}
        principal = self.principal
        for line, row in _rows(self.sheet.rows, header_len, columns, self.sheet.strict_width):
            if isinstance(row, str):
                yield line, Reject(line, row)
                continue
            try:
                pledge = _pledge(self.fmt, row, positions, currencies, self.path.name, self.day)
                problem = dating.announcement_problem(
                    pledge.announced_on, pledge.date_precision, utcnow().date()
                )
                if problem is not None:
                    raise CellError(problem)
                rel_to = check_marking(pledge.marking, pledge.member, pledge.rel_to)
                if pledge.member not in members:
                    # A donor outside the coalition is a partner: registered once, not refused.
                    self.register(pledge.member, members)
                for code in decode_release(rel_to):
                    if code not in members:
                        raise CellError(f"{code} is not in the member register")
                if not may_record_for(principal, pledge.member):
                    raise CellError(f"{principal.username} may not record for {pledge.member}")
                values = _values(pledge, rel_to)
            except (CellError, Invalid, money.UnknownCurrency) as exc:
                detail = exc.detail if isinstance(exc, Invalid) else str(exc)
                source_id = str(row.get("source_id") or row.get("id") or "")[:120]
                yield line, Reject(line, detail, source_id)
                continue
            yield line, (values, pledge.delivered)


def _register_partner(
    engine: Engine, principal: Principal, code: str, members: set[str], outcome: Outcome
) -> None:
    """Register the donor ``code`` as a partner in a transaction of its own, or raise
    :class:`CellError` saying why it cannot be (asked once per donor)."""
    if code not in outcome.unregistered:
        try:
            with transaction(engine, actor=principal.actor) as session:
                register_partner(session, principal, code)
        except (Forbidden, Invalid) as exc:
            outcome.unregistered[code] = exc.detail
        else:
            members.add(code)
            outcome.partners.append(code)
            return
    raise CellError(outcome.unregistered[code])


def _pledge(
    fmt: Format,
    row: dict[str, object],
    positions: dict[str, int],
    currencies: frozenset[str],
    file_ref: str,
    reported_on: dt.date,
) -> Pledge:
    if fmt == "csv":
        return plain_pledge(row, currencies)
    # One tracker ID names a package; its items are numbered in the order they appear.
    ident = str(row.get("id") or "").strip()
    positions[ident] = positions.get(ident, 0) + 1
    return kiel_pledge(row, positions[ident], currencies, file_ref, reported_on)


def write_rejects(path: Path, rejects: list[Reject]) -> None:
    """The rejects file: one row per refused line, with the line number and the reason."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv_writer(out)
        writer.writerow(["line", "source_id", "reason"])
        for r in rejects:
            # The source id and the reason quote the file's own cells: neutralise them.
            writer.writerow([r.line, neutralise(r.source_id), neutralise(r.reason)])


__all__ = [
    "BATCH",
    "FirstRows",
    "Format",
    "Marking",
    "Outcome",
    "Reject",
    "import_file",
    "preview_file",
    "write_rejects",
]
