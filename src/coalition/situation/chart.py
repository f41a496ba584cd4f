"""The chart of area over time, one line per source, drawn as inline SVG. Pure.

Days run along the x axis in proportion to time (a gap in a source's snapshots shows as a
gap in time, not as a step); the y axis spans the areas shown, padded to round figures,
not from zero: a front moves by a few hundred km² on a hundred thousand, and a zero-based
axis would draw every line flat. The axis says so. Each source is a ``<path>`` with its
own colour *and* its own dash pattern and point marker, named in a legend with its latest
area, and the chart's ``<desc>`` says each source's first and latest figures, so it reads
without colour vision and in a screen reader.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from coalition.core.svg import escape

COLOURS = ("#1b4f72", "#b03a2e", "#1e8449", "#7d3c98", "#b9770e", "#566573")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2")
MARKERS = ("circle", "square", "diamond", "triangle", "circle", "square")

WIDTH, HEIGHT = 760, 300
MIN_SPAN = 1e-6  # areas closer than this (or than this share) are one value on the axis
LEFT, RIGHT, TOP, BOTTOM = 78, 44, 54, 46


@dataclass(frozen=True)
class Series:
    """One source's areas: ``points`` are (day, km²), in any order."""

    name: str
    points: Sequence[tuple[dt.date, float]]


def km2(value: float) -> str:
    """An area in km² as a reader writes it: ``116,165 km²``."""
    return f"{value:,.0f} km²"


def nice_range(low: float, high: float, ticks: int = 5) -> tuple[float, float, float]:
    """A round axis range covering ``low``..``high``: (start, end, step), about ``ticks``
    steps. A single value (or two within :data:`MIN_SPAN`, absolute or relative) is given
    a range around it of at least one unit each way."""
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError("an axis range of finite numbers")
    if high < low:
        low, high = high, low
    if high - low < max(MIN_SPAN, abs(high) * MIN_SPAN):  # as good as one value
        pad = max(abs(high) * 0.01, 1.0)
        low, high = low - pad, high + pad
    raw = (high - low) / max(ticks, 1)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    end = math.ceil(high / step) * step
    if end == start:
        end = start + step
    return start, end, step


def path_d(
    points: Sequence[tuple[dt.date, float]],
    x_of: Callable[[dt.date], float],
    y_of: Callable[[float], float],
) -> str:
    """The ``d`` attribute of an SVG path through ``points`` (sorted by day)."""
    ordered = sorted(points)
    return " ".join(
        f"{'M' if i == 0 else 'L'}{x_of(day):.1f},{y_of(value):.1f}"
        for i, (day, value) in enumerate(ordered)
    )


def _marker(kind: str, x: float, y: float, colour: str, label: str) -> str:
    tip = f"<title>{escape(label)}</title>"
    if kind == "square":
        return (
            f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="{colour}">'
            f"{tip}</rect>"
        )
    if kind == "diamond":
        shape = f"{x:.1f},{y - 4:.1f} {x + 4:.1f},{y:.1f} {x:.1f},{y + 4:.1f} {x - 4:.1f},{y:.1f}"
        return f'<polygon points="{shape}" fill="{colour}">{tip}</polygon>'
    if kind == "triangle":
        shape = f"{x:.1f},{y - 4:.1f} {x + 4:.1f},{y + 3:.1f} {x - 4:.1f},{y + 3:.1f}"
        return f'<polygon points="{shape}" fill="{colour}">{tip}</polygon>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">{tip}</circle>'


def _day_ticks(first: dt.date, last: dt.date, most: int = 6) -> list[dt.date]:
    span = (last - first).days
    if span == 0:
        return [first]
    step = max(1, math.ceil(span / (most - 1)))
    days = [first + dt.timedelta(days=k) for k in range(0, span + 1, step)]
    if (last - days[-1]).days * 2 >= step:
        days.append(last)
    else:
        days[-1] = last
    return days


