"""Reading territory files as map publishers publish them. Pure: no database, no web.

A territory file is GeoJSON (RFC 7946, so UTF-8), maybe gzip-compressed (told by its first
two bytes, never by its name), in one of these layouts (``docs/situation.md``):

- **one day**: a bare Polygon or MultiPolygon, a Feature holding one, or a
  FeatureCollection of one or several; the day is the caller's (``--date``) or a date in
  the file name (``deepstate-2026-01-01.geojson``, ``2026_01_01.json``, ``20260101.geojson``);
- **a history**: a FeatureCollection whose features each carry their day in a property
  (:data:`DATE_KEYS`) and optionally their layer (:data:`LAYER_KEYS`);
- either of these as a sequence of JSON values (one per line: JSON lines), or a JSON array
  of features.

:func:`read` streams the file with ``ijson`` (one feature in memory at a time) and yields a
:class:`Piece` per polygonal feature or a :class:`Refused` with the reason; a refusal
marked ``broken`` means the file itself broke off or is not a territory file, and nothing
after it was read. :func:`grouped` repairs each piece (:func:`geometry.repair`) and unites
the pieces of one day and layer into a :class:`Group`, yielded as soon as the stream moves
on to another day.
"""

from __future__ import annotations

import codecs
import enum
import gzip
import io
import re
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import PurePath
from typing import IO, Any, cast

import ijson
import numpy as np
import shapely
from shapely.errors import ShapelyError
from shapely.geometry import shape

from coalition.situation.geometry import Polygonal, repair

HEAD_BYTES = 64 * 1024  # what is read first to tell the layout
# Refused beyond these (decompressed): a history of 600 days of a detailed front is well
# under a gigabyte, and a feature of two million vertices about 50 MB.
FILE_LIMIT = 2 * 1024**3
FEATURE_LIMIT = 256 * 1024**2
# A file whose first this-many features are all points or lines is not a territory file.
NOT_TERRITORY_AFTER = 100

DATE_KEYS = ("date", "day", "datetime", "updated_at")
LAYER_KEYS = ("status", "layer", "control")


class Layer(enum.StrEnum):
    HELD = "held"
    CONTESTED = "contested"
    CLAIMED = "claimed"


# Map publishers' words for a layer, folded (lower case, "_" and "-" as spaces).
LAYER_WORDS: dict[str, Layer] = {
    **dict.fromkeys(
        (
            "held",
            "occupied",
            "temporarily occupied",
            "occupation",
            "control",
            "controlled",
            "under control",
            "assessed control",
            "assessed russian control",
            "russian control",
        ),
        Layer.HELD,
    ),
    **dict.fromkeys(
        (
            "contested",
            "grey zone",
            "gray zone",
            "greyzone",
            "grayzone",
            "grey",
            "gray",
            "disputed",
            "assessed russian advances",
            "russian advances",
        ),
        Layer.CONTESTED,
    ),
    **dict.fromkeys(
        (
            "claimed",
            "claim",
            "claimed control",
            "claimed russian control",
            "russian claimed control",
            "russian claimed",
            "claimed territory",
        ),
        Layer.CLAIMED,
    ),
}


@dataclass(frozen=True)
class Piece:
    """One polygonal feature as read: its 1-based position in the file, day and layer."""

    index: int
    day: date
    layer: Layer
    geometry: shapely.Geometry


@dataclass(frozen=True)
class Refused:
    """A feature (or, at index 0, the file) that cannot be read, and why.

    ``broken``: the file broke off or is not a territory file; nothing after was read."""

    index: int
    reason: str
    broken: bool = False


@dataclass(frozen=True)
class Group:
    """The pieces of one day and layer, each repaired, united into one valid shape."""

    day: date
    layer: Layer
    geometry: Polygonal
    indices: tuple[int, ...]
    notes: tuple[str, ...]  # what repair did, as "feature 3: self-intersecting ring repaired"
    # Pieces of this day and layer that could not be repaired (each also yielded as a
    # Refused): the group is then short of them.
    refused: tuple[int, ...] = field(default=())


# --- dates -------------------------------------------------------------------------------

