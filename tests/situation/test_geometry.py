"""Areas, changes and map shapes of control polygons: known shapes and the rules as
properties.

Known shapes are checked against the closed-form area on the WGS 84 ellipsoid, derived
here from the authalic-latitude formula, independent of pyproj: the area between the
equator and latitude φ per radian of longitude is ``b²/2 · q(φ)`` with
``q(φ) = sin φ / (1 − e² sin² φ) + atanh(e sin φ) / e``. A cell's edges along parallels
are drawn densely, since a polygon's edges are geodesics, not parallels.
"""

from __future__ import annotations

import json
import math

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.situation import geometry
from coalition.situation.geometry import (
    AREA_TOLERANCE_KM2,
    AREA_TOLERANCE_RELATIVE,
    OUTSIDE,
    area_km2,
    by_region,
    change,
    disagreement,
    repair,
    simplified,
    to_geojson,
)
from coalition.situation.outlines import outlines

A = 6378137.0  # WGS 84 semi-major axis, m
F = 1 / 298.257223563
B = A * (1 - F)
E = math.sqrt(F * (2 - F))


def _q(lat_deg: float) -> float:
    s = math.sin(math.radians(lat_deg))
    return s / (1 - E**2 * s**2) + math.atanh(E * s) / E


def _band_km2(south: float, north: float, degrees_of_longitude: float) -> float:
    return math.radians(degrees_of_longitude) * B**2 / 2 * (_q(north) - _q(south)) / 1e6


def _cell(
    west: float, south: float, east: float, north: float, steps: int = 100
) -> shapely.Polygon:
    along = [west + (east - west) * i / steps for i in range(steps + 1)]
    ring = [(x, south) for x in along] + [(x, north) for x in reversed(along)]
    return shapely.Polygon(ring)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= AREA_TOLERANCE_KM2 + AREA_TOLERANCE_RELATIVE * max(abs(a), abs(b))


@pytest.mark.parametrize("south", [0.0, 30.0, 45.0, 60.0])
def test_a_one_degree_cell_has_its_ellipsoidal_area(south: float) -> None:
    expected = _band_km2(south, south + 1, 1.0)
    assert area_km2(_cell(30, south, 31, south + 1)) == pytest.approx(expected, rel=1e-4)


def test_a_cell_at_the_equator_is_about_12_300_km2() -> None:
    # A published figure: a 1°×1° cell at the equator is 12,308 km² on WGS 84.
    assert area_km2(_cell(0, 0, 1, 1)) == pytest.approx(12_308, abs=1)


def test_a_polar_cap_has_its_ellipsoidal_area() -> None:
    # Everything north of 80°: a band closed along meridians to the pole.
    ring = [(-180 + i * 0.1, 80.0) for i in range(3601)] + [(180.0, 90.0), (-180.0, 90.0)]
    expected = _band_km2(80, 90, 360)
    assert area_km2(shapely.Polygon(ring)) == pytest.approx(expected, rel=1e-4)


def test_holes_are_subtracted() -> None:
    outer = _cell(30, 48, 32, 50)
    hole = _cell(30.5, 48.5, 31.5, 49.5)
    holed = shapely.Polygon(outer.exterior, [hole.exterior])
    assert area_km2(holed) == pytest.approx(area_km2(outer) - area_km2(hole), rel=1e-12)


# --- properties --------------------------------------------------------------------------

_lon = st.floats(22.0, 40.0)
_lat = st.floats(44.0, 52.0)


@st.composite
def _star(draw: st.DrawFn) -> shapely.Polygon:
    """A valid star-shaped polygon around a centre in and near Ukraine."""
    cx, cy = draw(_lon), draw(_lat)
    n = draw(st.integers(3, 24))
    radii = draw(st.lists(st.floats(0.05, 1.5), min_size=n, max_size=n))
    ring = [
        (cx + r * math.cos(2 * math.pi * i / n), cy + r * math.sin(2 * math.pi * i / n))
        for i, r in enumerate(radii)
    ]
    return shapely.Polygon(ring)


