"""The compiled loop of :mod:`~coalition.ceasefire.groupkernel`. Pure.

Every test is written as :mod:`~coalition.ceasefire.grouping` writes it (the same
formulas, in the same order, on the same C library's sine and cosine), so the two agree
to the last bit of every distance.
"""

from __future__ import annotations

import math
from typing import Any

import numba
import numpy as np

_DEG = math.pi / 180.0  # what math.radians multiplies by


@numba.njit(cache=True)
def _find(keys: Any, key: int) -> int:
    lo, hi = 0, len(keys)
    while lo < hi:
        mid = (lo + hi) // 2
        if keys[mid] < key:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(keys) and keys[lo] == key:
        return lo
    return -1


@numba.njit(cache=True)
def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float, earth: float) -> float:
    p1 = lat1 * _DEG
    p2 = lat2 * _DEG
    dp = p2 - p1
    dl = (lon2 - lon1) * _DEG
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * earth * math.asin(min(1.0, math.sqrt(h)))


@numba.njit(cache=True)
def _holds(head: Any, nxt: Any, source: Any, incident: int, wanted: int) -> bool:
    m = head[incident]
    while m >= 0:
        if source[m] == wanted:
            return True
        m = nxt[m]
    return False


@numba.njit(cache=True)
def seeds_of(
    start: Any,
    end: Any,
    lat: Any,
    lon: Any,
    kind: Any,
    source: Any,
    comp: Any,
    y: Any,
    x: Any,
    span_class: Any,
    spans: Any,
    rows: int,
    order: Any,
    keys: Any,
    first: Any,
    compat: Any,
    decided: Any,
    seed: Any,
    window: int,
    half: float,
    radius: float,
    earth: float,
    polar: int,
) -> Any:
    n = len(start)
    nd = len(decided)
    nspan = len(spans)
    rlat = np.empty(n)
    rlon = np.empty(n)
    coslat = np.empty(n)
    for i in range(n):
        rlat[i] = lat[i] * _DEG
        rlon[i] = lon[i] * _DEG
        coslat[i] = math.cos(rlat[i])
    is_seed = np.zeros(n, dtype=np.bool_)
    head = np.full(n, -1, dtype=np.int64)
    tail = np.full(n, -1, dtype=np.int64)
    nxt = np.full(n, -1, dtype=np.int64)
    for i in range(nd):
        s = decided[i]
        seed[i] = s
        if s == i:
            is_seed[i] = True
        if s >= 0:
            if head[s] < 0:
                head[s] = i
            else:
                nxt[tail[s]] = i
            tail[s] = i
    near_x = np.empty(polar + 1, dtype=np.int64)
    for i in range(nd, n):
        best = -1
        if x[i] == polar:
            count = polar + 1
            for k in range(count):
                near_x[k] = k
        else:
            count = 4
            near_x[0] = (x[i] - 1) % polar
            near_x[1] = x[i]
            near_x[2] = (x[i] + 1) % polar
            near_x[3] = polar
        for dy in range(-1, 2):
            for k in range(count):
                for sc in range(nspan):
                    key = ((comp[i] * rows + y[i] + dy) * (polar + 1) + near_x[k]) * nspan + sc
                    g = _find(keys, key)
                    if g < 0:
                        continue
                    # The first of the bucket's queue whose window may still reach i.
                    lo, hi = first[g], first[g + 1]
                    earliest = start[i] - spans[sc] - window
                    while lo < hi:
                        mid = (lo + hi) // 2
                        if start[order[mid]] < earliest:
                            lo = mid + 1
                        else:
                            hi = mid
                    for p in range(lo, first[g + 1]):
                        j = order[p]
                        if j >= i or (best >= 0 and j >= best):
                            break
                        if not is_seed[j] or source[j] == source[i]:
                            continue
                        if start[i] > end[j] + window or not compat[kind[j], kind[i]]:
                            continue
                        h = (
                            math.sin((rlat[i] - rlat[j]) / 2) ** 2
                            + coslat[i] * coslat[j] * math.sin((rlon[i] - rlon[j]) / 2) ** 2
                        )
                        if h > half:
                            continue
                        if _distance_km(lat[j], lon[j], lat[i], lon[i], earth) > radius:
                            continue
                        if _holds(head, nxt, source, j, source[i]):
                            continue
                        best = j
                        break
        if best < 0:
            seed[i] = i
            is_seed[i] = True
            head[i] = i
            tail[i] = i
        else:
            seed[i] = best
            nxt[tail[best]] = i
            tail[best] = i
    return seed
