"""The area chart: well-formed SVG, one path per source through its points in time order,
round axes that are not from zero, names escaped, and nothing to show said in words."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition.situation import chart

SVG = "{http://www.w3.org/2000/svg}"
D1, D2, D3 = dt.date(2025, 3, 1), dt.date(2025, 3, 2), dt.date(2025, 3, 11)


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it is well formed


def test_one_path_per_source_with_a_legend_and_a_description() -> None:
    svg = chart.area_chart(
        [
            chart.Series("deepstatemap", [(D3, 116_300.0), (D1, 116_165.0), (D2, 116_200.0)]),
            chart.Series("isw", [(D1, 115_900.0), (D3, 116_000.0)]),
            chart.Series("empty", []),
        ]
    )
    root = _parse(svg)
    paths = root.findall(f"{SVG}path")
    assert len(paths) == 2
    assert [p.findtext(f"{SVG}title") for p in paths] == ["deepstatemap", "isw"]
    # The first source's path runs in time order, left to right.
    xs = [float(x) for x in re.findall(r"[ML](-?[\d.]+),", paths[0].get("d", ""))]
    assert len(xs) == 3 and xs == sorted(xs)
    desc = root.findtext(f"{SVG}desc") or ""
    assert "deepstatemap: 116,165 km² on 2025-03-01, 116,300 km² on 2025-03-11" in desc
    assert "empty" not in svg
    assert "deepstatemap (116,300 km², 2025-03-11)" in svg
    assert "2025-03-01" in svg and "2025-03-11" in svg  # the first and last days are ticks
    assert "axis not from zero" in svg
    # Lines differ by more than colour.
    assert paths[0].get("stroke-dasharray") != paths[1].get("stroke-dasharray")


def test_the_higher_area_is_drawn_higher() -> None:
    svg = chart.area_chart([chart.Series("s", [(D1, 100.0), (D2, 200.0)])])
    d = _parse(svg).find(f"{SVG}path").get("d", "")  # type: ignore[union-attr]
    ys = [float(y) for y in re.findall(r",(-?[\d.]+)", d)]
    assert ys[1] < ys[0]  # SVG's y grows downwards


def test_names_are_escaped() -> None:
    svg = chart.area_chart([chart.Series('<b>"x"</b>\x01', [(D1, 5.0)])])
    _parse(svg)
    assert "<b>" not in svg and "&lt;b&gt;" in svg


def test_a_single_point_and_a_flat_series_still_draw() -> None:
    for points in ([(D1, 1000.0)], [(D1, 1000.0), (D2, 1000.0)]):
        root = _parse(chart.area_chart([chart.Series("s", points)]))
        assert len(root.findall(f"{SVG}path")) == 1
        assert "nan" not in ET.tostring(root, encoding="unicode")


def test_nothing_to_show_is_said() -> None:
    svg = chart.area_chart([chart.Series("s", [])], title="Held area")
    _parse(svg)
    assert "no snapshot you may see" in svg and "<path" not in svg


@given(
    st.floats(min_value=0, max_value=1e7, allow_nan=False),
    st.floats(min_value=0, max_value=1e7, allow_nan=False),
)
def test_the_axis_range_covers_the_values_in_round_steps(a: float, b: float) -> None:
    start, end, step = chart.nice_range(a, b)
    assert start <= min(a, b) and end >= max(a, b) and end > start
    assert step > 0
    steps = (end - start) / step
    assert abs(steps - round(steps)) < 1e-6 and 1 <= round(steps) <= 12


def test_an_infinite_range_is_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        chart.nice_range(0, float("inf"))


def test_path_d_is_sorted_by_day() -> None:
    d = chart.path_d([(D2, 2.0), (D1, 1.0)], lambda day: float(day.day), lambda v: v * 10)
    assert d == "M1.0,10.0 L2.0,20.0"


def test_values_as_good_as_equal_get_a_range_around_them() -> None:
    assert chart.nice_range(0.0, 5e-324) == chart.nice_range(0.0, 0.0)
    start, end, step = chart.nice_range(116_165.0, 116_165.0)
    assert start <= 116_165.0 - 1 and end >= 116_165.0 + 1 and step > 0