_NAME_DATE = re.compile(r"(?<!\d)(\d{4})([-_.]?)(\d{2})\2(\d{2})(?!\d)")
_DAY_FIRST = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_FIRST_YEAR, _LAST_YEAR = 1900, 2100


def day_in_name(name: str) -> date | None:
    """The date a file's name holds (year first, with ``-``, ``_``, ``.`` or nothing
    between the parts; the last one when it holds several), or None."""
    found = None
    for match in _NAME_DATE.finditer(PurePath(name).name):
        year, _, month, day = match.groups()
        try:
            found = date(int(year), int(month), int(day))
        except ValueError:
            continue
    return found


def parse_day(value: object) -> date:
    """The UTC day a date property names; ValueError with the reason when it names none.

    Accepted: an ISO 8601 date (``2026-01-01``, ``20260101``), an ISO 8601 date and time
    (with an offset, the UTC day of that moment; without one, taken as UTC), a day-first
    date with dots (``01.01.2026``), and seconds (or, above 10¹¹, milliseconds) since
    1970 as a number.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(f"the date {value!r} is not a date")
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 1e11 else value
        try:
            moment = datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise ValueError(f"the timestamp {value!r} is no moment ({exc})") from exc
        return _sane(moment.date(), value)
    if not isinstance(value, str):
        raise ValueError(f"the date {value!r} is not a date")
    text = value.strip()
    if match := _DAY_FIRST.fullmatch(text):
        dd, mm, yyyy = (int(g) for g in match.groups())
        try:
            return _sane(date(yyyy, mm, dd), value)
        except ValueError as exc:
            raise ValueError(f"the date {value!r} is no day ({exc})") from exc
    try:
        if len(text) <= 10 and "T" not in text and " " not in text:
            return _sane(date.fromisoformat(text), value)
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except _OutOfRange:
        raise
    except ValueError as exc:
        raise ValueError(
            f"the date {value!r} is neither ISO 8601 (2026-01-01, 2026-01-01T06:00:00Z) "
            "nor day-first with dots (01.01.2026)"
        ) from exc
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return _sane(moment.date(), value)


class _OutOfRange(ValueError):
    pass


def _sane(day: date, value: object) -> date:
    if not _FIRST_YEAR <= day.year <= _LAST_YEAR:
        raise _OutOfRange(f"the date {value!r} is out of range ({_FIRST_YEAR}–{_LAST_YEAR})")
    return day


def layer_of(word: str) -> Layer:
    """Our layer for a publisher's word (:data:`LAYER_WORDS`); ValueError for another."""
    folded = " ".join(re.sub(r"[_\-]+", " ", word).lower().split())
    try:
        return LAYER_WORDS[folded]
    except KeyError:
        raise ValueError(
            f"the layer {word!r} is none of held (occupied), contested (grey zone) or claimed"
        ) from None


# --- the byte stream ---------------------------------------------------------------------


class _TooLarge(Exception):
    pass


class _Capped(io.RawIOBase):
    """A stream read through: a head already read first, bytes counted and capped."""

    def __init__(self, head: bytes, rest: IO[bytes], *, features: bool = False) -> None:
        self._head = head
        self._rest = rest
        self._features = features  # whether to hold each feature to FEATURE_LIMIT
        self.total = 0
        self.mark = 0  # where the feature being read began

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._head:
            n = min(len(view), len(self._head))
            view[:n] = self._head[:n]
            self._head = self._head[n:]
        else:
            chunk = self._rest.read(len(view))
            n = len(chunk)
            view[:n] = chunk
        self.total += n
        if self.total > FILE_LIMIT:
            raise _TooLarge(f"the file is larger than {FILE_LIMIT // 1024**2:,} MB decompressed")
        if self._features and self.total - self.mark > FEATURE_LIMIT:
            raise _TooLarge(f"a feature is larger than {FEATURE_LIMIT // 1024**2:,} MB")
        return n


