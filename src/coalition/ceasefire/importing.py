"""The report importer as the browser, the API and the job queue use it.

:data:`IMPORTER` previews a stored file (its columns, what each fills, its first rows read
as they would be stored, its first problems) and runs it whole through
:func:`coalition.ceasefire.importer.import_file`, reporting through the run's hooks.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coalition.ceasefire import columns, importer, ingest, layouts
from coalition.ceasefire.fields import DateOrder
from coalition.core.errors import Invalid
from coalition.core.importing import (
    PREVIEW_PROBLEMS,
    PREVIEW_ROWS,
    Hooks,
    Importer,
    Outcome,
    Preview,
)
from coalition.core.marking import Marking, check_marking
from coalition.core.sniff import Kind, Sniffed

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from coalition.core.principal import Principal

PREVIEW_RECORDS = 500  # records a preview reads, for its rows and its first problems
# The columns the mapped layouts read, and what each gives (layouts.py reads them).
READS: dict[str, dict[str, str]] = {
    "acled": {
        "event_id_cnty": "source_id",
        "event_date": "occurred_at",
        "latitude": "latitude",
        "longitude": "longitude",
        "geo_precision": "precision_m",
        "admin1": "region",
        "event_type": "type",
        "sub_event_type": "type, weapon",
        "actor1": "attribution",
        "fatalities": "casualties",
        "notes": "text",
    },
    "ucdp": {
        "id": "source_id",
        "date_start": "occurred_at",
        "latitude": "latitude",
        "longitude": "longitude",
        "where_prec": "precision_m",
        "adm_1": "region",
        "best": "casualties",
        "event_clarity": "credibility",
        "conflict_name": "text",
        "side_a": "text",
        "side_b": "text",
        "source_headline": "text",
    },
}
REQUIRED = {
    "csv": (
        "source_kind",
        "source_name",
        "source_id",
        "occurred_at",
        "latitude",
        "longitude",
        "type",
    ),
    "acled": layouts.ACLED_REQUIRED,
    "ucdp": layouts.UCDP_REQUIRED,
    "geojson": (),
}
SHOWN = ["source_name", "source_id", "occurred_at", "latitude", "longitude", "type", "casualties"]


def guess(sniffed: Sniffed) -> str | None:
    """The layout a sniffed file is most likely in, by its kind and its header."""
    if sniffed.kind is Kind.GEOJSON:
        return layouts.Layout.GEOJSON.value
    if sniffed.kind is not Kind.DELIMITED or sniffed.delimiter != ",":
        return None  # the report layouts are comma-separated
    header = {h.strip().lower() for h in sniffed.header}
    if "event_id_cnty" in header:
        return layouts.Layout.ACLED.value
    if {"date_start", "best"} <= header:
        return layouts.Layout.UCDP.value
    return layouts.Layout.CSV.value


def _header(path: Path) -> list[str]:
    with path.open("rb") as binary:
        text = layouts.open_text(binary, path.name)
        try:
            return [h.strip() for h in next(csv.reader(text), [])]
        except (csv.Error, UnicodeDecodeError):
            return []
        finally:
            text.detach()


def _layout(name: str) -> layouts.Layout:
    try:
        return layouts.Layout(name)
    except ValueError:
        raise Invalid(f"reports are read as {', '.join(layouts.Layout)}, not {name!r}") from None


def _order(options: Mapping[str, Any]) -> DateOrder | None:
    value = options.get("date_order")
    try:
        return DateOrder(value) if value else None
    except ValueError:
        raise Invalid("date_order is dmy or mdy") from None


def preview(
    session: Session, principal: Principal, path: Path, layout: str, options: Mapping[str, Any]
) -> Preview:
    chosen = _layout(layout)
    order = _order(options)
    file_columns = [] if chosen is layouts.Layout.GEOJSON else _header(path)
    reads = READS.get(chosen.value)
    if chosen is layouts.Layout.CSV:
        mapping = {c: c.lower() if c.lower() in columns.NAMES else "" for c in file_columns}
    elif reads is not None:
        mapping = {c: reads.get(c.lower(), "") for c in file_columns}
    else:
        mapping = {}
    given = {c.lower() for c in file_columns}
    missing = (
        []
        if chosen is layouts.Layout.GEOJSON
        else [r for r in REQUIRED[chosen.value] if r not in given]
    )
    problems: list[tuple[int, str]] = []
    good: list[tuple[int, dict[str, str]]] = []
    read = 0
    with path.open("rb") as binary:
        found = order or layouts.date_order(binary, path.name)
        for record in itertools.islice(layouts.read(chosen, binary, path.name), PREVIEW_RECORDS):
            read += 1
            if record.skipped:
                continue
            if record.fields is None:
                problems.append((record.line, record.error or "unreadable"))
            else:
                good.append((record.line, record.fields))
    frame, rejects = columns.read_batch(good, dt.datetime.now(dt.UTC), found)
    problems = sorted(problems + rejects)[:PREVIEW_PROBLEMS]
    rows = [
        (int(row["line"]), ["" if row[f] is None else str(row[f]) for f in SHOWN])
        for row in frame.head(PREVIEW_ROWS).iter_rows(named=True)
    ]
    note = ""
    if found is not None and order is None:
        first = "day" if found is DateOrder.DMY else "month"
        note = f"numeric dates read {first} first, as the file's unambiguous dates show"
    return Preview(chosen.value, file_columns, mapping, missing, SHOWN, rows, problems, read, note)


def run(
    engine: Engine,
    principal: Principal,
    path: Path,
    layout: str,
    options: Mapping[str, Any],
    key: str,
    hooks: Hooks,
) -> Outcome:
    if principal.member is None:
        raise Invalid("reports are imported by a member's user")
    marking = Marking(options.get("marking") or Marking.COALITION)
    codes = list(options.get("rel_to") or [])
    release = check_marking(marking, principal.member, codes)
    stamp = ingest.Stamp(
        principal.member, marking.value, release, illustrative=bool(options.get("illustrative"))
    )

    with path.open("rb") as binary:

        def progressed(read: int) -> None:
            hooks.progress(read, binary.tell())
            hooks.check()  # between batches: every batch before is whole

        summary = importer.import_file(
            engine,
            principal,
            _layout(layout),
            binary,
            stamp,
            on_reject=lambda line, reason: hooks.reject(line, reason, ""),
            on_progress=progressed,
            date_order=_order(options),
            run=key,
        )
    counts = {
        "read": summary.read,
        "inserted": summary.inserted,
        "unchanged": summary.unchanged,
        "rejected": summary.rejected,
    }
    found = {
        "date_order": summary.date_order.value if summary.date_order else None,
        "not_violations": summary.not_violations,
    }
    broken = None
    if summary.broken is not None:
        broken = (
            f"the file breaks off at {summary.broken}; the records before it were imported "
            "and the rest were not read: repair the file and import it again (records "
            "already stored are skipped)"
        )
    return Outcome(counts, found, broken)


IMPORTER = Importer(
    name="reports",
    label="Ceasefire reports",
    layouts=[layout.value for layout in layouts.Layout],
    page="/ceasefire/incidents",
    marking=Marking.COALITION,
    guess=guess,
    preview=preview,
    run=run,
    options=("date_order", "marking", "rel_to", "illustrative"),
)