@given(_star(), st.integers(0, 30))
def test_area_ignores_orientation_and_start_vertex(polygon: shapely.Polygon, k: int) -> None:
    ring = list(polygon.exterior.coords)[:-1]
    k %= len(ring)
    rotated = shapely.Polygon(ring[k:] + ring[:k])
    reversed_ = shapely.Polygon(ring[::-1])
    expected = area_km2(polygon)
    assert area_km2(rotated) == pytest.approx(expected, rel=1e-9)
    assert area_km2(reversed_) == pytest.approx(expected, rel=1e-9)


@given(_star(), _star())
def test_area_adds_over_disjoint_parts(a: shapely.Polygon, b: shapely.Polygon) -> None:
    b = shapely.affinity.translate(b, 20.0, 0.0)  # 20° east: never touching a
    assert area_km2(shapely.MultiPolygon([a, b])) == pytest.approx(
        area_km2(a) + area_km2(b), rel=1e-12
    )


@settings(max_examples=200)
@given(_star(), _star())
def test_later_is_earlier_plus_gained_minus_lost(a: shapely.Polygon, b: shapely.Polygon) -> None:
    moved = change(a, b)
    assert moved.earlier_km2 == pytest.approx(area_km2(a))
    assert moved.later_km2 == pytest.approx(area_km2(b))
    assert _close(moved.later_km2, moved.earlier_km2 + moved.gained_km2 - moved.lost_km2)
    assert moved.gained.is_empty or moved.gained.geom_type in ("Polygon", "MultiPolygon")


@settings(max_examples=100, deadline=None)
@given(
    _star(),
    st.lists(
        st.tuples(st.booleans(), _lon, _lat, st.floats(0.01, 0.3), st.floats(0.01, 0.3)),
        min_size=1,
        max_size=4,
    ),
)
def test_a_local_change_is_what_overlaying_the_whole_shapes_gives(
    earlier: shapely.Polygon, edits: list[tuple[bool, float, float, float, float]]
) -> None:
    # Later: earlier with ground taken and given back in boxes, its rings redrawn.
    later: shapely.Geometry = earlier
    for taken, x, y, w, h in edits:
        box = shapely.box(x, y, x + w, y + h)
        later = shapely.union(later, box) if taken else shapely.difference(later, box)
    later = shapely.normalize(later)
    moved = change(earlier, later)
    assert _close(moved.gained_km2, area_km2(shapely.difference(later, earlier)))
    assert _close(moved.lost_km2, area_km2(shapely.difference(earlier, later)))
    assert _close(moved.later_km2, moved.earlier_km2 + moved.gained_km2 - moved.lost_km2)


def test_the_same_ground_drawn_from_another_vertex_is_no_change() -> None:
    ring = list(_cell(30, 48, 31, 49).exterior.coords)[:-1]
    moved = change(shapely.Polygon(ring), shapely.Polygon(ring[7:] + ring[:7]))
    assert moved.gained.is_empty and moved.lost.is_empty and moved.gained_km2 == 0


def test_an_unchanged_polygon_gained_and_lost_nothing() -> None:
    cell = _cell(30, 48, 31, 49)
    moved = change(cell, cell)
    assert moved.gained_km2 == 0 and moved.lost_km2 == 0
    known = change(cell, cell, areas=(1.0, 2.0))  # areas stored at import are taken
    assert (known.earlier_km2, known.later_km2) == (1.0, 2.0)


def test_an_advance_is_gained_and_a_retreat_lost() -> None:
    earlier = _cell(30, 48, 31, 49)
    later = _cell(30.5, 48, 31.5, 49)
    moved = change(earlier, later)
    assert moved.gained_km2 == pytest.approx(area_km2(_cell(31, 48, 31.5, 49)), rel=1e-9)
    assert moved.lost_km2 == pytest.approx(area_km2(_cell(30, 48, 30.5, 49)), rel=1e-9)


