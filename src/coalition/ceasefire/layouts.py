"""Reading report files in the layouts Coalition accepts. Pure; no database, no web.

Every reader yields :class:`Record` objects one at a time (memory stays bounded whatever
the file's size), each with the line it started on and either the fields in the
canonical layout (lower-case names, see ``docs/ceasefire.md``) or the reason it was
refused. Files may be gzip-compressed and UTF-8 or UTF-16 (with or without a byte order
mark); column names are matched in either case; extra columns are ignored.
"""

from __future__ import annotations

import codecs
import csv
import enum
import gzip
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, cast

from coalition.ceasefire.fields import DateOrder, date_order_of
from coalition.core.textfiles import detect_encoding

csv.field_size_limit(1_000_000)


class Layout(enum.StrEnum):
    CSV = "csv"
    GEOJSON = "geojson"
    UCDP = "ucdp"
    ACLED = "acled"


@dataclass(frozen=True)
class Record:
    line: int
    fields: dict[str, str] | None
    error: str | None = None
    # The file broke off here: nothing after it was read, so the import must fail.
    broken: bool = False
    # Read, and not a violation (a protest, an agreement): not stored, not a reject.
    skipped: bool = False


def open_text(binary: IO[bytes], name: str = "the file") -> io.TextIOWrapper:
    """Wrap a binary stream as text, undoing gzip and finding its encoding.

    A file (seekable) is tried whole (:func:`coalition.core.textfiles.detect_encoding`):
    UTF-8, UTF-16 or a single-byte code page a spreadsheet re-saved it in, else refused
    before a record is read. A pipe is read as its first bytes say, UTF-8 by default.
    """
    head = binary.peek(4)[:4] if hasattr(binary, "peek") else b""
    if head[:2] == b"\x1f\x8b":
        reader = io.BufferedReader(cast(Any, gzip.GzipFile(fileobj=binary)))
        binary = reader
        head = reader.peek(4)[:4]
    if binary.seekable():
        encoding = detect_encoding(binary, name)
    elif head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        encoding = "utf-16"
    elif head[:3] == codecs.BOM_UTF8:
        encoding = "utf-8-sig"
    elif len(head) >= 2 and head[1:2] == b"\x00" and head[0:1] != b"\x00":
        encoding = "utf-16-le"
    elif len(head) >= 2 and head[0:1] == b"\x00" and head[1:2] != b"\x00":
        encoding = "utf-16-be"
    else:
        encoding = "utf-8"
    return io.TextIOWrapper(cast(Any, binary), encoding=encoding, errors="strict", newline="")


_TRUNCATED = (EOFError, csv.Error, UnicodeDecodeError, OSError)


