"""Small pure calculations for ceasefire statistics and charts. No database, no web."""

from __future__ import annotations

from collections.abc import Sequence

from coalition.core.svg import escape


def trend(values: Sequence[float]) -> float | None:
    """Least-squares slope per step of a series (``None`` for fewer than two points)."""
    n = len(values)
    if n < 2:
        return None
    mean_x = (n - 1) / 2
    mean_y = sum(values) / n
    num = sum((i - mean_x) * (v - mean_y) for i, v in enumerate(values))
    den = sum((i - mean_x) ** 2 for i in range(n))
    return round(num / den, 4)


def change_percent(before: int, during: int) -> float | None:
    """Change from ``before`` to ``during`` in per cent (``None`` when before is zero)."""
    if before == 0:
        return None
    return round(100.0 * (during - before) / before, 1)


def bar_chart_svg(
    labels: Sequence[str],
    values: Sequence[int],
    *,
    title: str,
    highlight_from: int | None = None,
    width: int = 720,
    height: int = 220,
) -> str:
    """An inline SVG bar chart with labelled axes; bars from ``highlight_from`` on are dark.

    Colour is never the only signal: the chart's description says which bars differ.
    """
    left, bottom, top = 44, 36, 24
    plot_w, plot_h = width - left - 10, height - bottom - top
    peak = max(values, default=0) or 1
    n = max(len(values), 1)
    bar_w = plot_w / n
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text x="{left}" y="14" class="chart-title">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'class="axis"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" class="axis"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" class="tick">{peak}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" class="tick">0</text>',
    ]
    step = max(1, n // 8)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * value / peak
        x = left + i * bar_w
        cls = "bar bar-during" if highlight_from is not None and i >= highlight_from else "bar"
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{top + plot_h - h:.1f}" width="{max(bar_w - 2, 1):.1f}" '
            f'height="{h:.1f}" class="{cls}"><title>{escape(label)}: {value}</title></rect>'
        )
        if i % step == 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 14}" text-anchor="middle" '
                f'class="tick">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