@given(_star(), _star())
def test_disagreement_is_what_one_source_shows_and_the_other_not(
    a: shapely.Polygon, b: shapely.Polygon
) -> None:
    only_a, only_b, where = disagreement(a, b)
    assert _close(area_km2(where), only_a + only_b)
    assert _close(area_km2(a) - only_a + only_b, area_km2(b))  # both show the rest


# --- regions -----------------------------------------------------------------------------


def test_the_shipped_outlines_are_disjoint_and_keyed_by_iso_code() -> None:
    shipped = outlines()
    assert len(shipped) == 33
    assert {o.code for o in shipped} >= {"UA-14", "UA-43", "UA-09", "RU-KRS"}
    union = shapely.union_all([o.geometry for o in shipped])
    assert area_km2(union) == pytest.approx(sum(area_km2(o.geometry) for o in shipped), rel=1e-9)


@settings(max_examples=30, deadline=None)
@given(_star())
def test_the_areas_by_region_add_up_to_the_whole(polygon: shapely.Polygon) -> None:
    areas = by_region(polygon)
    assert sum(areas.values()) == pytest.approx(area_km2(polygon), rel=1e-6)


def test_a_cell_in_donetsk_is_counted_there() -> None:
    cell = _cell(37.6, 47.9, 37.8, 48.1)  # around Donetsk city
    areas = by_region(cell)
    assert set(areas) == {"UA-14"}
    assert areas["UA-14"] == pytest.approx(area_km2(cell), rel=1e-9)


def test_the_sea_is_outside_every_region() -> None:
    cell = _cell(32, 43, 33, 44)  # the Black Sea south of Crimea
    assert set(by_region(cell)) == {OUTSIDE}


# --- repair ------------------------------------------------------------------------------


def test_a_bow_tie_is_repaired_and_keeps_both_lobes() -> None:
    bow = shapely.Polygon([(30, 48), (31, 49), (31, 48), (30, 49)])
    repaired, notes = repair(bow)
    assert repaired.is_valid
    assert notes == ["self-intersecting ring repaired"]
    assert area_km2(repaired) > 0.4 * area_km2(_cell(30, 48, 31, 49))


def test_a_valid_polygon_is_kept_as_it_is() -> None:
    cell = _cell(30, 48, 31, 49)
    repaired, notes = repair(cell)
    assert notes == [] and repaired.equals(cell)


def test_zero_area_parts_are_dropped_and_counted() -> None:
    flat = shapely.Polygon([(35, 48), (36, 48), (37, 48)])
    flat2 = shapely.Polygon([(35, 47), (36, 47), (37, 47)])
    repaired, notes = repair(shapely.MultiPolygon([_cell(30, 48, 31, 49), flat, flat2]))
    assert "2 zero-area parts dropped" in notes
    assert repaired.geom_type == "Polygon"


def test_overlapping_parts_are_merged() -> None:
    both = shapely.MultiPolygon([_cell(30, 48, 31, 49, 1), _cell(30.5, 48, 31.5, 49, 1)])
    repaired, notes = repair(both)
    assert repaired.is_valid and notes
    assert area_km2(repaired) == pytest.approx(area_km2(_cell(30, 48, 31.5, 49, 1)), rel=1e-9)


def test_parts_that_are_not_polygons_are_dropped() -> None:
    mixed = shapely.GeometryCollection([_cell(30, 48, 31, 49), shapely.Point(30, 48)])
    repaired, notes = repair(mixed)
    assert notes == ["1 non-polygonal part dropped"] and repaired.geom_type == "Polygon"