def _read_head(stream: IO[bytes], size: int) -> bytes:
    parts: list[bytes] = []
    got = 0
    while got < size:
        chunk = stream.read(size - got)
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def _open(binary: IO[bytes]) -> tuple[bytes, IO[bytes]]:
    """(the first decompressed bytes, a stream of the rest of the decompressed file)."""
    magic = _read_head(binary, 2)
    # Compressed bytes are capped too: a stream of gzip members may hold no end.
    raw: IO[bytes] = io.BufferedReader(_Capped(magic, binary))
    if magic == b"\x1f\x8b":
        raw = cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb"))
    head = _read_head(raw, HEAD_BYTES)
    return head, raw


def _encoding_problem(head: bytes) -> str | None:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "the file is UTF-16 text; GeoJSON is UTF-8 (RFC 7946): save it as UTF-8"
    if b"\x00" in head:  # JSON text holds no NUL byte; UTF-16 text is half NULs
        return (
            "the file holds NUL bytes: UTF-16 text (GeoJSON is UTF-8, RFC 7946: save it as "
            "UTF-8) or not text at all"
        )
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not a character cut at the end of the head
            return (
                f"the file is not UTF-8 (byte 0x{head[exc.start]:02x} at offset {exc.start}; "
                "Latin-1 or a Windows code page?); GeoJSON is UTF-8 (RFC 7946): save it as UTF-8"
            )
    return None


# --- what the file is --------------------------------------------------------------------

_KIND_BY_KEY = {
    "features": "FeatureCollection",
    "geometry": "Feature",
    "properties": "Feature",
    "coordinates": "Geometry",
    "geometries": "GeometryCollection",
}


def _kind(head: bytes) -> str:
    """What the first JSON value is: a GeoJSON type, "array", or "" when the head does
    not tell; ValueError when it is not JSON."""
    key_is_type = False
    try:
        for prefix, event, value in ijson.parse(io.BytesIO(head), multiple_values=True):
            if prefix == "" and event == "start_array":
                return "array"
            if prefix == "" and event == "map_key":
                if value == "type":
                    key_is_type = True
                elif value in _KIND_BY_KEY:
                    return _KIND_BY_KEY[value]
            elif key_is_type and prefix == "type":
                return str(value) if event == "string" else f"a {event} type"
            elif prefix == "" and event not in ("start_map", "end_map"):
                return f"a bare {event}"
    except ijson.JSONError as exc:
        if len(head) < HEAD_BYTES or "premature EOF" not in str(exc):
            raise ValueError(f"the file is not JSON ({_first_line(exc)})") from exc
    return ""


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


_GEOMETRIES = {"Polygon", "MultiPolygon", "GeometryCollection"}
_OTHER_GEOMETRIES = {"Point", "MultiPoint", "LineString", "MultiLineString"}


def read(
    binary: IO[bytes], *, day: date | None = None, name: str = ""
) -> Iterator[Piece | Refused]:
    """Each feature of a territory file as a :class:`Piece`, or a :class:`Refused`.

    The day of a feature is its own date property; else ``day`` (the caller's ``--date``);
    else the date in ``name``. When ``day`` is given, a feature dated otherwise is refused
    (the caller and the file disagree). The layer is the feature's layer property, held
    when it has none.
    """
    try:
        head, stream = _open(binary)
    except (OSError, EOFError, zlib.error, _TooLarge) as exc:
        yield Refused(0, f"the file cannot be decompressed ({exc})", broken=True)
        return
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    if not head.strip():
        yield Refused(0, "the file is empty", broken=True)
        return
    if problem := _encoding_problem(head):
        yield Refused(0, problem, broken=True)
        return
    try:
        kind = _kind(head)
    except ValueError as exc:
        yield Refused(0, str(exc), broken=True)
        return
    if kind == "FeatureCollection":
        prefix = "features.item"
    elif kind == "array":
        prefix = "item"
    elif kind == "Feature" or kind in _GEOMETRIES or kind in _OTHER_GEOMETRIES:
        prefix = ""
    elif kind == "Topology":
        yield Refused(0, "a TopoJSON Topology, not GeoJSON: convert it to GeoJSON", broken=True)
        return
    elif not kind:
        yield Refused(0, f"the first {HEAD_BYTES // 1024} kB name no GeoJSON type", broken=True)
        return
    else:
        yield Refused(0, f"the file holds {_a(kind)}, not territory GeoJSON", broken=True)
        return
    fallback = day if day is not None else day_in_name(name)
    # The decompressed text from its start, counted and capped as a whole and by feature.
    counter = _Capped(head, stream, features=True)
    yield from _pieces(counter, prefix, day, fallback)


