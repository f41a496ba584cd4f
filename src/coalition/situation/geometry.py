"""Areas, changes and map shapes of control polygons. Pure: no database, no web.

Every area is the true area on the WGS 84 ellipsoid, from GeographicLib's geodesic
polygon area as pyproj exposes it (``Geod(ellps="WGS84")``), in km²: each ring's area in
absolute value, so ring orientation never matters, a polygon's holes subtracted from its
shell, and a multipolygon's parts added (a valid multipolygon's parts do not overlap).
Areas are never computed in planar degrees.

An edge is what GeoJSON says it is (RFC 7946, 3.1.1): a straight line in longitude and
latitude, which is also the line shapely's overlays cut along. So each ring is first
divided into steps of at most :data:`SEGMENT_DEG` (about a kilometre) and the steps are
taken as geodesics, a centimetre from the straight line at most. Were the edges taken as
geodesics between the vertices as given, an overlay that cuts an edge would move it (a
degree-long edge bows by hundreds of metres), and gained and lost ground would no longer
add up.

Coordinates are longitude, latitude in degrees (GeoJSON's order). A geometry from a file
goes through :func:`repair` before anything else: it is made valid (shapely's
``make_valid``, keeping the area a self-intersecting ring encloses) and what was done is
said in plain words, or it is refused with the reason.

Overlays (:func:`change`, :func:`by_region`, :func:`disagreement`) are shapely's; their
areas agree with the identity they state to within :data:`AREA_TOLERANCE_KM2` plus
:data:`AREA_TOLERANCE_RELATIVE` of the larger area (floating-point rounding of the
intersections GEOS computes).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeAlias

import numpy as np
import shapely
from pyproj import Geod

from coalition.situation.outlines import Outline, outlines

_GEOD = Geod(ellps="WGS84")

# Refused beyond these: no front has this many vertices; a polygon wider than half the
# globe is a ring that meant to cross the antimeridian, or a mistake.
VERTEX_LIMIT = 2_000_000
SEGMENT_DEG = 0.01
MAX_SPAN_DEG = 180.0
AREA_TOLERANCE_KM2 = 1e-6
AREA_TOLERANCE_RELATIVE = 1e-7
OUTSIDE = "outside"  # the key of the area outside every region in :func:`by_region`
# A map response holds at most about this many vertices (about 24 bytes each in GeoJSON
# at 6 decimals: under 200 kB), whatever the zoom.
MAP_VERTEX_BUDGET = 8_000

Polygonal: TypeAlias = shapely.Polygon | shapely.MultiPolygon


def _ring_km2(ring: shapely.LinearRing) -> float:
    xy = shapely.get_coordinates(shapely.segmentize(ring, SEGMENT_DEG))
    if len(xy) < 4:
        return 0.0
    area, _ = _GEOD.polygon_area_perimeter(xy[:, 0], xy[:, 1])
    return abs(float(area)) / 1e6


def _polygons(geom: shapely.Geometry) -> list[shapely.Polygon]:
    if isinstance(geom, shapely.Polygon):
        return [] if geom.is_empty else [geom]
    if isinstance(geom, shapely.MultiPolygon | shapely.GeometryCollection):
        return [p for part in geom.geoms for p in _polygons(part)]
    return []


def area_km2(geom: shapely.Geometry) -> float:
    """The true area of ``geom`` on the WGS 84 ellipsoid in km² (its polygonal parts)."""
    total = 0.0
    for polygon in _polygons(geom):
        total += _ring_km2(polygon.exterior)
        total -= sum(_ring_km2(hole) for hole in polygon.interiors)
    return total


def _polygonal(geom: shapely.Geometry) -> Polygonal:
    """The polygonal parts of ``geom`` as one Polygon or MultiPolygon (maybe empty)."""
    parts = _polygons(geom)
    if len(parts) == 1:
        return parts[0]
    return shapely.MultiPolygon(parts)


_REASONS = {
    # GEOS's words for what is wrong, in ours.
    "Self-intersection": "self-intersecting ring repaired",
    "Ring Self-intersection": "ring touching itself repaired",
    "Too few points": "ring with too few distinct points dropped",
    "Hole lies outside shell": "hole lying outside its polygon repaired",
    "Holes are nested": "nested holes repaired",
    "Interior is disconnected": "polygon cut in two by its holes repaired",
    "Nested shells": "overlapping parts merged",
    "Duplicate Rings": "duplicate rings merged",
    "Invalid Coordinate": "invalid coordinate repaired",
}


def _describe_invalid(geom: shapely.Geometry) -> str:
    reason = str(shapely.is_valid_reason(geom))
    for prefix, words in sorted(_REASONS.items(), key=lambda kv: -len(kv[0])):
        if reason.startswith(prefix):
            return words
    return f"invalid geometry repaired ({reason})"


def _parts(count: int, what: str) -> str:
    return f"{count} {what}" if count != 1 else f"1 {what.replace('parts', 'part')}"


def repair(geom: shapely.Geometry) -> tuple[Polygonal, list[str]]:
    """``geom`` made a valid Polygon or MultiPolygon, and what was done in plain words.

    Raises ValueError with the reason when it cannot be a territory: not polygonal, empty,
    coordinates that are not finite or lie outside longitude −180..180 and latitude
    −90..90, a part spanning more than :data:`MAX_SPAN_DEG` degrees of longitude, or more
    than :data:`VERTEX_LIMIT` vertices.
    """
    notes: list[str] = []
    kind = geom.geom_type
    if geom.is_empty:
        raise ValueError(f"the geometry is empty (an empty {kind})")
    if kind not in ("Polygon", "MultiPolygon", "GeometryCollection"):
        raise ValueError(f"a {kind}, not a polygon: a territory is a Polygon or MultiPolygon")
    count = int(shapely.get_num_coordinates(geom))
    if count > VERTEX_LIMIT:
        raise ValueError(f"{count:,} vertices, more than the limit of {VERTEX_LIMIT:,}")
    xy = shapely.get_coordinates(geom)
    if not np.isfinite(xy).all():
        raise ValueError("coordinates that are not finite numbers (NaN or infinity)")
    if (np.abs(xy[:, 0]) > 180).any() or (np.abs(xy[:, 1]) > 90).any():
        raise ValueError(
            "coordinates outside longitude −180..180 and latitude −90..90 "
            "(projected coordinates, or latitude and longitude swapped?)"
        )
    if shapely.has_z(geom):
        geom = shapely.force_2d(geom)
        notes.append("heights dropped")
    if kind == "GeometryCollection":
        other = sum(1 for g in geom.geoms if not isinstance(g, Polygonal))
        if other == len(geom.geoms):
            raise ValueError("a GeometryCollection with no polygon in it")
        if other:
            notes.append(_parts(other, "non-polygonal parts dropped"))
    polygons = _polygons(geom)
    if not polygons:
        raise ValueError("no polygon with any area")
    for polygon in polygons:
        west, _, east, _ = polygon.bounds
        if east - west > MAX_SPAN_DEG:
            raise ValueError(
                f"a polygon spanning {east - west:.0f}° of longitude, more than "
                f"{MAX_SPAN_DEG:.0f}°: split a shape crossing the antimeridian at ±180°"
            )
    whole = _polygonal(shapely.MultiPolygon(polygons) if len(polygons) > 1 else polygons[0])
    if shapely.is_valid(whole):  # the usual case, checked once
        return whole, notes
    flat = [_flat(p) for p in polygons]
    if any(flat):
        notes.append(_parts(sum(flat), "zero-area parts dropped"))
        polygons = [p for p, is_flat in zip(polygons, flat, strict=True) if not is_flat]
    if not polygons:
        raise ValueError("every part has zero area")
    shape = _polygonal(shapely.MultiPolygon(polygons) if len(polygons) > 1 else polygons[0])
    if not shapely.is_valid(shape):
        notes.append(_describe_invalid(shape))
        shape = _valid(shape)
    if shape.is_empty:
        raise ValueError("nothing with any area is left once the rings are repaired")
    if not shapely.is_valid(shape):
        raise ValueError(f"the rings cannot be repaired ({shapely.is_valid_reason(shape)})")
    return shape, notes


def _valid(shape: shapely.Geometry) -> Polygonal:
    # "structure" keeps what a ring encloses (a bow tie keeps both lobes) where
    # "linework" would turn overlaps into holes. Its polygons may still touch along an
    # edge: their union is one valid shape.
    made = shapely.make_valid(shape, method="structure", keep_collapsed=False)
    parts = _polygons(made)
    return _polygonal(shapely.union_all(parts) if len(parts) > 1 else made)


def _flat(polygon: shapely.Polygon) -> bool:
    """Whether a polygon encloses nothing (its vertices on one line, or fewer than 3)."""
    if shapely.is_valid(polygon):
        return False
    return not _polygons(shapely.make_valid(polygon, method="structure", keep_collapsed=False))


@dataclass(frozen=True)
class Change:
    """What one control polygon gained and lost against an earlier one."""

    gained: Polygonal
    lost: Polygonal
    gained_km2: float
    lost_km2: float
    earlier_km2: float
    later_km2: float


def change(
    earlier: shapely.Geometry,
    later: shapely.Geometry,
    *,
    areas: tuple[float, float] | None = None,
) -> Change:
    """The ground ``later`` holds that ``earlier`` did not (gained), and the reverse (lost).

    ``later_km2 == earlier_km2 + gained_km2 - lost_km2`` to within the module's tolerance.
    ``areas`` are the two shapes' areas (earlier, later) when already known (stored at
    import, by :func:`area_km2`), so they are not computed again.

    Two days of one source mostly share their edges: only the window around the edges
    that differ is overlaid (:func:`_window`), which for a front that moved in a few
    places is a small part of the work of overlaying the whole.
    """
    earlier_km2, later_km2 = areas if areas is not None else (area_km2(earlier), area_km2(later))
    window = _window(earlier, later)
    if window is None:
        empty = shapely.MultiPolygon()
        return Change(empty, empty, 0.0, 0.0, earlier_km2, later_km2)
    old, new = earlier, later
    if window is not _WHOLE:
        old, new = shapely.intersection(earlier, window), shapely.intersection(later, window)
    gained = _polygonal(shapely.difference(new, old))
    lost = _polygonal(shapely.difference(old, new))
    return Change(gained, lost, area_km2(gained), area_km2(lost), earlier_km2, later_km2)


_WHOLE = shapely.Polygon()  # no window: overlay the whole shapes
# A window this large a share of the shapes' extent is not worth cutting out.
_WINDOW_SHARE = 0.5


def _edges(geom: shapely.Geometry) -> np.ndarray:
    """Every edge of ``geom``'s rings as (x1, y1, x2, y2), its ends in a fixed order."""
    xy, ring = shapely.get_coordinates(shapely.get_rings(_polygons_of(geom)), return_index=True)
    same = ring[:-1] == ring[1:]
    a, b = xy[:-1][same], xy[1:][same]
    swap = ((a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1])))[:, None]
    return np.hstack([np.where(swap, b, a), np.where(swap, a, b)])