def area_chart(series: Sequence[Series], title: str = "Area over time by source") -> str:
    """The inline SVG chart of ``series`` (sources without points are left out); a
    chart of nothing says so in words."""
    shown = [s for s in series if s.points]
    if not shown:
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart situation-chart chart-empty" '
            f'role="img" viewBox="0 0 400 40" width="100%"><title>{escape(title)}</title>'
            f'<text x="0" y="24" class="label">{escape(title)}: no snapshot you may see.</text>'
            "</svg>"
        )
    days = [day for s in shown for day, _ in s.points]
    values = [value for s in shown for _, value in s.points]
    first, last = min(days), max(days)
    low, high, step = nice_range(min(values), max(values))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    span = max((last - first).days, 1)

    def x_of(day: dt.date) -> float:
        if first == last:
            return LEFT + plot_w / 2
        return LEFT + plot_w * (day - first).days / span

    def y_of(value: float) -> float:
        return TOP + plot_h - plot_h * (value - low) / (high - low)

    desc = "; ".join(
        f"{s.name}: {km2(min(s.points)[1])} on {min(s.points)[0].isoformat()}, "
        f"{km2(max(s.points)[1])} on {max(s.points)[0].isoformat()}"
        for s in shown
    )
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart situation-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" aria-labelledby="situation-chart-title">',
        f'<title id="situation-chart-title">{escape(title)}</title>',
        f"<desc>{escape(desc)}</desc>",
        f'<text x="0" y="16" class="chart-title">{escape(title)}</text>',
    ]
    # Legend: colour, dash and marker, the name and the latest area.
    x = LEFT
    for i, s in enumerate(shown):
        colour, dash, mark = (t[i % len(t)] for t in (COLOURS, DASHES, MARKERS))
        latest_day, latest = max(s.points)
        label = f"{s.name} ({km2(latest)}, {latest_day.isoformat()})"
        out.append(
            f'<line x1="{x}" y1="34" x2="{x + 22}" y2="34" stroke="{colour}" stroke-width="2.5"'
            + (f' stroke-dasharray="{dash}"' if dash else "")
            + "/>"
        )
        out.append(_marker(mark, x + 11, 34, colour, label))
        out.append(f'<text x="{x + 28}" y="38" class="legend">{escape(label)}</text>')
        x += 40 + 7 * len(label)
    # Axes, grid and ticks.
    count = round((high - low) / step)
    for k in range(count + 1):
        value = low + k * step
        y = y_of(value)
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" class="grid"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">'
            f"{value:,.0f}</text>"
        )
    base = TOP + plot_h
    out.append(f'<line x1="{LEFT}" y1="{base}" x2="{LEFT + plot_w}" y2="{base}" class="axis"/>')
    out.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" class="axis"/>')
    ticks = _day_ticks(first, last)
    for day in ticks:
        # The last day's label ends at the axis's end, so it is never cut off.
        anchor = "end" if day == last and len(ticks) > 1 else "middle"
        out.append(
            f'<text x="{x_of(day):.1f}" y="{base + 16}" text-anchor="{anchor}" class="tick">'
            f"{day.isoformat()}</text>"
        )
    out.append(
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 6}" text-anchor="middle" '
        'class="axis-label">Day of the snapshot (UTC)</text>'
    )
    out.append(
        f'<text x="14" y="{TOP + plot_h / 2:.1f}" text-anchor="middle" class="axis-label" '
        f'transform="rotate(-90 14 {TOP + plot_h / 2:.1f})">km² (axis not from zero)</text>'
    )
    # The lines, then their points.
    for i, s in enumerate(shown):
        colour, dash, mark = (t[i % len(t)] for t in (COLOURS, DASHES, MARKERS))
        out.append(
            f'<path d="{path_d(s.points, x_of, y_of)}" fill="none" stroke="{colour}" '
            'stroke-width="2.5"'
            + (f' stroke-dasharray="{dash}"' if dash else "")
            + f' class="series"><title>{escape(s.name)}</title></path>'
        )
        if len(s.points) <= 60:  # beyond that the markers hide the line
            for day, value in sorted(s.points):
                out.append(
                    _marker(
                        mark,
                        x_of(day),
                        y_of(value),
                        colour,
                        f"{s.name}, {day.isoformat()}: {km2(value)}",
                    )
                )
    out.append("</svg>")
    return "\n".join(out)