@pytest.mark.parametrize(
    ("geom", "reason"),
    [
        (shapely.Point(30, 48), "a Point, not a polygon"),
        (shapely.LineString([(30, 48), (31, 49)]), "a LineString, not a polygon"),
        (shapely.Polygon(), "empty"),
        (shapely.MultiPolygon(), "empty"),
        (shapely.Polygon([(3e6, 6e6), (3.1e6, 6e6), (3.1e6, 6.1e6)]), "outside longitude"),
        (shapely.Polygon([(30, 48), (float("inf"), 48), (31, 49)]), "not finite"),
        (shapely.Polygon([(-170, 0), (170, 0), (170, 10), (-170, 10)]), "340° of longitude"),
        (shapely.Polygon([(30, 48), (31, 48), (32, 48)]), "zero area"),
        (shapely.GeometryCollection([shapely.Point(1, 1)]), "no polygon"),
    ],
)
def test_what_cannot_be_a_territory_is_refused_with_its_reason(
    geom: shapely.Geometry, reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        repair(geom)


def test_too_many_vertices_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(geometry, "VERTEX_LIMIT", 100)
    with pytest.raises(ValueError, match="more than the limit of 100"):
        repair(_cell(30, 48, 31, 49))


@settings(max_examples=300)
@given(st.lists(st.tuples(st.floats(29, 31), st.floats(47, 49)), min_size=3, max_size=30))
def test_repair_never_raises_anything_but_a_reason(ring: list[tuple[float, float]]) -> None:
    try:
        repaired, _ = repair(shapely.Polygon(ring))
    except ValueError as exc:
        assert str(exc)
    else:
        assert repaired.is_valid and not repaired.is_empty
        assert repaired.geom_type in ("Polygon", "MultiPolygon")


# --- the map -----------------------------------------------------------------------------


def _front(vertices: int) -> shapely.Polygon:
    """A jagged occupied area along a 1,000 km front, ``vertices`` vertices long."""
    steps = vertices - 4
    line = [
        (
            31.0 + 8.0 * i / steps,
            47.0 + 2.0 * i / steps + 0.02 * math.sin(i * 0.7) + 0.01 * math.sin(i * 3.1),
        )
        for i in range(steps)
    ]
    return shapely.Polygon([*line, (39.5, 50.0), (39.5, 44.0), (31.0, 44.0)])


@pytest.mark.parametrize("zoom", range(0, 19))
def test_a_front_at_every_zoom_is_a_small_valid_response(zoom: int) -> None:
    front = _front(40_000)
    drawn = simplified(front, zoom)
    text = to_geojson(drawn, geometry.precision_for(zoom))
    assert len(text.encode()) < 250_000
    assert drawn.is_valid and not drawn.is_empty
    assert json.loads(text)["type"] in ("Polygon", "MultiPolygon")


def test_levels_made_one_from_another_stay_within_two_pixels() -> None:
    front = _front(40_000)
    levels = geometry.simplified_levels(front, (4, 6, 8, 10))
    assert sorted(levels) == [4, 6, 8, 10]
    for zoom, drawn in levels.items():
        assert drawn.is_valid and not drawn.is_empty
        assert shapely.get_num_coordinates(drawn) <= geometry.MAP_VERTEX_BUDGET
        if shapely.get_num_coordinates(simplified(front, zoom)) < geometry.MAP_VERTEX_BUDGET:
            # Not coarsened for the budget: within two pixels of the true edge.
            assert shapely.hausdorff_distance(drawn, front) <= 2 * geometry.pixel_deg(zoom)


def test_a_close_zoom_of_a_window_keeps_its_detail() -> None:
    front = _front(40_000)
    drawn = simplified(front, 14, bounds=(34.0, 47.5, 34.5, 48.0))
    assert drawn.bounds[0] >= 34.0 and drawn.bounds[2] <= 34.5
    assert shapely.get_num_coordinates(drawn) > 1_000


def test_coordinates_are_rounded_to_the_precision_asked() -> None:
    text = to_geojson(shapely.Polygon([(30.1234567, 48.1), (31, 48), (31, 49)]), 3)
    assert "30.123," in text and "30.1234" not in text
    assert geometry.precision_for(0) == 1 and geometry.precision_for(18) == 6
