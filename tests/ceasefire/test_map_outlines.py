"""The region outlines the map draws: simplified by zoom, small enough to send, all there.

The map opens at zoom 7 and asks for the coarse outlines; zoomed in it asks for finer
ones. Each level is valid GeoJSON holding every shipped region as a valid shape, within
about its tolerance of the shipped outline; reports are still located on the full ones.
"""

from __future__ import annotations

import json
from typing import Any

import shapely
from shapely.geometry import shape

from coalition.ceasefire import regions

SHIPPED = json.loads(regions.outlines_bytes())["features"]


def _outlines(body: bytes) -> dict[str, Any]:
    collection = json.loads(body)
    assert collection["type"] == "FeatureCollection"
    return {f["properties"]["code"]: f for f in collection["features"]}


def test_every_level_holds_every_region_as_a_valid_shape_near_the_shipped_one() -> None:
    for detail, (tolerance, places) in regions.MAP_DETAIL.items():
        drawn = _outlines(regions.map_outlines(detail))
        assert list(drawn) == [f["properties"]["code"] for f in SHIPPED], detail
        for feature in SHIPPED:
            code = feature["properties"]["code"]
            got = drawn[code]
            assert got["type"] == "Feature"
            assert got["properties"] == {
                "code": code,
                "name": feature["properties"]["name"],
                "country": feature["properties"]["country"],
            }
            assert got["geometry"]["type"] in ("Polygon", "MultiPolygon")
            outline = shape(got["geometry"])
            assert outline.is_valid and not outline.is_empty, (detail, code)
            full = shape(feature["geometry"])
            off = shapely.hausdorff_distance(outline.boundary, full.boundary)
            # Douglas–Peucker keeps each vertex within the tolerance; the shapes as a whole
            # stay within about that (a little more where a ring was kept from crossing).
            assert off <= 1.5 * tolerance + 2 * 10.0**-places, (detail, code, off)
            coordinates = shapely.get_coordinates(outline)
            assert (abs(coordinates * 10**places - (coordinates * 10**places).round()) < 1e-6).all()


def test_the_coarse_outlines_are_small_enough_to_send_and_finer_ones_larger() -> None:
    sizes = {detail: len(regions.map_outlines(detail)) for detail in regions.MAP_DETAIL}
    assert sizes["low"] < 150_000  # the opening zoom's (the file shipped is 717 kB)
    assert sizes["low"] < sizes["medium"] < sizes["high"] < len(regions.outlines_bytes())


def test_the_route_serves_each_level_and_refuses_an_unknown_one(client_for: Any) -> None:
    anonymous = client_for(None)
    opening = anonymous.get("/ceasefire/regions.geojson")
    assert opening.status_code == 200
    assert opening.headers["content-type"] == "application/geo+json"
    assert opening.content == regions.map_outlines("low")
    for detail in regions.MAP_DETAIL:
        got = anonymous.get("/ceasefire/regions.geojson", params={"detail": detail})
        assert got.status_code == 200 and got.content == regions.map_outlines(detail)
        assert len(_outlines(got.content)) == len(SHIPPED)
    assert anonymous.get("/ceasefire/regions.geojson?detail=full").status_code == 422


def test_reports_are_still_located_on_the_full_outlines() -> None:
    # A point inside Kyiv City's shipped outline but close to its edge keeps its unit.
    kyiv = next(f for f in SHIPPED if f["properties"]["name"] == "Kyiv City")
    full = shape(kyiv["geometry"])
    coarse = shape(_outlines(regions.map_outlines("low"))[kyiv["properties"]["code"]]["geometry"])
    between = full.difference(coarse)
    assert not between.is_empty  # the coarse outline leaves out a sliver of the city
    point = between.representative_point()
    assert regions.locate_one(point.y, point.x) == "Kyiv City"
