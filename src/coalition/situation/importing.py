"""The territory importer as the browser, the API and the job queue use it.

:data:`IMPORTER` reads a GeoJSON territory file (one day's polygon, dated features, or a
gzip-compressed history; :mod:`coalition.situation.layouts`). It previews a stored file
(its first snapshots' days, layers, parts and vertices, and the first features refused,
nothing written) and runs it whole through :func:`coalition.situation.ingest.
import_territory`. Options: ``source`` (required), ``date`` (a one-day file's day,
YYYY-MM-DD), ``method``, ``marking`` (default COALITION) and ``rel_to``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shapely

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
from coalition.situation import geometry, ingest, layouts, territory

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from coalition.core.principal import Principal

LAYOUT = "geojson"
PREVIEW_GROUPS = 30
SHOWN = ["date", "layer", "parts", "vertices", "area_km2"]


def guess(sniffed: Sniffed) -> str | None:
    """GeoJSON whose first bytes name a polygon."""
    if sniffed.kind is Kind.GEOJSON and (
        b'"Polygon"' in sniffed.head or b'"MultiPolygon"' in sniffed.head
    ):
        return LAYOUT
    return None


def _options(options: Mapping[str, Any]) -> tuple[str, dt.date | None]:
    source = str(options.get("source") or "")
    if not source:
        raise Invalid("source: name the map this file is from (e.g. deepstatemap)")
    territory.check_source(source)
    given = options.get("date")
    if not given:
        return source, None
    try:
        return source, dt.date.fromisoformat(str(given))
    except ValueError:
        raise Invalid("date is YYYY-MM-DD") from None


def _layout(layout: str) -> None:
    if layout != LAYOUT:
        raise Invalid(f"territory files are {LAYOUT}, not {layout!r}")


def preview(
    session: Session, principal: Principal, path: Path, layout: str, options: Mapping[str, Any]
) -> Preview:
    _layout(layout)
    day = None
    note = ""
    try:
        _, day = _options(options)
    except Invalid as exc:
        note = str(exc)
    rows: list[tuple[int, list[str]]] = []
    problems: list[tuple[int, str]] = []
    read = 0
    with path.open("rb") as binary:
        found = layouts.grouped(layouts.read(binary, day=day, name=path.name))
        for item in itertools.islice(found, PREVIEW_GROUPS):
            read += 1
            if isinstance(item, layouts.Refused):
                problems.append((item.index, item.reason))
                continue
            if len(rows) < PREVIEW_ROWS:
                rows.append(
                    (
                        item.indices[0],
                        [
                            item.day.isoformat(),
                            item.layer.value,
                            str(len(shapely.get_parts(item.geometry))),
                            str(int(shapely.get_num_coordinates(item.geometry))),
                            f"{geometry.area_km2(item.geometry):,.1f}",
                        ],
                    )
                )
    return Preview(
        layout=LAYOUT,
        columns=["features"],
        mapping={"features": "date, layer and shape"},
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
    _layout(layout)
    source, day = _options(options)
    given = options.get("rel_to") or []
    try:  # the upload form sends the codes as typed, the API as a list
        codes = parse_rel_to(given) if isinstance(given, str) else [str(c) for c in given]
    except ValueError as exc:
        raise Invalid(f"rel_to: {exc}") from None
    labels = territory.Labels(
        method=str(options.get("method") or ""),
        marking=Marking(options.get("marking") or Marking.COALITION),
        rel_to=codes,
        run_key=key,
    )
    with path.open("rb") as binary:

        def between(summary: ingest.Summary) -> None:
            hooks.progress(summary.read, binary.tell())
            hooks.check()  # between snapshots: every one before is whole

        summary = ingest.import_territory(
            engine,
            principal,
            binary,
            source,
            labels,
            day=day,
            name=path.name,
            on_reject=lambda index, reason: hooks.reject(index, reason, ""),
            between=between,
        )
    hooks.progress(summary.read, path.stat().st_size)
    found = {"source": source, "days": len(set(summary.days)), "repairs": len(summary.repairs)}
    return Outcome(summary.counts(), found, summary.broken or None)


IMPORTER = Importer(
    name="territory",
    label="Territory snapshots (GeoJSON: one day, dated features, or a gzip history)",
    layouts=[LAYOUT],
    page="/situation",
    marking=Marking.COALITION,
    guess=guess,
    preview=preview,
    run=run,
    options=("source", "date", "method", "marking", "rel_to"),
)
