"""The sanctions list importer as the browser, the API and the job queue use it.

:data:`IMPORTER` reads a list in any of its published layouts
(:mod:`coalition.sanctions.formats`: FtM entities, OFAC's CSV and XML, the EU's FSF, the
UK's list), the layout recognised from the file's first bytes unless named. It previews a
stored file (its first entities as read and its first refused records, nothing written)
and runs it whole through :func:`coalition.sanctions.ingest.import_snapshot`, reporting
through the run's hooks. Options: ``list`` (the list's code; default the layout's own
list, required for FtM files), ``snapshot_date`` (YYYY-MM-DD; default the publication date
the file states, else today), and for a new list its ``marking`` and ``rel_to`` (default
PUBLIC).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coalition.core.db import utcnow
from coalition.core.errors import Invalid
from coalition.core.forms import parse_rel_to
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
from coalition.sanctions import formats, ingest
from coalition.sanctions.vocabulary import check_list_code

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from coalition.core.principal import Principal

PREVIEW_RECORDS = 200  # entities a preview reads
SHOWN = ["id", "schema", "caption", "properties"]


def guess(sniffed: Sniffed) -> str | None:
    """The layout the file's first bytes say, FtM for other JSON lines, else None."""
    found = formats.recognise(sniffed.head)
    if found is None and sniffed.kind is Kind.JSON_LINES:
        return "ftm"
    return found


def list_option(options: Mapping[str, Any], layout: str) -> str:
    """The list named in ``options``, else the one files in ``layout`` are of."""
    value = options.get("list") or formats.format_named(layout).list_code
    if not value:
        raise Invalid("list: name the list this file is a snapshot of (e.g. us_ofac_sdn)")
    try:
        return check_list_code(str(value))
    except ValueError as exc:
        raise Invalid(f"list: {exc}") from None


def snapshot_date(options: Mapping[str, Any], stated: dt.date | None = None) -> dt.date:
    """The day named in ``options``, else the one the file states, else today."""
    value = options.get("snapshot_date")
    if not value:
        return stated or utcnow().date()
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise Invalid("snapshot_date is YYYY-MM-DD") from None


def _layout(layout: str) -> str:
    try:
        return formats.format_named(layout).name
    except ValueError as exc:
        raise Invalid(str(exc)) from None


def preview(
    session: Session, principal: Principal, path: Path, layout: str, options: Mapping[str, Any]
) -> Preview:
    _layout(layout)
    rows: list[tuple[int, list[str]]] = []
    problems: list[tuple[int, str]] = []
    read = 0
    with path.open("rb") as binary:
        for entry in itertools.islice(formats.read(layout, binary), PREVIEW_RECORDS):
            read += 1
            if entry.entity is None:
                problems.append((entry.line, entry.reason))
            elif len(rows) < PREVIEW_ROWS:
                names = ", ".join(sorted(entry.entity["properties"]))
                rows.append(
                    (entry.line, [entry.entity["id"], entry.entity["schema"], entry.caption, names])
                )
    own = formats.format_named(layout).list_code
    note = "" if options.get("list") or own else "name the list this file is a snapshot of"
    return Preview(
        layout=layout,
        columns=["id", "schema", "properties"],
        mapping={"id": "id", "schema": "schema", "properties": "properties"},
        missing=[],
        fields=SHOWN,
        rows=rows,
        problems=problems[:PREVIEW_PROBLEMS],
        read=read,
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
    layout = _layout(layout)
    code = list_option(options, layout)
    with path.open("rb") as binary:
        day = snapshot_date(options, formats.published(layout, binary))
    marking = Marking(options.get("marking") or Marking.PUBLIC)
    given = options.get("rel_to") or []
    try:  # the upload form sends the codes as typed, the API as a list
        codes = parse_rel_to(given) if isinstance(given, str) else [str(c) for c in given]
    except ValueError as exc:
        raise Invalid(f"rel_to: {exc}") from None
    with path.open("rb") as binary:

        def between_batches(read: int) -> None:
            hooks.progress(read, binary.tell())
            hooks.check()  # between batches: every batch before is whole

        summary = ingest.import_snapshot(
            engine,
            principal,
            binary,
            list_code=code,
            taken_on=day,
            sha256=ingest.file_digest(path),
            run_key=key,
            marking=marking,
            rel_to=codes,
            on_reject=lambda line, reason: hooks.reject(line, reason, ""),
            between_batches=between_batches,
            layout=layout,
        )
    hooks.progress(summary.read, path.stat().st_size)
    broken = None
    if summary.broken is not None:
        broken = summary.broken_message("the file")
    found = {"list": code, "snapshot_date": day.isoformat(), "delisted": summary.delisted}
    return Outcome(summary.counts(), found, broken)


IMPORTER = Importer(
    name="sanctions",
    label="Sanctions list (OFAC, EU, UK, Swiss, Canadian, Australian or FtM entities)",
    layouts=list(formats.FORMAT_NAMES),
    page="/sanctions",
    marking=Marking.PUBLIC,
    guess=guess,
    preview=preview,
    run=run,
    options=("list", "snapshot_date", "marking", "rel_to"),
)
