"""Reading territory files: each layout in docs/situation.md, and hostile input refused
with a reason, never a crash. Files are built in memory; a property test feeds the reader
arbitrary bytes and cut or corrupted copies of a valid file."""

from __future__ import annotations

import gzip
import io
import json
from datetime import date
from typing import Any

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.situation import layouts
from coalition.situation.layouts import Group, Layer, Piece, Refused, grouped, parse_day, read

DAY = date(2026, 1, 1)


def _square(west: float, south: float, size: float = 0.5) -> list[list[list[float]]]:
    return [
        [
            [west, south],
            [west + size, south],
            [west + size, south + size],
            [west, south + size],
            [west, south],
        ]
    ]


def _multi(*squares: tuple[float, float]) -> dict[str, Any]:
    return {"type": "MultiPolygon", "coordinates": [_square(*s) for s in squares]}


def _feature(geometry: dict[str, Any] | None, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _collection(*features: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", **top, "features": list(features)}


def _read(data: bytes | dict[str, Any], **kwargs: Any) -> list[Piece | Refused]:
    raw = json.dumps(data).encode() if isinstance(data, dict) else data
    return list(read(io.BytesIO(raw), **kwargs))


def _only_refusal(items: list[Piece | Refused]) -> Refused:
    refusals = [i for i in items if isinstance(i, Refused)]
    assert refusals, items
    return refusals[0]


# --- one file per day --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "deepstate-2026-01-01.geojson",
        "2026_01_01.json",
        "/data/isw/20260101.geojson",
        "occupied.2026.01.01.geojson.gz",
    ],
)
def test_a_bare_multipolygon_takes_its_day_from_the_file_name(name: str) -> None:
    (piece,) = _read(_multi((37, 47), (38, 48)), name=name)
    assert isinstance(piece, Piece)
    assert (piece.index, piece.day, piece.layer) == (1, DAY, Layer.HELD)
    assert piece.geometry.geom_type == "MultiPolygon" and len(piece.geometry.geoms) == 2


def test_the_date_given_wins_over_the_file_name() -> None:
    (piece,) = _read(_multi((37, 47)), day=date(2026, 2, 3), name="map-2026-01-01.json")
    assert isinstance(piece, Piece) and piece.day == date(2026, 2, 3)


def test_a_feature_and_a_collection_of_features_are_one_day() -> None:
    (piece,) = _read(_feature(_multi((37, 47))), day=DAY)
    assert isinstance(piece, Piece) and piece.day == DAY
    items = _read(
        _collection(
            _feature(_multi((37, 47))),
            _feature({"type": "Polygon", "coordinates": _square(38, 48)}, status="grey zone"),
        ),
        day=DAY,
    )
    assert [(i.index, i.layer) for i in items if isinstance(i, Piece)] == [
        (1, Layer.HELD),
        (2, Layer.CONTESTED),
    ]


def test_a_day_needs_a_date_from_somewhere() -> None:
    refused = _only_refusal(_read(_multi((37, 47)), name="occupied.geojson"))
    assert refused.index == 1 and "no date" in refused.reason and "--date" in refused.reason


# --- histories ---------------------------------------------------------------------------


def test_a_history_carries_each_day_and_layer_in_properties() -> None:
    history = _collection(
        _feature(_multi((37, 47)), date="2026-01-01"),
        _feature(_multi((37, 47)), datetime="2026-01-02T23:30:00-02:00", status="occupied"),
        _feature(_multi((37, 47)), day="03.01.2026", layer="Grey_Zone"),
        _feature(_multi((37, 47)), updated_at="2026-01-04T06:00:00Z", control="claimed"),
    )
    items = _read(history)
    assert [(i.day, i.layer) for i in items if isinstance(i, Piece)] == [
        (date(2026, 1, 1), Layer.HELD),
        (date(2026, 1, 3), Layer.HELD),  # 23:30 at UTC−2 is 01:30 UTC the next day
        (date(2026, 1, 3), Layer.CONTESTED),
        (date(2026, 1, 4), Layer.CLAIMED),
    ]


def test_a_gzip_history_is_told_by_its_bytes_not_its_name() -> None:
    history = _collection(*(_feature(_multi((37, 47)), date=f"2026-01-0{d}") for d in (1, 2, 3)))
    data = gzip.compress(json.dumps(history).encode())
    items = list(read(io.BytesIO(data), name="history.json"))
    assert [i.day.day for i in items if isinstance(i, Piece)] == [1, 2, 3]