def _csv_rows(text: IO[str]) -> Iterator[tuple[int, dict[str, str] | None, str | None]]:
    """(first line, cells by lower-case column, error) for each record of a CSV file."""
    reader = csv.reader(text, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return
    except _TRUNCATED as exc:
        yield 1, None, f"cannot read the header: {exc}"
        return
    names = [h.strip().lower() for h in header]
    if len(set(n for n in names if n)) != len([n for n in names if n]):
        yield 1, None, "the header names a column twice"
        return
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except _TRUNCATED as exc:
            yield line, None, f"the file ends or breaks inside this record ({exc})"
            return
        if not cells or all(not c.strip() for c in cells):
            line = reader.line_num + 1
            continue
        if len(cells) != len(names):
            yield line, None, f"{len(cells)} cells where the header has {len(names)}"
        else:
            yield line, {n: c for n, c in zip(names, cells, strict=True) if n}, None
        line = reader.line_num + 1


def _with_lookahead(
    rows: Iterator[tuple[int, dict[str, str] | None, str | None]],
) -> Iterator[tuple[int, dict[str, str] | None, str | None]]:
    # A record is released only once the next one (or a clean end) has been read: when
    # the file breaks off, the record read just before the break may itself be cut short
    # and is refused rather than stored half.
    pending = None
    for row in rows:
        if row[2] is not None and row[2].startswith("the file ends") and pending is not None:
            yield pending[0], None, "the file breaks off just after this record; it may be cut"
            pending = None
        if pending is not None:
            yield pending
        pending = row
    if pending is not None:
        yield pending


# How the readers word a break: what follows it was never read.
_BREAKS = ("the file ends or breaks", "cannot read the header")


def _record(line: int, cells: dict[str, str] | None, error: str | None) -> Record:
    broken = error is not None and error.startswith(_BREAKS)
    return Record(line, cells, error, broken)


def read_canonical_csv(text: IO[str]) -> Iterator[Record]:
    for line, cells, error in _with_lookahead(_csv_rows(text)):
        yield _record(line, cells, error)


def read_geojson(text: IO[str]) -> Iterator[Record]:
    """A FeatureCollection, or one Feature per line (GeoJSON Text Sequences), streamed."""
    try:
        first = text.readline()
    except _TRUNCATED as exc:
        yield Record(1, None, f"cannot read the file: {exc}", broken=True)
        return
    try:
        single = json.loads(first.strip().lstrip("\x1e") or "null")
    except ValueError:
        single = None
    if isinstance(single, dict) and single.get("type") == "Feature":
        yield from _geojson_lines(first, text)
        return
    try:
        document = json.loads(first + text.read())
    except (ValueError, *_TRUNCATED) as exc:
        yield Record(1, None, f"not a GeoJSON document: {exc}", broken=True)
        return
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        yield Record(1, None, "a GeoJSON FeatureCollection with a features list is expected")
        return
    for n, feature in enumerate(features, 1):
        yield _feature(n, feature)


def _geojson_lines(first: str, text: IO[str]) -> Iterator[Record]:
    line_no, current = 1, first
    while current:
        body = current.strip().lstrip("\x1e")
        if body:
            try:
                feature = json.loads(body)
            except ValueError as exc:
                yield Record(line_no, None, f"not a GeoJSON feature (cut short?): {exc}")
            else:
                yield _feature(line_no, feature)
        try:
            current = text.readline()
        except _TRUNCATED as exc:
            yield Record(line_no + 1, None, f"the file ends or breaks here ({exc})", broken=True)
            return
        line_no += 1


def _feature(n: int, feature: object) -> Record:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return Record(n, None, "not a GeoJSON Feature")
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        return Record(n, None, "a report's geometry must be a Point")
    coords = geometry.get("coordinates")
    if not isinstance(coords, list) or len(coords) < 2:
        return Record(n, None, "a Point needs [longitude, latitude]")
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        return Record(n, None, "properties must be an object")
    fields = {str(k).strip().lower(): "" if v is None else str(v) for k, v in props.items()}
    fields["longitude"], fields["latitude"] = str(coords[0]), str(coords[1])
    return Record(n, fields)


# --- UCDP GED --------------------------------------------------------------------------

# UCDP's where_prec (1 = exact place … 7 = only the country) as a radius in metres.
UCDP_PRECISION = {
    "1": 1_000,
    "2": 25_000,
    "3": 50_000,
    "4": 100_000,
    "5": 200_000,
    "6": 500_000,
    "7": 1_000_000,
}
UCDP_REQUIRED = ("id", "date_start", "latitude", "longitude", "best")


def _region(name: str) -> str:
    return re.sub(r"\s+(oblast|oblast'|region|province)$", "", name.strip(), flags=re.I)


def ucdp_record(cells: dict[str, str]) -> dict[str, str]:
    """A UCDP GED event as a report in the canonical layout."""
    clarity = cells.get("event_clarity", "").strip()
    sides = " – ".join(s for s in (cells.get("side_a", ""), cells.get("side_b", "")) if s)
    text = "; ".join(
        s.strip()
        for s in (cells.get("conflict_name", ""), sides, cells.get("source_headline", ""))
        if s and s.strip()
    )
    return {
        "source_kind": "open_source",
        "source_name": "UCDP GED",
        "source_id": cells["id"],
        # A curated academic dataset: usually reliable; event_clarity 1 is a clear event.
        "reliability": "B",
        "credibility": "2" if clarity == "1" else "3",
        # The day only: a re-save writes "3/3/2015 12:00:00 AM", the export "2015-03-03".
        "occurred_at": cells["date_start"].strip().split(" ")[0].split("T")[0],
        "received_at": "",
        "latitude": cells["latitude"],
        "longitude": cells["longitude"],
        "precision_m": str(UCDP_PRECISION.get(cells.get("where_prec", "").strip(), 25_000)),
        "region": _region(cells.get("adm_1", "")),
        "type": "other",  # GED records violence, not the weapon used
        "weapon": "",
        "attribution": "",
        "casualties": cells["best"],
        "text": text[:20_000],
        "time_precision": "day",  # GED gives the day an event began, never the time
    }


# --- ACLED -----------------------------------------------------------------------------

# ACLED's sub-event types (its codebook, 2024) as the platform's incident types. A ceasefire
# is broken by violence between the parties; protests, riots and most strategic
# developments are not violations and are not stored (the import counts them apart).
ACLED_TYPES: dict[str, str | None] = {
    # Battles
    "armed clash": "small_arms",
    "government regains territory": "ground_assault",
    "non-state actor overtakes territory": "ground_assault",
    # Explosions/Remote violence
    "shelling/artillery/missile attack": "shelling",
    "air/drone strike": "air_strike",
    "remote explosive/landmine/ied": "other",
    "grenade": "small_arms",
    "suicide bomb": "other",
    "chemical weapon": "other",
    # Violence against civilians
    "attack": "small_arms",
    "abduction/forced disappearance": "other",
    "sexual violence": "other",
    # Strategic developments: an intercepted drone or missile is still an attack
    "disrupted weapons use": "air_strike",
    "agreement": None,
    "arrests": None,
    "change to group/activity": None,
    "headquarters or base established": None,
    "looting/property destruction": None,
    "non-violent transfer of territory": None,
    "other": None,
    # Protests and riots
    "peaceful protest": None,
    "protest with intervention": None,
    "excessive force against protesters": None,
    "violent demonstration": None,
    "mob violence": None,
}
# Event types whose every sub-event is not a violation, for sub-event types added later.
ACLED_NOT_VIOLATIONS = frozenset({"protests", "riots", "strategic developments"})
ACLED_PRECISION = {"1": 1_000, "2": 25_000, "3": 100_000}
ACLED_REQUIRED = ("event_id_cnty", "event_date", "latitude", "longitude", "sub_event_type")


class NotAViolation(Exception):
    """The record is real but is no ceasefire violation (a protest, an agreement)."""


def acled_record(cells: dict[str, str]) -> dict[str, str]:
    """An ACLED event as a report in the canonical layout; raises :class:`NotAViolation`
    for the event types that are none."""
    sub = cells.get("sub_event_type", "").strip().lower()
    event = cells.get("event_type", "").strip().lower()
    notes = cells.get("notes", "")
    mapped = ACLED_TYPES.get(sub, None if event in ACLED_NOT_VIOLATIONS else "other")
    if mapped is None:
        label = cells.get("sub_event_type", "").strip() or cells.get("event_type", "").strip()
        raise NotAViolation(f"ACLED {label[:60]!r} is not a ceasefire violation")
    kind = mapped
    if kind == "air_strike" and re.search(r"\b(drone|uav|shahed|fpv|geran)", notes, re.I):
        kind = "drone_strike"
    elif sub == "disrupted weapons use" and re.search(r"\bmissile", notes, re.I):
        kind = "missile"
    if kind == "shelling" and re.search(r"\bmissile", notes, re.I):
        kind = "missile"
    return {
        "source_kind": "open_source",
        "source_name": "ACLED",
        "source_id": cells["event_id_cnty"],
        "reliability": "B",
        "credibility": "3",
        "occurred_at": cells["event_date"],
        "received_at": "",
        "latitude": cells["latitude"],
        "longitude": cells["longitude"],
        "precision_m": str(ACLED_PRECISION.get(cells.get("geo_precision", "").strip(), 25_000)),
        "region": _region(cells.get("admin1", "")),
        "type": kind,
        "weapon": cells.get("sub_event_type", "")[:120],
        "attribution": cells.get("actor1", "")[:80],
        "casualties": cells.get("fatalities", "") or "0",
        "text": notes[:20_000],
        "time_precision": "day",  # ACLED codes events by day
    }


def _mapped(
    text: IO[str], required: tuple[str, ...], convert: object, name: str
) -> Iterator[Record]:
    for line, cells, error in _with_lookahead(_csv_rows(text)):
        if cells is None:
            yield _record(line, None, error)
            continue
        missing = [c for c in required if not (cells.get(c) or "").strip()]
        if missing:
            yield Record(line, None, f"{name}: missing {', '.join(missing)}")
            continue
        try:
            yield Record(line, convert(cells))  # type: ignore[operator]
        except NotAViolation as exc:
            yield Record(line, None, str(exc), skipped=True)


def date_order(binary: IO[bytes], name: str = "the file") -> DateOrder | None:
    """The order of day and month the file's unambiguous numeric dates show, from one pass
    over it (see :func:`~coalition.ceasefire.fields.date_order_of`); ``None`` when nothing
    tells, the dates disagree, or the stream cannot be read twice."""
    if not binary.seekable():
        return None
    found: DateOrder | None = None
    try:
        text = open_text(binary, name)
        try:
            found = date_order_of(iter(lambda: text.read(1 << 20), ""))
        finally:
            text.detach()
    except _TRUNCATED:
        found = None  # the import itself reports the break
    binary.seek(0)
    return found


def read(layout: Layout, binary: IO[bytes], name: str = "the file") -> Iterator[Record]:
    """Every record of a file in ``layout``, in file order; raises
    :class:`~coalition.core.textfiles.UnreadableText` before the first record if no
    encoding reads the whole file."""
    try:
        text = open_text(binary, name)
    except _TRUNCATED as exc:
        yield Record(
            1, None, f"the file ends or breaks before its first record ({exc})", broken=True
        )
        return
    try:
        if layout is Layout.CSV:
            yield from read_canonical_csv(text)
        elif layout is Layout.GEOJSON:
            yield from read_geojson(text)
        elif layout is Layout.UCDP:
            yield from _mapped(text, UCDP_REQUIRED, ucdp_record, "UCDP GED")
        else:
            yield from _mapped(text, ACLED_REQUIRED, acled_record, "ACLED")
    finally:
        # The caller opened the file and closes it; the wrapper lets go without closing.
        if not text.closed:
            text.detach()
