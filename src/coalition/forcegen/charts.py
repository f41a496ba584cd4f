"""Server-rendered SVG of a plan's fill, by phase and capability. Pure.

Each row is one (phase, capability) group with two bars, filled with the backstop and
filled without it, as a share of what the group requires; the figures are written beside
the bars, so the chart reads without colour.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from coalition.core.svg import escape


@dataclass(frozen=True)
class FillRow:
    phase: str
    capability: str
    required: int
    filled: int
    filled_without: int


class PlanLine(Protocol):
    phase: str
    capability: str
    required: int
    filled: int
    filled_without: int


def group_fill(lines: Iterable[PlanLine]) -> list[FillRow]:
    """Sum plan lines into one row per phase and capability, in phase then code order."""
    totals: dict[tuple[str, str], list[int]] = {}
    for line in lines:
        row = totals.setdefault((line.phase, line.capability), [0, 0, 0])
        row[0] += line.required
        row[1] += line.filled
        row[2] += line.filled_without
    order = {"monitoring": 0, "reassurance": 1, "regeneration": 2}
    keys = sorted(totals, key=lambda k: (order.get(k[0], 9), k))
    return [FillRow(phase, cap, *totals[(phase, cap)]) for phase, cap in keys]


def fill_chart(rows: list[FillRow], names: dict[str, str]) -> str:
    """An SVG bar chart of ``rows``; ``names`` maps capability codes to readable names."""
    label_w, bar_w, row_h = 300, 360, 34
    height = 40 + row_h * len(rows) + 10
    width = label_w + bar_w + 130
    out = [
        f'<svg class="fg-chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-label="Fill by phase and capability">',
        f'<text x="{label_w}" y="16" class="fg-axis">0%</text>',
        f'<text x="{label_w + bar_w // 2}" y="16" class="fg-axis" text-anchor="middle">50%</text>',
        f'<text x="{label_w + bar_w}" y="16" class="fg-axis" text-anchor="end">'
        "100% of required</text>",
        f'<rect x="{label_w}" y="22" width="12" height="8" class="fg-with"/>'
        f'<text x="{label_w + 16}" y="30" class="fg-legend">with backstop</text>',
        f'<rect x="{label_w + 130}" y="22" width="12" height="8" class="fg-without"/>'
        f'<text x="{label_w + 146}" y="30" class="fg-legend">without backstop</text>',
    ]
    for i, row in enumerate(rows):
        y = 40 + i * row_h
        name = escape(names.get(row.capability, row.capability))
        out.append(
            f'<text x="{label_w - 8}" y="{y + 13}" class="fg-label" text-anchor="end">'
            f"{escape(row.phase)} · {name}</text>"
        )
        out.append(f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="24" class="fg-track"/>')
        for j, (value, cls) in enumerate(
            ((row.filled, "fg-with"), (row.filled_without, "fg-without"))
        ):
            share = value / row.required if row.required else 0.0
            w = round(bar_w * min(share, 1.0), 1)
            out.append(
                f'<rect x="{label_w}" y="{y + 1 + j * 12}" width="{w}" height="10" class="{cls}"/>'
            )
        out.append(
            f'<text x="{label_w + bar_w + 8}" y="{y + 10}" class="fg-value">'
            f"{row.filled}/{row.required} with</text>"
        )
        out.append(
            f'<text x="{label_w + bar_w + 8}" y="{y + 22}" class="fg-value">'
            f"{row.filled_without}/{row.required} without</text>"
        )
    out.append("</svg>")
    return "".join(out)