def test_json_lines_of_features_are_read_line_by_line() -> None:
    lines = b"\n".join(
        json.dumps(_feature(_multi((37, 47)), date=f"2026-01-0{d}")).encode() for d in (1, 2)
    )
    items = _read(lines)
    assert [(i.index, i.day.day) for i in items if isinstance(i, Piece)] == [(1, 1), (2, 2)]


def test_a_feature_dated_otherwise_than_the_date_given_is_refused() -> None:
    refused = _only_refusal(
        _read(_collection(_feature(_multi((37, 47)), date="2026-01-02")), day=DAY)
    )
    assert "dated 2026-01-02, but the date given is 2026-01-01" in refused.reason


@pytest.mark.parametrize(
    ("properties", "reason"),
    [
        ({"date": "next Tuesday"}, "neither ISO 8601"),
        ({"date": "31.02.2026"}, "is no day"),
        ({"date": "1066-10-14"}, "out of range"),
        ({"date": "2026-01-01", "status": "liberated"}, "'liberated' is none of held"),
    ],
)
def test_what_a_feature_says_of_itself_must_make_sense(
    properties: dict[str, Any], reason: str
) -> None:
    refused = _only_refusal(_read(_collection(_feature(_multi((37, 47)), **properties))))
    assert reason in refused.reason and not refused.broken


# --- hostile input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"date,area\n2026-01-01,5\n", "not JSON"),
        (b"\xff\xfe" + '{"type": "Polygon"}'.encode("utf-16-le"), "UTF-16"),
        ('{"type": "Polygon"}'.encode("utf-16-le"), "UTF-16"),
        ('{"type": "Feature", "properties": {"name": "Kyïv"}}'.encode("latin-1"), "not UTF-8"),
        (b'{"type": "Topology", "objects": {}}', "TopoJSON"),
        (b'{"type": "FeatureCollection", "features": []}', "no features"),
        (b'"a string"', "bare string"),
        (gzip.compress(b'{"type": "Featu')[:-6], "cannot be decompressed"),
    ],
)
def test_a_file_that_is_no_territory_file_is_refused_whole(data: bytes, reason: str) -> None:
    items = _read(data, day=DAY)
    refused = _only_refusal(items)
    assert reason in refused.reason
    assert refused.broken


def test_a_cut_file_reads_up_to_the_cut_and_says_so() -> None:
    history = _collection(*(_feature(_multi((37, 47)), date=f"2026-01-0{d}") for d in (1, 2, 3)))
    data = json.dumps(history).encode()
    items = _read(data[: len(data) * 3 // 4])
    assert [i.index for i in items if isinstance(i, Piece)] == [1, 2]
    assert items[-1] == Refused(3, items[-1].reason, broken=True)  # type: ignore[union-attr]
    assert "ends in the middle of a feature" in items[-1].reason  # type: ignore[union-attr]


def test_latin_1_after_the_first_bytes_is_refused_where_it_appears() -> None:
    filler = [_feature(_multi((37, 47)), date="2026-01-01", note="x" * 1000) for _ in range(80)]
    late = _feature(_multi((37, 47)), date="2026-01-02", name="Kyïv")
    data = json.dumps(_collection(*filler, late), ensure_ascii=False).encode("latin-1")
    items = _read(data)
    assert sum(isinstance(i, Piece) for i in items) == 80
    assert "not UTF-8" in _only_refusal(items).reason


def test_a_gzip_bomb_is_stopped_at_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layouts, "FILE_LIMIT", 1024**2)
    bomb = gzip.compress(b'{"type": "FeatureCollection", "features": [' + b" " * 4 * 1024**2)
    assert len(bomb) < 10_000
    refused = _only_refusal(_read(bomb))
    assert "larger than 1 MB decompressed" in refused.reason and refused.broken


def test_a_feature_beyond_the_feature_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layouts, "FEATURE_LIMIT", 200 * 1024)
    small = _feature(_multi((37, 47)), date="2026-01-01")
    ring = [[37 + i * 1e-5, 47.0] for i in range(20_000)] + [[37, 48], [37, 47]]
    huge = _feature({"type": "Polygon", "coordinates": [ring]}, date="2026-01-02")
    items = _read(_collection(small, huge, small))
    assert isinstance(items[0], Piece)
    assert items[1] == Refused(2, "a feature is larger than 0 MB; nothing after it was read", True)