def _polygons_of(geom: shapely.Geometry) -> np.ndarray:
    return np.array(_polygons(geom), dtype=object)


def _window(earlier: shapely.Geometry, later: shapely.Geometry) -> shapely.Geometry | None:
    """The box outside which ``earlier`` and ``later`` are the same ground, :data:`_WHOLE`
    when it is not worth cutting out, or None when they are the same everywhere.

    Outside the box around every edge that only one of them has, a point is inside both
    or outside both: a ray from it that misses the box crosses the same edges of each.
    """
    old, new = _edges(earlier), _edges(later)
    if len(old) == 0 or len(new) == 0:
        return _WHOLE
    rows, inverse = np.unique(np.vstack([old, new]), axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    in_old = np.bincount(inverse[: len(old)], minlength=len(rows)) > 0
    in_new = np.bincount(inverse[len(old) :], minlength=len(rows)) > 0
    differ = rows[in_old != in_new]
    if len(differ) == 0:
        return None
    west = float(min(differ[:, 0].min(), differ[:, 2].min()))
    east = float(max(differ[:, 0].max(), differ[:, 2].max()))
    south = float(differ[:, [1, 3]].min())
    north = float(differ[:, [1, 3]].max())
    pad = 1e-6  # the box's own edges clear every differing edge
    box = shapely.box(west - pad, south - pad, east + pad, north + pad)
    extent = shapely.box(*shapely.union(shapely.envelope(earlier), shapely.envelope(later)).bounds)
    if box.area > _WINDOW_SHARE * extent.area:
        return _WHOLE
    return box


def by_region(geom: shapely.Geometry, regions: Sequence[Outline] | None = None) -> dict[str, float]:
    """The area of ``geom`` in each region (ISO 3166-2 code), km², and the rest.

    ``regions`` are disjoint outlines, the shipped ones (:func:`outlines`) by default.
    Regions the geometry does not reach are left out; the area outside every region is
    under :data:`OUTSIDE` (also left out when nothing is). The values add up to
    :func:`area_km2` of ``geom`` to within the module's tolerance.
    """
    areas: dict[str, float] = {}
    prepared = shapely.is_prepared(geom)
    shapely.prepare(geom)
    for outline in outlines() if regions is None else regions:
        if not shapely.intersects(geom, outline.geometry):
            continue
        if shapely.covers(geom, outline.geometry):  # the whole region: no overlay needed
            km2 = _outline_km2(outline)
        else:
            km2 = area_km2(shapely.intersection(geom, outline.geometry))
        if km2 > 0:
            areas[outline.code] = km2
    if not prepared:
        shapely.destroy_prepared(geom)
    # The outlines are disjoint, so what is outside them is the rest: no overlay needed.
    whole = area_km2(geom)
    outside = whole - sum(areas.values())
    if outside > AREA_TOLERANCE_KM2 + AREA_TOLERANCE_RELATIVE * whole:
        areas[OUTSIDE] = outside
    return areas


@lru_cache(maxsize=256)
def _outline_km2(outline: Outline) -> float:
    return area_km2(outline.geometry)


def disagreement(a: shapely.Geometry, b: shapely.Geometry) -> tuple[float, float, Polygonal]:
    """Where two sources disagree on one day: (km² only ``a`` shows, km² only ``b``
    shows, the ground either shows and the other does not)."""
    only_a = area_km2(shapely.difference(a, b))
    only_b = area_km2(shapely.difference(b, a))
    return only_a, only_b, _polygonal(shapely.symmetric_difference(a, b))


def pixel_deg(zoom: int) -> float:
    """The width of one screen pixel at Leaflet ``zoom`` in degrees of longitude."""
    return 360.0 / (256 * 2.0**zoom)


def precision_for(zoom: int) -> int:
    """Decimals to round coordinates to at ``zoom``: a tenth of a pixel, 1 to 6."""
    return max(1, min(6, math.ceil(-math.log10(pixel_deg(zoom) / 10))))


def simplified(
    geom: shapely.Geometry,
    zoom: int,
    *,
    bounds: tuple[float, float, float, float] | None = None,
    budget: int = MAP_VERTEX_BUDGET,
) -> Polygonal:
    """``geom`` as the map draws it at Leaflet ``zoom``.

    Clipped to ``bounds`` (west, south, east, north) when given, then simplified with its
    topology kept (Douglas–Peucker, every part stays valid) at a tolerance of one pixel;
    the tolerance doubles until at most ``budget`` vertices remain, so a response stays
    small at every zoom (a close zoom of a whole front is clipped or coarsened).
    """
    shape = geom
    if bounds is not None:
        shape = shapely.clip_by_rect(shape, *bounds)
    tolerance = max(pixel_deg(zoom), _least_tolerance(shape, budget))
    drawn = shapely.simplify(shape, tolerance, preserve_topology=True)
    while shapely.get_num_coordinates(drawn) > budget:
        tolerance *= 1.5
        drawn = shapely.simplify(shape, tolerance, preserve_topology=True)
    return _polygonal(drawn)


def simplified_levels(
    geom: shapely.Geometry, zooms: Iterable[int], *, budget: int = MAP_VERTEX_BUDGET
) -> dict[int, Polygonal]:
    """:func:`simplified` at each of ``zooms``, each coarser level made from the finer one.

    Simplifying the finer level's shape instead of the whole costs a fraction of the work;
    the drawn edge strays from the true one by at most the sum of the levels' tolerances,
    under two pixels at every level since each zoom's pixel is half the one before.
    """
    drawn: dict[int, Polygonal] = {}
    shape: shapely.Geometry = geom
    for zoom in sorted(set(zooms), reverse=True):
        shape = drawn[zoom] = simplified(shape, zoom, budget=budget)
    return drawn


def _least_tolerance(shape: shapely.Geometry, budget: int) -> float:
    """A tolerance below which more than ``budget`` vertices would surely remain.

    A vertex whose distance from the line through its two neighbours exceeds the
    tolerance is (nearly always) kept by Douglas–Peucker; so the tolerance must be at
    least the distance that only ``budget`` vertices exceed. Starting there spares the
    search the simplifications that could not have met the budget.
    """
    if shapely.get_num_coordinates(shape) <= budget:
        return 0.0
    rings = shapely.get_rings(shape)
    xy, ring = shapely.get_coordinates(rings, return_index=True)
    if len(xy) < 3:
        return 0.0
    before, here, after = xy[:-2], xy[1:-1], xy[2:]
    same = (ring[:-2] == ring[1:-1]) & (ring[1:-1] == ring[2:])
    chord = after - before
    cross = np.abs(chord[:, 0] * (here - before)[:, 1] - chord[:, 1] * (here - before)[:, 0])
    length = np.hypot(chord[:, 0], chord[:, 1])
    heights = np.where(same & (length > 0), cross / np.where(length > 0, length, 1), 0.0)
    return float(np.quantile(heights, max(0.0, 1 - budget / len(heights))))


def to_geojson(geom: shapely.Geometry, precision: int = 6) -> str:
    """``geom`` as compact GeoJSON text, coordinates rounded to ``precision`` decimals
    (at most 6: about 10 cm, finer than any source)."""
    places = max(0, min(6, precision))
    # Snapped to the grid first, so that rounding never leaves a ring crossing itself.
    rounded = shapely.set_precision(geom, 10.0**-places)
    rounded = shapely.transform(rounded, lambda xy: np.round(xy, places))
    return json.dumps(shapely.geometry.mapping(rounded), separators=(",", ":"))
