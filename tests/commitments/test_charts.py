"""The SVG charts: labelled, escaped, and saying their numbers in text."""

from __future__ import annotations

# The charts are our own output, parsed only to prove them well-formed XML.
import xml.etree.ElementTree as ET
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from coalition.commitments import charts


def test_bars_name_every_member_and_value() -> None:
    svg = charts.bar_chart(
        [
            charts.Bar("United Kingdom", Decimal("1600000000"), Decimal("160000000")),
            charts.Bar("<France & co>", Decimal("0"), Decimal("0")),
        ]
    )
    ET.fromstring(svg)  # noqa: S314 - well-formed, so a hostile label cannot break out
    assert "United Kingdom: pledged €1.6bn, delivered €160m" in svg
    assert "&lt;France &amp; co&gt;" in svg and "<France" not in svg
    assert "Euros (ECB reference rates)" in svg


def test_an_empty_chart_says_so() -> None:
    assert "nothing you may see yet" in charts.line_chart([])


amount = st.decimals(min_value=0, max_value=10**12, places=2)


@given(st.lists(st.tuples(st.text(max_size=20), amount, amount), min_size=1, max_size=12))
def test_any_figures_make_a_well_formed_chart(rows) -> None:  # type: ignore[no-untyped-def]
    ET.fromstring(charts.bar_chart([charts.Bar(*r) for r in rows]))  # noqa: S314
    ET.fromstring(  # noqa: S314
        charts.line_chart(
            [charts.Point(f"2025-{i:02d}", p, d) for i, (_l, p, d) in enumerate(rows)]
        )
    )
