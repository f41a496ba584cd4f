"""The pledge importer as the browser, the API and the job queue use it.

:data:`IMPORTER` previews a stored sheet (its header, the field each column fills, its
first rows checked as the import would check them, nothing written) and runs it whole
through :func:`coalition.commitments.importer.import_file`, reporting through the run's
hooks. A file is read as a workbook or as CSV by its content, as on the command line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coalition.commitments import importer
from coalition.commitments.formats import KIEL, PLAIN
from coalition.commitments.parsing import header_key
from coalition.core.errors import Invalid
from coalition.core.importing import (
    PREVIEW_PROBLEMS,
    PREVIEW_ROWS,
    Hooks,
    Importer,
    Outcome,
    Preview,
)
from coalition.core.marking import Marking
from coalition.core.sniff import Kind, Sniffed

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from coalition.core.principal import Principal

PREVIEW_RECORDS = 200  # rows a preview checks
SHOWN = ["source_id", "member", "announced_on", "category", "item", "value", "currency", "status"]
# Columns only the Kiel tracker's releases carry: their presence says which layout it is.
KIEL_ONLY = {key for name in ("id", "donor", "general") for key in KIEL.columns[name]}


def guess(sniffed: Sniffed) -> str | None:
    """``kiel`` for a tracker release, ``csv`` for the plain layout, by the header."""
    if sniffed.kind is Kind.SPREADSHEET:
        return "kiel"  # the tracker publishes workbooks; the plain layout is CSV
    if sniffed.kind is not Kind.DELIMITED:
        return None
    header = {header_key(h) for h in sniffed.header}
    if header & set(PLAIN.columns) >= {"source_id", "member"}:
        return "csv"
    return "kiel" if header & KIEL_ONLY else "csv"


def _format(layout: str) -> importer.Format:
    if layout not in ("kiel", "csv"):
        raise Invalid(f"pledges are read as kiel or csv, not {layout!r}")
    return "kiel" if layout == "kiel" else "csv"


def _day(options: Mapping[str, Any]) -> dt.date | None:
    value = options.get("reported_on")
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        raise Invalid("reported_on is YYYY-MM-DD") from None


def preview(
    session: Session, principal: Principal, path: Path, layout: str, options: Mapping[str, Any]
) -> Preview:
    fmt = _format(layout)
    first = importer.preview_file(
        session, principal, path, fmt, rows=PREVIEW_RECORDS, reported_on=_day(options)
    )
    needed = (KIEL if fmt == "kiel" else PLAIN).required
    missing = sorted(needed - set(first.mapping.values()))
    rows = [
        (line, ["" if values.get(f) is None else str(values.get(f)) for f in SHOWN])
        for line, values in first.accepted[:PREVIEW_ROWS]
    ]
    problems = [(r.line, r.reason) for r in first.rejects[:PREVIEW_PROBLEMS]]
    note = f"read as {first.encoding}" if first.encoding else ""
    if first.partners:
        listed = ", ".join(sorted(set(first.partners))[:10])
        note += (
            "; " if note else ""
        ) + f"donors outside the register, to be added as partners: {listed}"
    return Preview(
        layout=fmt,
        columns=first.columns,
        mapping=first.mapping,
        missing=missing,
        fields=SHOWN,
        rows=rows,
        problems=problems,
        read=len(first.accepted) + len(first.rejects),
        note=note,
    )


def run(
    engine: Engine,
    principal: Principal,
    path: Path,
    layout: str,
    options: Mapping[str, Any],
    key: str,
    hooks: Hooks,
) -> Outcome:
    def progressed(done: int, total: int) -> None:
        hooks.progress(None, done)
        hooks.check()  # a batch not yet written is dropped whole; those before are kept

    outcome = importer.import_file(
        engine,
        principal,
        path,
        _format(layout),
        progress=progressed,
        reported_on=_day(options),
        run=key,
    )
    for reject in outcome.rejects:
        hooks.reject(reject.line, reject.reason, "")
    s = outcome.summary
    hooks.progress(s.read, path.stat().st_size)
    counts = {
        "read": s.read,
        "inserted": s.inserted,
        "updated": s.updated,
        "unchanged": s.unchanged,
        "rejected": s.rejected,
    }
    broken = None
    if outcome.broken is not None:
        broken = (
            f"the file breaks off at {outcome.broken}; the rows before it were imported and "
            "the rest were not read: repair the file and import it again (rows already "
            "stored are left as they are)"
        )
    return Outcome(counts, {"encoding": outcome.encoding or None}, broken)


IMPORTER = Importer(
    name="commitments",
    label="Commitments (pledge sheets)",
    layouts=["csv", "kiel"],
    page="/commitments",
    marking=Marking.NATIONAL,
    guess=guess,
    preview=preview,
    run=run,
    options=("reported_on",),
)
