"""The synthetic report feed every ceasefire benchmark loads: one CSV in the reports layout.

Shared by the benchmark scripts (imported as a sibling module: each script runs from
this folder), so they all measure the same data.
"""

from __future__ import annotations

import csv
import datetime as dt

from coalition.ceasefire import synthetic

COLUMNS = [
    "source_kind",
    "source_name",
    "source_id",
    "reliability",
    "credibility",
    "occurred_at",
    "received_at",
    "latitude",
    "longitude",
    "precision_m",
    "region",
    "type",
    "weapon",
    "attribution",
    "casualties",
    "text",
]


def generate(path: str, rows: int) -> None:
    """Write ``rows`` synthetic reports, in time order within each day, to ``path``."""
    per_day = rows // 100 + 1  # events see 1.75 sources on average
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        for n, row in enumerate(
            synthetic.reports(
                dt.date(2025, 3, 25), 30, 30, per_day_before=per_day, per_day_during=per_day
            )
        ):
            if n >= rows:
                break
            writer.writerow(row)