@pytest.mark.parametrize(
    ("geometry", "reason"),
    [
        ({"type": "Point", "coordinates": [37, 47]}, "a Point, not a polygon"),
        ({"type": "LineString", "coordinates": [[37, 47], [38, 48]]}, "a LineString, not"),
        (None, "without geometry"),
        ({"type": "Polygon", "coordinates": [[[37, 47], [38]]]}, "ring"),
        ({"type": "Polygon", "coordinates": "here"}, "not a list of rings"),
        ({"type": "MultiPolygon", "coordinates": [[["a", "b"]]]}, "pairs of numbers"),
        ({"type": "Circle", "radius": 5}, "'Circle'"),
    ],
)
def test_a_feature_that_is_no_polygon_is_refused_alone(
    geometry: dict[str, Any] | None, reason: str
) -> None:
    items = _read(_collection(_feature(geometry), _feature(_multi((37, 47)))), day=DAY)
    refused = _only_refusal(items)
    assert refused.index == 1 and reason in refused.reason and not refused.broken
    assert isinstance(items[1], Piece)


def test_a_file_of_reports_is_recognised_as_not_a_territory_file() -> None:
    reports = _collection(
        *(
            _feature({"type": "Point", "coordinates": [37 + i / 1000, 47]}, type="shelling")
            for i in range(500)
        )
    )
    items = _read(reports, day=DAY)
    assert len(items) == layouts.NOT_TERRITORY_AFTER + 1
    assert items[-1].broken and "not a territory file" in items[-1].reason  # type: ignore[union-attr]


def test_reading_is_streamed() -> None:
    history = _collection(
        *(_feature(_multi((37, 47)), date=f"2026-01-{d:02d}") for d in range(1, 29)),
        *(_feature(_multi((37, 47)), date="2026-02-01", pad="x" * 100_000) for _ in range(50)),
    )
    stream = io.BytesIO(json.dumps(history).encode())
    first = next(read(stream))
    assert isinstance(first, Piece)
    assert stream.tell() < len(stream.getvalue()) // 10


_VALID = json.dumps(
    _collection(
        _feature(_multi((37, 47), (38, 48)), date="2026-01-01", status="occupied"),
        _feature(_multi((37.2, 47.2)), date="2026-01-02"),
    )
).encode()


@settings(max_examples=300)
@given(st.binary(max_size=300))
def test_any_bytes_are_read_or_refused(data: bytes) -> None:
    for item in read(io.BytesIO(data), day=DAY):
        assert isinstance(item, Piece | Refused)


@settings(max_examples=300)
@given(st.integers(0, len(_VALID)), st.integers(0, len(_VALID) - 1), st.binary(max_size=3))
def test_a_cut_or_corrupted_file_is_read_or_refused(cut: int, at: int, junk: bytes) -> None:
    for data in (_VALID[:cut], _VALID[:at] + junk + _VALID[at + 1 :]):
        for source in (data, gzip.compress(data)[: max(cut, 2)]):
            for item in grouped(read(io.BytesIO(source), day=None)):
                assert isinstance(item, Group | Refused)


# --- dates -------------------------------------------------------------------------------


@given(st.dates(date(1900, 1, 1), date(2100, 12, 31)))
def test_every_way_of_writing_a_day_reads_as_that_day(day: date) -> None:
    assert parse_day(day.isoformat()) == day
    assert parse_day(day.strftime("%Y%m%d")) == day
    assert parse_day(day.strftime("%d.%m.%Y")) == day
    assert parse_day(f"{day.isoformat()}T12:00:00+00:00") == day
    assert parse_day(f"{day.isoformat()}T00:00:00Z") == day


def test_a_timestamp_reads_as_its_utc_day() -> None:
    assert parse_day(1767225600) == DAY  # 2026-01-01T00:00:00Z
    assert parse_day(1767225600_000) == DAY
    with pytest.raises(ValueError, match="not a date"):
        parse_day(True)


# --- one shape per day and layer ---------------------------------------------------------


