"""Briefing charts: well-formed SVG that fetches nothing and escapes whatever data says.

Pure tests. Hypothesis feeds arbitrary labels (markup, ampersands, control characters)
and finite values of every sign; each output must parse with xml.etree and carry no link.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition.briefings.svg import bars, line, standalone

NS = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it is well formed
    assert root.tag == "svg"
    for attribute in ("width", "height", "viewBox"):
        assert root.get(attribute), attribute
    width, height = root.get("width"), root.get("height")
    assert root.get("viewBox") == f"0 0 {width} {height}"
    assert root[0].tag == "title"  # the accessible name comes first
    return root


def _fetches_nothing(svg: str) -> None:
    lowered = svg.lower()
    for word in ("http", "href", "url(", "@import", "<script", "<image", "<foreignobject"):
        assert word not in lowered, word


def test_bars_name_each_member_and_value() -> None:
    svg = bars(
        [("France", 1200), ("United Kingdom", Decimal("950.5"))],
        unit="EUR m",
        title="Pledged by member",
    )
    root = _parse(svg)
    _fetches_nothing(svg)
    assert root[0].text == "Pledged by member"
    text = " ".join(root.itertext())
    assert "France" in text and "1,200 EUR m" in text and "950.5 EUR m" in text
    assert len(root.findall(".//rect")) == 2


def test_two_series_side_by_side_with_a_legend() -> None:
    svg = bars(
        [("France", 1200, 800), ("Poland", 400, 400)],
        unit="EUR m",
        title="Committed and delivered",
        series=("Committed", "Delivered"),
    )
    root = _parse(svg)
    _fetches_nothing(svg)
    text = " ".join(root.itertext())
    assert "Committed" in text and "Delivered" in text
    assert len(root.findall(".//rect")) == 2 * 2 + 2  # two bars a member, two legend keys


def test_bars_refuse_mixed_or_unnamed_series() -> None:
    with pytest.raises(ValueError, match="series"):
        bars([("France", 1, 2), ("Poland", 3)], unit="", title="t", series=("a", "b"))
    with pytest.raises(ValueError, match="series"):
        bars([("France", 1, 2)], unit="", title="t")
    with pytest.raises(ValueError, match="finite"):
        bars([("France", float("nan"))], unit="", title="t")


def test_negative_bars_extend_left_of_zero() -> None:
    root = _parse(bars([("Gained", 120), ("Lost", -80)], unit="km²", title="Change"))
    (gained, lost) = root.findall(".//rect")
    assert float(lost.get("x", "0")) < float(gained.get("x", "0"))
    assert "−80 km²" in " ".join(root.itertext())


def test_a_line_over_time() -> None:
    start = date(2025, 3, 1)
    points = [(start + timedelta(days=i), 1000 + 10 * i) for i in range(30)]
    svg = line(points, unit="km²", title="Area held")
    root = _parse(svg)
    _fetches_nothing(svg)
    assert root.find(".//polyline") is not None
    text = " ".join(root.itertext())
    assert "2025-03-01" in text and "2025-03-30" in text and "1,290 km²" in text


def test_a_line_of_one_point_and_an_empty_chart() -> None:
    _parse(line([(date(2025, 3, 1), 5)], unit="%", title="Fill"))
    for svg in (line([], unit="%", title="Fill"), bars([], unit="EUR", title="Pledges")):
        root = _parse(svg)
        assert "nothing to chart" in " ".join(root.itertext())


@pytest.mark.parametrize("label", ["<script>alert(1)</script>", "R&D <b>", "a\"b'c", "\x00\x1f"])
def test_labels_and_titles_are_escaped(label: str) -> None:
    for svg in (
        bars([(label, 1)], unit=label, title=label),
        line([(date(2025, 1, 1), 1), (date(2025, 1, 2), 2)], unit=label, title=label),
    ):
        root = _parse(svg)
        assert root.find(".//script") is None and root.find(".//b") is None
        assert "<script>" not in svg and "R&D" not in svg
        if "<" in label:
            assert label in "".join(root.itertext())


labels = st.text(max_size=40)
values = st.one_of(
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**12), max_value=10**12),
)


@given(
    st.lists(st.tuples(labels, values), max_size=12),
    st.lists(st.tuples(labels, values, values), max_size=12),
    labels,
    labels,
)
def test_every_bar_chart_parses_and_fetches_nothing(
    one: list[tuple[str, int | float | Decimal]],
    two: list[tuple[str, int | float | Decimal, int | float | Decimal]],
    unit: str,
    title: str,
) -> None:
    for svg in (
        bars(one, unit=unit, title=title),
        bars(two, unit=unit, title=title, series=(unit, title)),
    ):
        _parse(svg)
        _fetches_nothing(svg)


@given(
    st.lists(st.tuples(st.dates(), values), max_size=40),
    labels,
    labels,
)
def test_every_line_chart_parses_and_fetches_nothing(
    points: list[tuple[date, int | float | Decimal]], unit: str, title: str
) -> None:
    svg = line(points, unit=unit, title=title)
    _parse(svg)
    _fetches_nothing(svg)


def test_a_standalone_file_declares_only_the_namespace() -> None:
    svg = standalone(bars([("France", 1)], unit="", title="t"))
    root = ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it is well formed
    assert root.tag == f"{NS}svg"
    assert svg.count("http") == 1 and "href" not in svg
