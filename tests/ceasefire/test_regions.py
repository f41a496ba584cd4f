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


def test_a_position_two_outlines_share_goes_to_the_first_in_the_file() -> None:
    """Ukraine's finer outlines come first: a village on the Ukrainian side of the border
    is not counted in the Russian region whose coarse outline spills over it."""
    import shapely
    from shapely.geometry import shape

    shipped = json.loads(regions.outlines_bytes())["features"]
    shapes = [
        (f["properties"]["code"], f["properties"]["name"], shape(f["geometry"])) for f in shipped
    ]
    assert [c for c, _, _ in shapes[:27]] == sorted(c for c, _, _ in shapes if c.startswith("UA"))
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


@pytest.mark.parametrize(
    ("place", "position", "name"),
    [
        # Towns of Kyiv oblast the old outline of the city (twice its size) swallowed.
        ("Irpin", (50.5218, 30.2506), "Kyiv"),
        ("Hostomel", (50.5694, 30.2650), "Kyiv"),
        ("Vyshhorod", (50.5847, 30.4898), "Kyiv"),
        ("Obukhiv", (50.1072, 30.6211), "Kyiv"),
        ("Kyiv, Maidan", (50.4501, 30.5234), "Kyiv City"),
        # Ukrainian villages at the border the coarse Russian outlines spilled over.
        ("Kozacha Lopan", (50.3547, 36.2181), "Kharkiv"),
        ("Seredyna-Buda", (52.1903, 34.0367), "Sumy"),
        ("Milove", (49.3790, 40.1320), "Luhansk"),
        ("Belgorod", (50.5955, 36.5873), "Belgorod"),
    ],
)
def test_places_near_boundaries_lie_in_their_oblast(
    place: str, position: tuple[float, float], name: str
) -> None:
    assert regions.region_of(*position, "") == name, place


def test_the_source_oblast_is_kept_within_the_position_precision_of_its_boundary() -> None:
    # Irpin lies about 1.5 km outside the city of Kyiv.
    irpin = (50.5218, 30.2506)
    assert regions.region_of(*irpin, "Kyiv City", precision_m=100) == "Kyiv"
    assert regions.region_of(*irpin, "Kyiv City", precision_m=5_000) == "Kyiv City"
    assert regions.region_of(*irpin, "Kyiv City", precision_m=0) == "Kyiv"
    # A region the position is nowhere near is not kept, whatever the source says.
    assert regions.region_of(48.0, 37.8, "Lviv", precision_m=5_000) == "Donetsk"
    # Known only to the country: no oblast, unless the source names one.
    assert regions.region_of(49.0, 32.0, "", precision_m=1_000_000) == ""
    assert regions.region_of(49.0, 32.0, "Poltava", precision_m=1_000_000) == "Poltava"


@given(
    st.lists(
        st.tuples(
            st.floats(44.0, 53.0),
            st.floats(22.0, 41.0),
            st.sampled_from(["", "Kharkiv", "Kyiv City", "Sumy oblast", "Belgorod", "nowhere"]),
            st.sampled_from([0, 100, 1_000, 25_000, 100_000, 1_000_000]),
        ),
        min_size=1,
        max_size=60,
    )
)
@settings(max_examples=40, deadline=None)
def test_the_batch_assignment_equals_the_one_report_rule(
    reports: list[tuple[float, float, str, int]],
) -> None:
    batch = regions.assign(
        np.array([r[0] for r in reports]),
        np.array([r[1] for r in reports]),
        np.array([r[2] for r in reports], dtype=object),
        np.array([r[3] for r in reports]),
    )
    assert list(batch) == [regions.region_of(*r) for r in reports]


def test_region_of_prefers_the_position_to_the_reported_name() -> None:
    assert regions.region_of(48.0, 37.8, "Kharkiv oblast") == "Donetsk"
    assert regions.region_of(44.0, 32.0, "Odessa") == "Odesa"
    assert regions.region_of(44.0, 32.0, "") == ""