def test_pieces_of_one_day_and_layer_are_united_and_repaired() -> None:
    bow = {"type": "Polygon", "coordinates": [[[37, 47], [38, 48], [38, 47], [37, 48], [37, 47]]]}
    history = _collection(
        _feature(_multi((30, 47)), date="2026-01-01"),
        _feature(bow, date="2026-01-01"),
        _feature(_multi((31, 47)), date="2026-01-01", status="contested"),
        _feature(_multi((30, 47)), date="2026-01-02"),
    )
    groups = list(grouped(_read(history)))
    assert [(g.day.day, g.layer, g.indices) for g in groups if isinstance(g, Group)] == [
        (1, Layer.HELD, (1, 2)),
        (1, Layer.CONTESTED, (3,)),
        (2, Layer.HELD, (4,)),
    ]
    first = groups[0]
    assert isinstance(first, Group)
    assert first.notes == ("feature 2: self-intersecting ring repaired",)
    assert first.geometry.is_valid and first.geometry.geom_type == "MultiPolygon"


def test_a_day_is_yielded_as_soon_as_the_stream_moves_past_it() -> None:
    def pieces() -> Any:
        yield Piece(1, DAY, Layer.HELD, shapely.box(37, 47, 38, 48))
        yield Piece(2, date(2026, 1, 2), Layer.HELD, shapely.box(37, 47, 38, 48))
        raise AssertionError("read further than needed")

    stream = grouped(pieces())
    first = next(stream)
    assert isinstance(first, Group) and first.day == DAY


def test_a_day_that_comes_back_after_another_is_refused_unless_held_open() -> None:
    history = _collection(
        _feature(_multi((30, 47)), date="2026-01-01"),
        _feature(_multi((30, 47)), date="2026-01-02"),
        _feature(_multi((31, 47)), date="2026-01-01"),
    )
    items = list(grouped(_read(history)))
    assert "already read and closed" in _only_refusal(items).reason  # type: ignore[arg-type]
    held = list(grouped(_read(history), hold=2))
    assert [(g.day.day, g.indices) for g in held if isinstance(g, Group)] == [
        (2, (2,)),
        (1, (1, 3)),
    ]


def test_a_piece_that_cannot_be_repaired_is_refused_and_its_group_says_so() -> None:
    flat = {"type": "Polygon", "coordinates": [[[37, 47], [38, 47], [39, 47], [37, 47]]]}
    history = _collection(
        _feature(_multi((30, 47)), date="2026-01-01"),
        _feature(flat, date="2026-01-01"),
    )
    items = list(grouped(_read(history)))
    refused = _only_refusal(items)  # type: ignore[arg-type]
    assert refused.index == 2 and "zero area" in refused.reason
    (group,) = [g for g in items if isinstance(g, Group)]
    assert group.indices == (1,) and group.refused == (2,)


_json = st.recursive(
    st.none() | st.booleans() | st.floats(-200, 200) | st.integers(-5, 5) | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=5),
    max_leaves=40,
)


@settings(max_examples=300)
@given(
    st.sampled_from(["Polygon", "MultiPolygon", "GeometryCollection", "Point", None]),
    _json,
)
def test_any_coordinates_are_read_or_refused(kind: str | None, coordinates: Any) -> None:
    geometry = {"type": kind, "coordinates": coordinates, "geometries": coordinates}
    for item in grouped(_read(_collection(_feature(geometry)), day=DAY)):
        assert isinstance(item, Group | Refused)


def test_an_array_of_features_and_a_byte_order_mark_are_read() -> None:
    features = [_feature(_multi((37, 47)), date=f"2026-01-0{d}") for d in (1, 2)]
    items = _read(b"\xef\xbb\xbf" + json.dumps(features).encode())
    assert [i.day.day for i in items if isinstance(i, Piece)] == [1, 2]


def test_gzip_members_one_after_another_are_one_file() -> None:
    history = json.dumps(_collection(_feature(_multi((37, 47)), date="2026-01-01"))).encode()
    half = len(history) // 2
    data = gzip.compress(history[:half]) + gzip.compress(history[half:])
    assert [type(i) for i in _read(data)] == [Piece]


def test_json_lines_of_collections_are_read() -> None:
    lines = [
        json.dumps(_collection(_feature(_multi((37, 47)), date="2026-01-01"))),
        json.dumps(_collection(_feature(_multi((37, 47)), date="2026-01-03"))),
    ]
    items = _read("\n".join(lines).encode())
    assert [i.day.day for i in items if isinstance(i, Piece)] == [1, 3]