def _a(kind: str) -> str:
    return kind if kind.startswith("a ") else f"a {kind}"


_NOT_POLYGON = tuple(
    f"a {kind}, not" for kind in ("Point", "MultiPoint", "LineString", "MultiLineString")
)


def _pieces(
    counter: _Capped, prefix: str, given: date | None, fallback: date | None
) -> Iterator[Piece | Refused]:
    body = io.BufferedReader(counter)
    index = 0
    polygons = 0
    other = 0
    try:
        # Each value at the prefix in each top-level value: in a sequence whose first
        # value is a FeatureCollection, the features of every collection in it (and
        # nothing of a value of another kind; docs/situation.md says so).
        for item in ijson.items(body, prefix, multiple_values=True, use_float=True):
            index += 1
            counter.mark = counter.total
            result = _piece(index, item, given, fallback)
            if isinstance(result, Piece):
                polygons += 1
            elif result.reason.startswith(_NOT_POLYGON):
                other += 1
            yield result
            if polygons == 0 and other >= NOT_TERRITORY_AFTER:
                yield Refused(
                    0,
                    f"the first {other} features are points or lines, not polygons: "
                    "this is not a territory file (a file of reports?)",
                    broken=True,
                )
                return
    except _TooLarge as exc:
        yield Refused(index + 1, f"{exc}; nothing after it was read", broken=True)
        return
    except (ijson.JSONError, OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        text = str(exc)
        if "invalid bytes in UTF8" in text:
            reason = "the file is not UTF-8 (Latin-1 or a Windows code page?); save it as UTF-8"
        elif "premature EOF" in text or isinstance(exc, EOFError):
            reason = "the file ends in the middle of a feature (cut short?)"
        else:
            reason = f"the file is not valid JSON here ({_first_line(exc)})"
        yield Refused(index + 1, f"{reason}; nothing after it was read", broken=True)
        return
    if index == 0:
        yield Refused(0, "the file holds no features", broken=True)


def _piece(index: int, item: object, given: date | None, fallback: date | None) -> Piece | Refused:
    if not isinstance(item, dict):
        return Refused(index, f"a JSON {type(item).__name__}, not a GeoJSON feature")
    kind = item.get("type")
    if kind == "Feature" or (kind is None and "geometry" in item):
        geometry = item.get("geometry")
        properties = item.get("properties") or {}
    elif kind in _GEOMETRIES or kind in _OTHER_GEOMETRIES:
        geometry, properties = item, {}
    elif kind == "FeatureCollection":
        return Refused(index, "a FeatureCollection where a feature was expected")
    else:
        return Refused(index, f"a {kind!r} object, not a GeoJSON feature or geometry")
    if not isinstance(properties, dict):
        return Refused(index, "its properties are not a JSON object")
    try:
        layer = _layer(properties)
        day = _day(properties, given, fallback)
        if not isinstance(geometry, dict):
            raise ValueError("a feature without geometry")
        return Piece(index, day, layer, _shape(geometry))
    except ValueError as exc:
        return Refused(index, str(exc))


def _layer(properties: dict[str, Any]) -> Layer:
    for key in LAYER_KEYS:
        if properties.get(key) not in (None, ""):
            return layer_of(str(properties[key]))
    return Layer.HELD


def _day(properties: dict[str, Any], given: date | None, fallback: date | None) -> date:
    for key in DATE_KEYS:
        if properties.get(key) not in (None, ""):
            own = parse_day(properties[key])
            if given is not None and own != given:
                raise ValueError(f"the feature is dated {own}, but the date given is {given}")
            return own
    if fallback is None:
        raise ValueError(
            f"no date: the feature has no {', '.join(DATE_KEYS)} property, the file name "
            "holds no date, and no date was given (--date)"
        )
    return fallback


def _ring(coordinates: Any) -> np.ndarray:
    try:
        xy = np.asarray(coordinates, dtype=np.float64)
    except (ValueError, TypeError):
        xy = np.empty((0, 0))
    if xy.ndim != 2 or xy.shape[1] < 2 or len(xy) < 4:
        raise ValueError(
            "a ring that is not a list of at least 4 [longitude, latitude] pairs of numbers"
        )
    return xy[:, :2]


def _polygon(rings: Any) -> shapely.Polygon:
    if not isinstance(rings, list) or not rings:
        raise ValueError("a polygon that is not a list of rings")
    return shapely.Polygon(_ring(rings[0]), [_ring(r) for r in rings[1:]])


def _shape(geometry: dict[str, Any]) -> shapely.Geometry:
    kind = geometry.get("type")
    if kind in _OTHER_GEOMETRIES:
        raise ValueError(f"a {kind}, not a polygon: a territory is a Polygon or MultiPolygon")
    if kind not in _GEOMETRIES:
        raise ValueError(f"a geometry of type {kind!r}, not a Polygon or MultiPolygon")
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        return _polygon(coordinates)
    if kind == "MultiPolygon":
        if not isinstance(coordinates, list):
            raise ValueError("a MultiPolygon whose coordinates are not a list")
        return shapely.MultiPolygon([_polygon(p) for p in coordinates])
    try:
        return shape(geometry)
    except (TypeError, ValueError, IndexError, KeyError, AttributeError, ShapelyError) as exc:
        raise ValueError(f"a malformed {kind} ({_first_line(exc)})") from exc


# --- one shape per day and layer ---------------------------------------------------------


@dataclass
class _Open:
    parts: list[shapely.Geometry] = field(default_factory=list)
    indices: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)


