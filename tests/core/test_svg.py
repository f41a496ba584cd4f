"""Text in hand-made SVG: every writer strips what XML forbids and escapes markup."""

from __future__ import annotations

# The charts are our own output, parsed only to prove them well-formed XML.
import xml.etree.ElementTree as ET
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from coalition.ceasefire.figures import bar_chart_svg
from coalition.commitments import charts
from coalition.core.svg import NOT_XML, escape
from coalition.forcegen.charts import FillRow, fill_chart

LABEL = "Kyiv\x01 <Oblast> & \x0b\ufffe"


@given(st.text())
def test_escaped_text_is_well_formed_and_keeps_every_allowed_character(text: str) -> None:
    escaped = escape(text)
    assert not NOT_XML.search(escaped)
    element = ET.fromstring(f'<t a="{escaped}">{escaped}</t>')  # noqa: S314 - our own text
    kept = NOT_XML.sub("", text)
    # XML reads a carriage return as a newline; everything else comes back as it was.
    assert (element.text or "") == kept.replace("\r\n", "\n").replace("\r", "\n")


def _well_formed(svg: str) -> str:
    ET.fromstring(svg)  # noqa: S314 - our own output
    assert "\x01" not in svg and "\x0b" not in svg and "\ufffe" not in svg
    return svg


def test_every_svg_writer_strips_control_characters_from_labels() -> None:
    ceasefire = _well_formed(bar_chart_svg([LABEL], [3], title=LABEL))
    pledges = _well_formed(charts.bar_chart([charts.Bar(LABEL, Decimal(1), Decimal(0))], LABEL))
    plan = _well_formed(fill_chart([FillRow(LABEL, "ENG", 2, 1, 0)], {"ENG": LABEL}))
    for svg in (ceasefire, pledges, plan):
        assert "Kyiv &lt;Oblast&gt; &amp; " in svg
