"""Which region (oblast) a position lies in, from shipped public outlines.

Ukraine's 24 oblasts, Crimea, and the cities of Kyiv and Sevastopol as units of their own
come from geoBoundaries (ADM1, OpenStreetMap boundaries, ODbL); six Russian regions along
the border from Natural Earth's coarser admin-1 polygons (see ``data/SOURCES.md``). Where
outlines overlap, Ukraine's finer ones win: a village on the Ukrainian side of the border
is in its oblast, not in the Russian region whose coarse outline spills over it.

A report's region (:func:`assign`) is the region its position lies in, except that

- where the source names a region and the position lies within its stated precision of
  that region, the source's region is kept (a point 300 m across an oblast boundary,
  given to the nearest kilometre, is the oblast its coders saw);
- a position known only to the country (precision of :data:`COUNTRY_WIDE_M` or coarser)
  gets no region unless its source names one;
- a position outside every shipped outline (at sea, or further away) keeps the name its
  file gave, spelled as :func:`canonical` spells it;
- a position outside the **area of operations** (:func:`in_area`: the box around every
  shipped outline, widened by :data:`AREA_MARGIN_DEG` degrees) is :data:`OUTSIDE_AREA`,
  whatever its source named: a report placed in Paris is held for review, never counted
  in an oblast it names.

Pure: no database, no web. :func:`assign` and :func:`locate` answer a whole batch at once
(bounding-box filter, then an exact point-in-polygon test per region); :func:`region_of`
is the same rule for one position, and a test holds the two equal.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import numpy as np
import pycountry
import shapely
from shapely.geometry import mapping, shape


@dataclass(frozen=True)
class Region:
    code: str  # ISO 3166-2
    name: str  # English, in the country's current official romanisation
    country: str  # ISO 3166-1 alpha-3


@dataclass(frozen=True)
class _Index:
    regions: tuple[Region, ...]
    geometries: tuple[shapely.Geometry, ...]
    bounds: np.ndarray  # (n, 4): west, south, east, north
    aliases: dict[str, str]


def outlines_bytes() -> bytes:
    """The shipped outlines as GeoJSON (a FeatureCollection of polygons)."""
    return (files("coalition") / "data" / "regions.geojson").read_bytes()


def _fold(name: str) -> str:
    """A name reduced for matching: lower case, apostrophes and type words dropped."""
    name = re.sub(r"['’ʼ`]", "", name.strip().lower())
    name = re.sub(r"\s+(oblast|region|province|oblys|kray|krai)$", "", name)
    return re.sub(r"[\s-]+", " ", name)


@lru_cache(maxsize=1)
def _index() -> _Index:
    features = json.loads(outlines_bytes())["features"]
    shipped: list[Region] = []
    geometries: list[shapely.Geometry] = []
    aliases: dict[str, str] = {}
    official: list[tuple[str, str]] = []
    for f in features:
        p = f["properties"]
        region = Region(p["code"], p["name"], p["country"])
        geometry = shape(f["geometry"])
        shapely.prepare(geometry)
        shipped.append(region)
        geometries.append(geometry)
        for alias in (p["name"], p["ne_name"], p["code"], *p["aliases"]):
            aliases.setdefault(_fold(alias), region.name)
        subdivision = pycountry.subdivisions.get(code=region.code)  # type: ignore[no-untyped-call]
        if subdivision is not None:
            official.append((subdivision.name, region.name))
    # ISO's names last, so they never take a name a region's own names hold (ISO names
    # the city "Kyiv", which is the oblast's name here).
    for alias, name in official:
        aliases.setdefault(_fold(alias), name)
    bounds = np.array([g.bounds for g in geometries], dtype=np.float64)
    # File order decides overlaps: Ukraine's outlines come first in the shipped file.
    return _Index(tuple(shipped), tuple(geometries), bounds, aliases)


# A position this coarse is known only to the country (UCDP's where_prec 6 and 7).
COUNTRY_WIDE_M = 500_000
METRES_PER_DEGREE = 111_320.0
# The area of operations: the box around every shipped outline, this much wider each way
# (one degree: about 70 km east-west and 110 km north-south at these latitudes).
AREA_MARGIN_DEG = 1.0
OUTSIDE_AREA = "outside the area of operations"


def area() -> tuple[float, float, float, float]:
    """The area of operations as (west, south, east, north) in degrees."""
    bounds = _index().bounds
    margin = AREA_MARGIN_DEG
    return (
        float(bounds[:, 0].min()) - margin,
        float(bounds[:, 1].min()) - margin,
        float(bounds[:, 2].max()) + margin,
        float(bounds[:, 3].max()) + margin,
    )


def in_area(latitudes: np.ndarray, longitudes: np.ndarray) -> np.ndarray:
    """Whether each position lies in the area of operations (a boolean array)."""
    west, south, east, north = area()
    lat = np.asarray(latitudes, dtype=np.float64)
    lon = np.asarray(longitudes, dtype=np.float64)
    return (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)


def regions() -> tuple[Region, ...]:
    """Every shipped region, ordered by code."""
    return tuple(sorted(_index().regions, key=lambda r: r.code))


def canonical(name: str) -> str:
    """A reported region's name as Coalition spells it (``"Donets'k Oblast"`` and
    ``"Donetska oblast"`` become ``"Donetsk"``); a name it does not know, trimmed."""
    return _index().aliases.get(_fold(name), name.strip())


def locate(latitudes: np.ndarray, longitudes: np.ndarray) -> np.ndarray:
    """The region name of each position (an object array; ``""`` outside every region).

    Where outlines overlap or touch, a position in both belongs to the region that comes
    first in the shipped file (Ukraine's before its neighbours'), so the answer never
    depends on anything but the position."""
    index = _index()
    lat = np.asarray(latitudes, dtype=np.float64)
    lon = np.asarray(longitudes, dtype=np.float64)
    found = np.full(lat.shape, -1, dtype=np.int64)
    for i, geometry in enumerate(index.geometries):
        west, south, east, north = index.bounds[i]
        todo = np.flatnonzero(
            (found < 0) & (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
        )
        if todo.size:
            inside = shapely.intersects_xy(geometry, lon[todo], lat[todo])
            found[todo[inside]] = i
    names = np.array([r.name for r in index.regions] + [""], dtype=object)
    return names[found]  # -1 picks the trailing ""


def assign(
    latitudes: np.ndarray,
    longitudes: np.ndarray,
    reported: np.ndarray,
    precision_m: np.ndarray,
) -> np.ndarray:
    """The region of each report by the module's rule (an object array of names)."""
    index = _index()
    lat = np.asarray(latitudes, dtype=np.float64)
    lon = np.asarray(longitudes, dtype=np.float64)
    precision = np.asarray(precision_m, dtype=np.float64)
    given = np.asarray(reported, dtype=object)
    spelled = {name: canonical(str(name)) for name in set(given.tolist())}
    said = np.array([spelled[name] for name in given.tolist()], dtype=object)
    names = locate(lat, lon)
    position = {r.name: i for i, r in enumerate(index.regions)}
    for name, i in position.items():
        rows = np.flatnonzero((said == name) & (names != name) & (precision > 0))
        if rows.size:
            # Degrees of longitude shrink with latitude: the bound is generous north-south.
            degrees = precision[rows] / (METRES_PER_DEGREE * np.cos(np.radians(lat[rows])))
            near = shapely.dwithin(
                index.geometries[i], shapely.points(lon[rows], lat[rows]), degrees
            )
            names[rows[near]] = name
    known = np.array([n in position for n in said.tolist()], dtype=bool)
    coarse = precision >= COUNTRY_WIDE_M
    names[coarse] = np.where(known[coarse], said[coarse], "")
    outside = (names == "") & ~coarse
    names[outside] = said[outside]
    names[~coarse & ~in_area(lat, lon)] = OUTSIDE_AREA
    return names


