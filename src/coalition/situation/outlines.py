"""The region (oblast) outlines that areas are split by, as shipped. Pure.

The outlines are ``data/regions.geojson`` (see ``data/SOURCES.md``): Ukraine's oblasts,
Crimea and the cities of Kyiv and Sevastopol, then six Russian border regions from coarser
data, each keyed by its ISO 3166-2 code (the ``code`` property). Where outlines overlap,
the one earlier in the file wins (Ukraine's finer outlines come first), so that every
point belongs to at most one region and the areas by region add up to the whole. Read
and made disjoint once per process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import shapely
from shapely.geometry import shape


@dataclass(frozen=True)
class Outline:
    code: str  # ISO 3166-2
    name: str
    geometry: shapely.Geometry  # disjoint from every other outline, prepared


@lru_cache(maxsize=1)
def outlines() -> tuple[Outline, ...]:
    """Every shipped region's outline, disjoint from the others, in file order."""
    raw = json.loads((files("coalition") / "data" / "regions.geojson").read_bytes())
    taken: shapely.Geometry = shapely.Polygon()
    found: list[Outline] = []
    for feature in raw["features"]:
        properties = feature["properties"]
        outline = shapely.make_valid(shape(feature["geometry"]))
        # What an earlier outline already covers is not this region's.
        own = shapely.difference(outline, taken) if shapely.intersects(outline, taken) else outline
        taken = shapely.union(taken, outline)
        shapely.prepare(own)
        found.append(Outline(properties["code"], properties["name"], own))
    return tuple(found)
