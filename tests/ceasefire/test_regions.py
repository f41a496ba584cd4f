"""Which oblast a position lies in: the shipped outlines, the batch rule and the one-report rule."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.ceasefire import regions

PLACES = [
    ((50.45, 30.52), "Kyiv City"),
    ((50.00, 30.00), "Kyiv"),
    ((48.00, 37.80), "Donetsk"),
    ((48.57, 39.31), "Luhansk"),
    ((49.99, 36.23), "Kharkiv"),
    ((47.84, 35.14), "Zaporizhzhia"),
    ((46.64, 32.60), "Kherson"),
    ((46.48, 30.73), "Odesa"),
    ((44.95, 34.10), "Crimea"),
    ((44.60, 33.52), "Sevastopol"),
    ((49.84, 24.03), "Lviv"),
    ((50.60, 36.60), "Belgorod"),
    ((51.73, 36.19), "Kursk"),
]


@pytest.mark.parametrize(("position", "name"), PLACES)
def test_cities_lie_in_their_oblast(position: tuple[float, float], name: str) -> None:
    assert regions.locate_one(*position) == name


def test_positions_outside_every_outline_have_no_region() -> None:
    assert regions.locate_one(44.0, 32.0) == ""  # Black Sea
    assert regions.locate_one(52.52, 13.40) == ""  # Berlin
    assert list(regions.locate(np.array([44.0, 0.0]), np.array([32.0, 0.0]))) == ["", ""]


def test_outlines_cover_every_oblast_once() -> None:
    shipped = json.loads(regions.outlines_bytes())["features"]
    codes = [f["properties"]["code"] for f in shipped]
    assert len(codes) == len(set(codes))
    assert sum(c.startswith("UA-") for c in codes) == 27  # 24 oblasts, Crimea, Kyiv, Sevastopol
    assert [r.code for r in regions.regions()] == sorted(codes)


@pytest.mark.parametrize(
    ("reported", "name"),
    [
        ("Donets'k", "Donetsk"),
        ("Donetsk Oblast", "Donetsk"),
        ("donetska oblast", "Donetsk"),
        ("Zaporizhia", "Zaporizhzhia"),
        ("Zaporizhzhia oblast", "Zaporizhzhia"),
        ("Odessa", "Odesa"),
        ("Kiev City", "Kyiv City"),
        ("Avtonomna Respublika Krym", "Crimea"),
        ("UA-65", "Kherson"),
        ("  Somewhere else ", "Somewhere else"),
        ("", ""),
    ],
)
def test_reported_names_are_spelled_one_way(reported: str, name: str) -> None:
    assert regions.canonical(reported) == name


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(min_value=43.0, max_value=54.0, allow_nan=False),
            st.floats(min_value=21.0, max_value=42.0, allow_nan=False),
        ),
        min_size=1,
        max_size=200,
    )
)
def test_batch_rule_equals_the_one_report_rule(points: list[tuple[float, float]]) -> None:
    lat = np.array([p[0] for p in points])
    lon = np.array([p[1] for p in points])
    assert list(regions.locate(lat, lon)) == [regions.locate_one(a, b) for a, b in points]


def test_a_position_two_outlines_share_goes_to_the_first_by_code() -> None:
    import shapely
    from shapely.geometry import shape

    shipped = json.loads(regions.outlines_bytes())["features"]
    shapes = sorted(
        (f["properties"]["code"], f["properties"]["name"], shape(f["geometry"])) for f in shipped
    )
    shared = [
        (first, shapely.intersection(a, b).representative_point())
        for i, (_, first, a) in enumerate(shapes)
        for (_, _, b) in shapes[i + 1 :]
        if shapely.intersection(a, b).area > 0
    ]
    assert shared  # simplified one by one, neighbouring outlines overlap a little
    for first, point in shared:
        assert regions.locate_one(point.y, point.x) == first
        assert list(regions.locate(np.array([point.y]), np.array([point.x]))) == [first]


@pytest.mark.parametrize(
    ("reported", "name"),
    [
        ("Kyiv", "Kyiv"),
        ("Kyiv Oblast", "Kyiv"),
        ("Kiev Oblast", "Kyiv"),
        ("Kyiv City", "Kyiv City"),
    ],
)
def test_the_city_and_the_oblast_of_kyiv_stay_apart(reported: str, name: str) -> None:
    assert regions.canonical(reported) == name


def test_region_of_prefers_the_position_to_the_reported_name() -> None:
    assert regions.region_of(48.0, 37.8, "Kharkiv oblast") == "Donetsk"
    assert regions.region_of(44.0, 32.0, "Odessa") == "Odesa"
    assert regions.region_of(44.0, 32.0, "") == ""