def locate_one(latitude: float, longitude: float) -> str:
    """The region name of one position, ``""`` outside every region."""
    index = _index()
    for region, geometry in zip(index.regions, index.geometries, strict=True):
        if shapely.intersects_xy(geometry, longitude, latitude):
            return region.name
    return ""


def region_of(latitude: float, longitude: float, reported: str, precision_m: int = 0) -> str:
    """The rule for one report (:func:`assign` for a batch of one)."""
    return str(
        assign(
            np.array([latitude]),
            np.array([longitude]),
            np.array([reported], dtype=object),
            np.array([precision_m]),
        )[0]
    )


# --- the outlines the map draws -----------------------------------------------------------

# The map asks for its region outlines at one of these levels of detail, by its zoom: the
# tolerance (degrees) of a topology-preserving Douglas–Peucker simplification, about a
# pixel or less at the zooms the level serves, and the decimals coordinates are rounded to.
MAP_DETAIL: dict[str, tuple[float, int]] = {
    "low": (0.01, 4),  # zoom 7 and out (the map opens at 7: a pixel is about 0.011° there)
    "medium": (0.003, 5),  # zooms 8 and 9
    "high": (0.0, 5),  # zoom 10 and in: the outlines as shipped, rounded to about a metre
}


@lru_cache(maxsize=len(MAP_DETAIL))
def map_outlines(detail: str = "low") -> bytes:
    """The region outlines for drawing at ``detail`` (a key of :data:`MAP_DETAIL`), as GeoJSON.

    Each region keeps its code, name and country; its outline is simplified with topology
    preserved (every region stays one valid, non-empty shape) and its coordinates rounded.
    Computed once per level. Only the map draws these: reports are located on the full
    outlines (:func:`assign`), never on a simplified one.
    """
    tolerance, places = MAP_DETAIL[detail]
    index = _index()
    features = []
    for region, outline in zip(index.regions, index.geometries, strict=True):
        drawn = shapely.simplify(outline, tolerance, preserve_topology=True)
        # On a grid of the rounding, then written with exactly those decimals.
        drawn = shapely.set_precision(drawn, 10.0**-places)
        drawn = shapely.transform(drawn, lambda xy: np.round(xy, places))
        features.append(
            {
                "type": "Feature",
                "properties": {"code": region.code, "name": region.name, "country": region.country},
                "geometry": mapping(drawn),
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode()
