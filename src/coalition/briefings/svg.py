"""Briefing charts drawn on the server as SVG. Pure: numbers in, text out.

A briefing is read printed, offline, and in a screen reader, so its charts

- use no script, no font, image, stylesheet or link of any kind: the output holds no
  ``href`` and no ``http`` at all, and fonts come from the page around it;
- say their numbers in text as well as in length: every bar carries its value, a line
  its last value, and ``<title>`` (the chart's accessible name, its first child) and
  ``<desc>`` (the figures in words) let the chart read without sight;
- put every text that comes from data through :func:`coalition.core.svg.escape`;
- have fixed ``width`` and ``height`` and a matching ``viewBox``, so the page lays out
  the same in the browser and in the PDF.

The ``<svg>`` element carries no namespace declaration (the namespace name is an
``http`` address, though nothing ever fetches it): the charts are inlined into HTML,
whose parser puts ``<svg>`` in the SVG namespace itself. :func:`standalone` adds the
declaration for a chart saved as a file of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from coalition.briefings.document import MINUS, grouped
from coalition.core.svg import escape

Number = int | float | Decimal
BarItem = tuple[str, Number] | tuple[str, Number, Number]

WIDTH = 720
COLOURS = ("#2b5c8a", "#e0a526")  # blue and amber tell apart in every common colour vision
LABEL_CHARS = 26
NOTHING = "nothing to chart"


def _decimal(value: Number) -> Decimal:
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ValueError(f"a chart takes finite numbers, not {value!r}")
    return number


def amount(value: Number, unit: str) -> str:
    """A value as a chart prints it: ``1,200 EUR m``, ``−80 km²``, ``12.5%``."""
    number = _decimal(value)
    text = (MINUS if number < 0 else "") + grouped(abs(number))
    if not unit:
        return text
    return f"{text}%" if unit == "%" else f"{text} {unit}"


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _scale(low: Decimal, high: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """Round ``low`` down and ``high`` up to a step of 1, 2, 2.5 or 5 times a power of ten,
    about four steps apart; zero stays inside. Returns (low, high, step)."""
    low, high = min(low, Decimal(0)), max(high, Decimal(0))
    raw = (high - low) / 4 if high > low else max(abs(high), Decimal(1)) / 4
    power = raw.adjusted()
    step = Decimal(10).scaleb(power)
    for multiple in ("1", "2", "2.5", "5", "10"):
        step = Decimal(multiple).scaleb(power)
        if step >= raw:
            break
    bottom = (low / step).to_integral_value(ROUND_FLOOR) * step
    top = (high / step).to_integral_value(ROUND_CEILING) * step
    if top == bottom:
        top = bottom + step
    return bottom, top, step


def _ticks(bottom: Decimal, top: Decimal, step: Decimal) -> list[Decimal]:
    count = int((top - bottom) / step)
    return [bottom + step * k for k in range(min(count, 20) + 1)]


def _open(width: int, height: int, title: str, desc: str, kind: str) -> list[str]:
    return [
        f'<svg class="chart chart-{kind}" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="inherit" font-size="12">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc)}</desc>",
        f'<text x="0" y="16" font-size="14" font-weight="bold" class="chart-title">'
        f"{escape(title)}</text>",
    ]


def _empty(title: str, kind: str) -> str:
    out = _open(WIDTH, 60, title, NOTHING, kind)
    out.append(f'<text x="0" y="44" class="empty">{escape(title)}: {NOTHING}.</text>')
    return "\n".join([*out, "</svg>"])


def standalone(svg: str) -> str:
    """A chart as a file of its own: the same SVG with its namespace declared."""
    return svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)


def bars(
    items: Sequence[BarItem],
    *,
    unit: str,
    title: str,
    series: Sequence[str] = (),
) -> str:
    """Horizontal bars, one row per label, its value printed at each bar's end.

    An item is ``(label, value)``, or ``(label, first, second)`` for two series side by
    side (commitments and deliveries per member), which ``series`` then names in a legend.
    Negative values extend left of the zero line.
    """
    arity = {len(item) - 1 for item in items}
    if len(arity) > 1:
        raise ValueError("every bar item must have the same number of series")
    width_of = arity.pop() if arity else max(len(series), 1)
    if series and len(series) != width_of:
        raise ValueError(f"{len(series)} series named for {width_of} values an item")
    if width_of > 1 and not series:
        raise ValueError("two series side by side need their names for the legend")
    rows = [(item[0], [_decimal(v) for v in item[1:]]) for item in items]
    if not rows:
        return _empty(title, "bars")
    label_w, plot_w, value_w = 190, 400, 130
    bar_h, gap, top = 14, 10, 30 + (22 if series else 0)
    row_h = bar_h * width_of + gap
    height = top + row_h * len(rows) + 36
    bottom, ceiling, step = _scale(
        min(v for _, vs in rows for v in vs), max(v for _, vs in rows for v in vs)
    )
    span = float(ceiling - bottom)

    def x_of(value: Decimal) -> float:
        return label_w + float(value - bottom) / span * plot_w

    names = list(series) or [""]
    desc = "; ".join(
        f"{label}: "
        + ", ".join(f"{name} {amount(v, unit)}".strip() for name, v in zip(names, vs, strict=True))
        for label, vs in rows
    )
    out = _open(label_w + plot_w + value_w, height, title, desc, "bars")
    for k, name in enumerate(series):
        x = label_w + k * 160
        out.append(f'<rect x="{x}" y="30" width="12" height="12" fill="{COLOURS[k]}"/>')
        out.append(f'<text x="{x + 18}" y="40" class="legend">{escape(name)}</text>')
    zero = x_of(Decimal(0))
    for i, (label, values) in enumerate(rows):
        y = top + i * row_h
        out.append(
            f'<text x="{label_w - 8}" y="{y + row_h / 2 + 2:.1f}" text-anchor="end" '
            f'class="label">{escape(_short(label))}<title>{escape(label)}</title></text>'
        )
        for j, value in enumerate(values):
            end = x_of(value)
            left, length = min(zero, end), abs(end - zero)
            by = y + j * bar_h
            said = amount(value, unit)
            out.append(
                f'<rect x="{left:.1f}" y="{by}" width="{length:.1f}" height="{bar_h - 2}" '
                f'fill="{COLOURS[j]}"><title>{escape(label)}'
                f"{': ' + escape(names[j]) if series else ''}: {escape(said)}</title></rect>"
            )
            out.append(
                f'<text x="{max(zero, end) + 4:.1f}" y="{by + bar_h - 3}" class="value">'
                f"{escape(said)}</text>"
            )
    axis_y = top + row_h * len(rows)
    out.append(
        f'<line x1="{label_w}" y1="{axis_y}" x2="{label_w + plot_w}" y2="{axis_y}" '
        'stroke="#555" class="axis"/>'
    )
    out.append(
        f'<line x1="{zero:.1f}" y1="{top - 4}" x2="{zero:.1f}" y2="{axis_y}" '
        'stroke="#555" class="zero"/>'
    )
    for tick in _ticks(bottom, ceiling, step):
        out.append(
            f'<text x="{x_of(tick):.1f}" y="{axis_y + 16}" text-anchor="middle" class="tick">'
            f"{escape(amount(tick.normalize(), unit))}</text>"
        )
    return "\n".join([*out, "</svg>"])


def line(points: Sequence[tuple[date, Number]], *, unit: str, title: str) -> str:
    """A line over days (the area held, a running total), its last value printed at its end.

    Points are taken in date order; the days between them are spaced true to time.
    """
    ordered = sorted(((day, _decimal(v)) for day, v in points), key=lambda p: p[0])
    if not ordered:
        return _empty(title, "line")
    left, right, top, plot_w, plot_h = 110, 150, 34, 460, 220
    height = top + plot_h + 40
    bottom, ceiling, step = _scale(min(v for _, v in ordered), max(v for _, v in ordered))
    first, last = ordered[0][0].toordinal(), ordered[-1][0].toordinal()
    days = last - first

    def xy(day: date, value: Decimal) -> tuple[float, float]:
        x = left + ((day.toordinal() - first) / days * plot_w if days else plot_w / 2)
        y = top + plot_h - float(value - bottom) / float(ceiling - bottom) * plot_h
        return x, y

    end_day, end_value = ordered[-1]
    desc = (
        f"From {ordered[0][0].isoformat()} ({amount(ordered[0][1], unit)}) to "
        f"{end_day.isoformat()} ({amount(end_value, unit)}), {len(ordered)} points"
    )
    out = _open(left + plot_w + right, height, title, desc, "line")
    for tick in _ticks(bottom, ceiling, step):
        _, y = xy(ordered[0][0], tick)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
            'stroke="#ddd" class="grid"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">'
            f"{escape(amount(tick.normalize(), unit))}</text>"
        )
    coords = [xy(day, value) for day, value in ordered]
    out.append(
        '<polyline points="'
        + " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        + f'" fill="none" stroke="{COLOURS[0]}" stroke-width="2.5" class="series"/>'
    )
    if len(ordered) <= 60:
        for (day, value), (x, y) in zip(ordered, coords, strict=True):
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{COLOURS[0]}">'
                f"<title>{day.isoformat()}: {escape(amount(value, unit))}</title></circle>"
            )
    x, y = coords[-1]
    out.append(
        f'<text x="{x + 6:.1f}" y="{y + 4:.1f}" class="value">'
        f"{escape(amount(end_value, unit))}</text>"
    )
    base = top + plot_h
    out.append(
        f'<line x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}" stroke="#555" '
        'class="axis"/>'
    )
    labelled = [ordered[0][0]] if not days else [ordered[0][0], end_day]
    for day in labelled:
        x, _ = xy(day, bottom)
        anchor = "middle" if not days else "start" if day == ordered[0][0] else "end"
        out.append(
            f'<text x="{x:.1f}" y="{base + 18}" text-anchor="{anchor}" class="tick">'
            f"{day.isoformat()}</text>"
        )
    return "\n".join([*out, "</svg>"])
