"""The grid the rollups and maps count reports on. Pure; no database, no web.

A cell is ``CELL`` degrees square at the finest level; the rollups keep the levels in
``LEVELS`` (multiples of ``CELL``), and the map coarsens them by powers of two.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

CELL = 0.1  # degrees: the finest grid the rollups keep; maps coarsen it by powers of two
# A coordinate's cell is floor(coordinate * PER_DEGREE): multiplying, not dividing by CELL,
# puts 48.4 in cell 484 (48.4 / 0.1 is 483.99999999999994), and the same product is
# computed bit for bit by polars, Python and both databases (``audit verify`` recomputes it).
PER_DEGREE = 10
LEVELS = (16, 4, 1)  # cell sizes kept, in multiples of CELL, coarsest first


def cell_of(latitude: float, longitude: float) -> tuple[int, int]:
    return math.floor(latitude * PER_DEGREE), math.floor(longitude * PER_DEGREE)


def coarsen(fine: Iterable[tuple[int, int, int]], factor: int) -> dict[tuple[int, int], int]:
    """Counts of fine cells ``(cell_y, cell_x, n)`` summed into cells ``factor`` times larger.

    Floor division composes (``(c // a) // b == c // (a * b)``), so coarsening the finest
    cells at once lands each count where coarsening a kept level step by step would.
    """
    coarse: dict[tuple[int, int], int] = {}
    for cy, cx, n in fine:
        key = (cy // factor, cx // factor)
        coarse[key] = coarse.get(key, 0) + n
    return coarse