def grouped(items: Iterable[Piece | Refused], *, hold: int = 1) -> Iterator[Group | Refused]:
    """One :class:`Group` per day and layer, each piece repaired and the pieces united.

    Refusals pass through, and so does a piece that cannot be repaired (as a Refused with
    the reason). At most ``hold`` days are open at once: when a piece of another day would
    open one more, the day that has gone longest without a piece is closed and its groups
    yielded (so with ``hold=1``, each day as soon as the stream moves past it). A piece of
    a day already closed is refused: a file whose features of one day are not together
    (within ``hold`` days) cannot be read in one pass.
    """
    days: OrderedDict[date, dict[Layer, _Open]] = OrderedDict()
    closed: set[date] = set()
    for item in items:
        if isinstance(item, Refused):
            yield item
            continue
        if item.day in closed:
            yield Refused(
                item.index,
                f"a feature of {item.day}, a day already read and closed: the features "
                "of one day must come together in the file",
            )
            continue
        layers = days.setdefault(item.day, {})
        days.move_to_end(item.day)
        pending = layers.setdefault(item.layer, _Open())
        try:
            repaired, notes = repair(item.geometry)
        except ValueError as exc:
            pending.refused.append(item.index)
            yield Refused(item.index, str(exc))
        else:
            pending.parts.append(repaired)
            pending.indices.append(item.index)
            pending.notes.extend(f"feature {item.index}: {note}" for note in notes)
        while len(days) > hold:
            yield from _close(*days.popitem(last=False), closed)
    while days:
        yield from _close(*days.popitem(last=False), closed)


def _close(day: date, layers: dict[Layer, _Open], closed: set[date]) -> Iterator[Group]:
    closed.add(day)
    for layer in Layer:
        pending = layers.get(layer)
        if pending is None or not pending.parts:
            continue
        parts = pending.parts
        # Repaired parts are valid, and so is their union; repair only makes it one type.
        united = parts[0] if len(parts) == 1 else shapely.union_all(parts)
        if not isinstance(united, Polygonal):
            united, _ = repair(united)
        yield Group(
            day,
            layer,
            united,
            tuple(pending.indices),
            tuple(pending.notes),
            tuple(pending.refused),
        )
