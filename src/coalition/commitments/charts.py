"""Server-rendered SVG charts of pledges and deliveries. Pure: text in, text out.

Every chart has a title, labelled axes, and says its numbers in text as well as in
colour: each bar carries its value, and each series is named in a legend, so the chart
reads without colour vision and in a screen reader (the SVG has a ``<title>`` and
``<desc>``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from coalition.core.svg import escape

PLEDGED = "#2b5c8a"
DELIVERED = "#e0a526"


@dataclass(frozen=True)
class Bar:
    label: str
    pledged: Decimal
    delivered: Decimal


@dataclass(frozen=True)
class Point:
    label: str
    pledged: Decimal
    delivered: Decimal


def euros(value: Decimal) -> str:
    """A euro amount in a few characters: ``€1.2bn``, ``€350m``, ``€12k``, ``€0``."""
    amount = float(value)
    for size, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(amount) >= size:
            scaled = amount / size
            return f"€{scaled:.1f}{suffix}" if scaled < 10 else f"€{scaled:.0f}{suffix}"
    return f"€{amount:.0f}"


def number(value: Decimal) -> str:
    """A decimal as plain digits without trailing zeros: ``100.000`` becomes ``100``."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude: float = 10.0 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def _open(width: int, height: int, title: str, desc: str, css_class: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css_class}" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-labelledby="{css_class}-title">',
        f'<title id="{css_class}-title">{escape(title)}</title>',
        f"<desc>{escape(desc)}</desc>",
    ]


def _legend(x: int, y: int) -> list[str]:
    return [
        f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{PLEDGED}"/>',
        f'<text x="{x + 18}" y="{y}" class="legend">Pledged</text>',
        f'<rect x="{x + 90}" y="{y - 10}" width="12" height="12" fill="{DELIVERED}"/>',
        f'<text x="{x + 108}" y="{y}" class="legend">Delivered</text>',
    ]


def bar_chart(bars: Sequence[Bar], title: str = "Pledged and delivered by member") -> str:
    """Horizontal paired bars, one pair per member, with the euro value at each bar's end."""
    if not bars:
        return _empty(title)
    label_w, plot_w, row_h, top = 150, 520, 34, 48
    width = label_w + plot_w + 90
    height = top + row_h * len(bars) + 40
    top_value = _nice_max(float(max(max(b.pledged, b.delivered) for b in bars)))
    desc = "; ".join(
        f"{b.label}: pledged {euros(b.pledged)}, delivered {euros(b.delivered)}" for b in bars
    )
    out = _open(width, height, title, desc, "chart-bars")
    out.append(f'<text x="0" y="18" class="chart-title">{escape(title)}</text>')
    out += _legend(label_w, 38)
    for i, bar in enumerate(bars):
        y = top + i * row_h
        out.append(
            f'<text x="{label_w - 8}" y="{y + 18}" text-anchor="end" class="label">'
            f"{escape(bar.label)}</text>"
        )
        for j, (value, colour, name) in enumerate(
            ((bar.pledged, PLEDGED, "pledged"), (bar.delivered, DELIVERED, "delivered"))
        ):
            w = max(float(value) / top_value * plot_w, 0 if value == 0 else 1)
            by = y + 4 + j * 13
            out.append(
                f'<rect x="{label_w}" y="{by}" width="{w:.1f}" height="12" fill="{colour}">'
                f"<title>{escape(bar.label)} {name}: {euros(value)}</title></rect>"
            )
            out.append(
                f'<text x="{label_w + w + 4:.1f}" y="{by + 10}" class="value">{euros(value)}</text>'
            )
    axis_y = top + row_h * len(bars) + 4
    out.append(
        f'<line x1="{label_w}" y1="{axis_y}" x2="{label_w + plot_w}" y2="{axis_y}" class="axis"/>'
    )
    for k in range(5):
        x = label_w + plot_w * k / 4
        out.append(
            f'<text x="{x:.1f}" y="{axis_y + 16}" text-anchor="middle" class="tick">'
            f"{euros(Decimal(top_value * k / 4))}</text>"
        )
    out.append(
        f'<text x="{label_w + plot_w / 2:.1f}" y="{axis_y + 32}" text-anchor="middle" '
        'class="axis-label">Euros (ECB reference rates)</text>'
    )
    out.append("</svg>")
    return "\n".join(out)


def line_chart(points: Sequence[Point], title: str = "Cumulative pledged and delivered") -> str:
    """Two cumulative lines over months; the gap between them is what is still owed."""
    if not points:
        return _empty(title)
    left, right, top, bottom = 80, 40, 48, 50
    plot_w, plot_h = 620, 240
    width, height = left + plot_w + right, top + plot_h + bottom
    top_value = _nice_max(float(max(max(p.pledged, p.delivered) for p in points)))
    n = len(points)

    def xy(i: int, value: Decimal) -> str:
        x = left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)
        y = top + plot_h - float(value) / top_value * plot_h
        return f"{x:.1f},{y:.1f}"

    last = points[-1]
    desc = (
        f"From {points[0].label} to {last.label}: pledged {euros(last.pledged)}, delivered "
        f"{euros(last.delivered)}, gap {euros(last.pledged - last.delivered)}"
    )
    out = _open(width, height, title, desc, "chart-lines")
    out.append(f'<text x="0" y="18" class="chart-title">{escape(title)}</text>')
    out += _legend(left, 38)
    for k in range(5):
        y = top + plot_h - plot_h * k / 4
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" class="grid"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">'
            f"{euros(Decimal(top_value * k / 4))}</text>"
        )
    for series, colour, name in (
        ("pledged", PLEDGED, "Pledged"),
        ("delivered", DELIVERED, "Delivered"),
    ):
        coords = " ".join(xy(i, getattr(p, series)) for i, p in enumerate(points))
        out.append(
            f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2.5" '
            f'class="series series-{series}"><title>{name}</title></polyline>'
        )
        end = xy(n - 1, getattr(last, series)).split(",")
        out.append(
            f'<text x="{float(end[0]) - 4:.1f}" y="{float(end[1]) - 6:.1f}" text-anchor="end" '
            f'class="value">{name} {euros(getattr(last, series))}</text>'
        )
    step = max(1, n // 8)
    for i in range(0, n, step):
        x = left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)
        out.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle" class="tick">'
            f"{escape(points[i].label)}</text>"
        )
    out.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h + 38}" text-anchor="middle" '
        'class="axis-label">Month (pledges by announcement, deliveries by arrival)</text>'
    )
    out.append("</svg>")
    return "\n".join(out)


def _empty(title: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-empty" role="img" '
        f'viewBox="0 0 400 60" width="100%"><title>{escape(title)}</title>'
        f'<text x="0" y="30" class="label">{escape(title)}: nothing you may see yet.</text></svg>'
    )
