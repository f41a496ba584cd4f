"""The grouping rule over arrays, a batch at a time. Pure; no database, no web.

:func:`coalition.ceasefire.grouping.assign` states the rule one report at a time, and
reads as the rule reads; a batch of ten thousand reports takes it most of a second. This
module answers the same question for a whole batch at once. The reports travel as
columns (times in microseconds, positions, type, source and compartment as numbers).
Every pair a report might join is found for the whole batch at once on the rule's grid
of buckets (numpy: each bucket's queue is a sorted run, and two binary searches per
report and neighbouring bucket bound the seeds still in time and before it); pairs of
another compartment or the same source, out of time, of incompatible types or clearly
too far apart are dropped as arrays. What stays is sequential by nature, and short: a
walk in canonical order takes each report's candidates earliest first and joins the
first that is a seed, within the radius to the last bit, and holds no report of its
source. The answer is the rule's, report for report: property tests hold the two to
that on random batches, and the import falls back to the rule where this module
declines (positions beyond 75° of latitude).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from coalition.ceasefire import grouping

_US = dt.timedelta(microseconds=1)
_WINDOW_US = grouping.WINDOW // _US
_HALF = grouping._HALF  # the haversine term at the radius, a hair wide
# Pairs whose haversine term, as numpy reckons it, lies this far inside the radius are
# within it however the last bits fall; only those nearer the edge are decided exactly.
_INSIDE = math.sin(grouping.RADIUS_KM / grouping.EARTH_KM / 2) ** 2 * (1 - 1e-7)
_POLAR_X = grouping._LON_BUCKETS  # a latitude band beyond 75°, one bucket of its own

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


def compatibility(types: Sequence[str]) -> npt.NDArray[np.bool_]:
    """Which of ``types`` may describe one event, as a matrix (:func:`grouping.compatible`)."""
    return np.array([[grouping.compatible(a, b) for b in types] for a in types], dtype=np.bool_)


def buckets(lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64]) -> tuple[Ints, Ints]:
    """Each position's grid bucket, as :func:`grouping._bucket` finds it (the polar bands
    beyond 75° in the column ``_POLAR_X``)."""
    y = np.floor(lat / grouping._LAT_STEP).astype(np.int64)
    x = np.floor((lon + 180) / grouping._LON_STEP).astype(np.int64) % grouping._LON_BUCKETS
    return y, np.where(np.abs(lat) > 75, _POLAR_X, x)


@dataclass(frozen=True)
class Columns:
    """A batch of sightings as columns, in canonical order (window start, then natural
    key): window start and length in microseconds, position, and the type (an index of
    ``compat``), source and compartment as codes (equal codes, equal names)."""

    start_us: Ints
    span_us: Ints
    lat: Floats
    lon: Floats
    kind: Ints
    source: Ints
    compartment: Ints
    compat: npt.NDArray[np.bool_]

    def __len__(self) -> int:
        return len(self.start_us)


ARRIVING = -2  # in ``was``: an item arriving now, no seed yet
ELSEWHERE = -1  # in ``was``/``decided``: a stored seed not among the items


@dataclass(frozen=True)
class Cascaded:
    """What :func:`cascade` decided: the seed of every item (index), the items whose
    seed is new (every arriving one among them), the items taken again, and the seeds
    of the incidents that changed (:func:`grouping.cascade` names them alike)."""

    seeds: Ints
    changed: Ints
    taken_again: Ints
    touched: Ints


def assign(cols: Columns, decided: Ints) -> Ints | None:
    """The index of each item's seed, as :func:`grouping.assign` decides; ``None`` when
    an item lies beyond 75° of latitude (the rule's own index takes those).

    The first ``len(decided)`` items are already decided (``decided[i]`` is the index of
    their seed, or :data:`ELSEWHERE`), and every one precedes every item to decide.
    """
    was = np.full(len(cols) - len(decided), ARRIVING, dtype=np.int64)
    done = cascade(cols, decided, was)
    return None if done is None else done.seeds


def cascade(cols: Columns, decided: Ints, was: Ints) -> Cascaded | None:
    """:func:`grouping.cascade` over columns: the first ``len(decided)`` items are the
    stored ones before the earliest arriving one (with their seeds); each later item is
    arriving (``was`` :data:`ARRIVING`) or stored (``was`` its seed's index, or
    :data:`ELSEWHERE`). ``None`` where the rule's own walk must decide: a position
    beyond 75° of latitude, or a stored item whose seed lies outside the items and would
    change."""
    n = len(cols)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Cascaded(empty, empty, empty, empty)
    pairs = _candidates(cols, len(decided))
    if pairs is None:
        return None
    return _walk(cols, decided, was, *pairs)


def _candidates(cols: Columns, decided: int) -> tuple[Ints, Ints, Bools] | None:
    """Every (item, earlier item) pair the rule may join, leaving aside which earlier
    items are seeds and which sources their incidents hold: same compartment, another
    source, in time, compatible types, and within the radius give or take a hair (the
    walk decides the distance exactly). As (pointer per item, candidates), the
    candidates of item ``i`` at ``ptr[i]:ptr[i + 1]``, earliest first, with whether each
    lies inside the radius beyond doubt; for the items from ``decided`` on."""
    start_us, span_us, lat, lon = cols.start_us, cols.span_us, cols.lat, cols.lon
    kind, source, compartment, compat = cols.kind, cols.source, cols.compartment, cols.compat
    n = len(cols)
    y, x = buckets(lat, lon)
    if (x == _POLAR_X).any():
        return None
    spans, span_class = np.unique(span_us, return_inverse=True)
    ymin = int(y.min()) - 1
    rows = int(y.max()) - ymin + 2
    group = ((compartment * rows + (y - ymin)) * (_POLAR_X + 1) + x) * len(spans) + span_class
    index = np.arange(n, dtype=np.int64)
    order = np.lexsort((index, group))
    keys, first = np.unique(group[order], return_index=True)
    rank = np.repeat(np.arange(len(keys), dtype=np.int64), np.diff(np.append(first, n)))
    # Within a bucket's queue the items run in canonical order, so their times rise too:
    # one sorted number per position finds, for every item at once, the queue's first
    # item still in time (by_time) and its first item not before the item (by_index).
    t0 = int(start_us.min()) - int(spans.max()) - _WINDOW_US - 1
    width = int(start_us.max()) - t0 + 1
    if len(keys) * max(width, n) >= 2**62:
        return None
    by_time = rank * width + (start_us[order] - t0)
    by_index = rank * n + index[order]
    todo = index[decided:]
    found_i: list[Ints] = []
    found_j: list[Ints] = []
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            near_x = (x[todo] + dx) % _POLAR_X
            for sc, span in enumerate(spans.tolist()):
                key = (
                    (compartment[todo] * rows + (y[todo] + dy - ymin)) * (_POLAR_X + 1) + near_x
                ) * len(spans) + sc
                g = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
                hit = keys[g] == key
                lo = np.searchsorted(by_time, g * width + (start_us[todo] - span - _WINDOW_US - t0))
                hi = np.searchsorted(by_index, g * n + todo)
                counts = np.where(hit, np.maximum(hi - lo, 0), 0)
                total = int(counts.sum())
                if total == 0:
                    continue
                ends = np.cumsum(counts)
                step = np.arange(total, dtype=np.int64) - np.repeat(ends - counts, counts)
                found_i.append(np.repeat(todo, counts))
                found_j.append(order[np.repeat(lo, counts) + step])
    if not found_i:
        return np.zeros(n + 1, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, bool)
    pi, pj = np.concatenate(found_i), np.concatenate(found_j)
    rlat, rlon = np.radians(lat), np.radians(lon)
    h = (
        np.sin((rlat[pi] - rlat[pj]) / 2) ** 2
        + np.cos(rlat[pi]) * np.cos(rlat[pj]) * np.sin((rlon[pi] - rlon[pj]) / 2) ** 2
    )
    keep = (
        (source[pi] != source[pj])
        & (start_us[pi] <= start_us[pj] + span_us[pj] + _WINDOW_US)
        & compat[kind[pj], kind[pi]]
        & (h <= _HALF * (1 + 1e-6))
    )
    pi, pj, h = pi[keep], pj[keep], h[keep]
    ranked = np.lexsort((pj, pi))
    pi, pj = pi[ranked], pj[ranked]
    return np.searchsorted(pi, np.arange(n + 1)), pj, h[ranked] <= _INSIDE


def _walk(
    cols: Columns, decided: Ints, was: Ints, ptr: Ints, candidates: Ints, inside: Bools
) -> Cascaded | None:
    """The rule's walk over the candidates, from the earliest arriving item on: an item
    arriving, or stored and able to join a seed whose incident changed, joins the
    earliest candidate that is a seed, lies within the radius (decided exactly, as
    :mod:`grouping` decides it, where the arrays leave a doubt) and whose incident holds
    no report of its source, or seeds an incident of its own; any other keeps its seed.
    Past one window after the last change nothing can change, and the walk stops."""
    n, nd = len(cols), len(decided)
    lats, lons, src = cols.lat.tolist(), cols.lon.tolist(), cols.source.tolist()
    start, end = cols.start_us.tolist(), (cols.start_us + cols.span_us).tolist()
    starts, cands, sure = ptr.tolist(), candidates.tolist(), inside.tolist()
    seed = [*decided.tolist(), *was.tolist()]
    sources: dict[int, set[int]] = {}
    for i in range(nd):
        if seed[i] >= 0:
            sources.setdefault(seed[i], set()).add(src[i])
    is_seed = [i < nd and seed[i] == i for i in range(n)]
    arriving = [i >= nd and seed[i] == ARRIVING for i in range(n)]
    horizon = max((start[i] for i in range(nd, n) if arriving[i]), default=0)
    changed: set[int] = set()
    out: list[int] = []
    taken: list[int] = []
    touched: list[int] = []
    for i in range(nd, n):
        if start[i] > horizon:
            break
        before = seed[i]
        if arriving[i] or any(
            cands[k] in changed
            and (sure[k] or _within(lats[cands[k]], lons[cands[k]], lats[i], lons[i]))
            for k in range(starts[i], starts[i + 1])
        ):
            mine, found = src[i], i
            for k in range(starts[i], starts[i + 1]):
                j = cands[k]
                if (
                    is_seed[j]
                    and mine not in sources[j]
                    and (sure[k] or _within(lats[j], lons[j], lats[i], lons[i]))
                ):
                    found = j
                    break
            taken.append(i)
            if found != before:
                if before == ELSEWHERE:
                    return None  # its old incident lies outside what was read
                seed[i] = found
                out.append(i)
                for c in (found, before):
                    if c >= 0:
                        changed.add(c)
                        touched.append(c)
                        horizon = max(horizon, end[c] + _WINDOW_US)
        if seed[i] == i:
            is_seed[i] = True
        if seed[i] >= 0:
            sources.setdefault(seed[i], set()).add(src[i])
    return Cascaded(
        np.array(seed, dtype=np.int64),
        np.array(out, dtype=np.int64),
        np.array(taken, dtype=np.int64),
        np.array(touched, dtype=np.int64),
    )


def _within(lat_seed: float, lon_seed: float, lat: float, lon: float) -> bool:
    """The rule's own test of distance (its index's and :func:`grouping.joins`'), to the
    last bit."""
    p, q = math.radians(lat), math.radians(lat_seed)
    h = (
        math.sin((p - q) / 2) ** 2
        + math.cos(p)
        * math.cos(q)
        * math.sin((math.radians(lon) - math.radians(lon_seed)) / 2) ** 2
    )
    return h <= _HALF and (grouping.distance_km(lat_seed, lon_seed, lat, lon) <= grouping.RADIUS_KM)


def _order(s: grouping.Sighting) -> tuple[dt.datetime, str]:
    return s.occurred_at, s.key


def columns_of(ordered: Sequence[grouping.Sighting]) -> Columns:
    """Sightings (in canonical order) as columns."""
    types = sorted({s.type for s in ordered})
    sources = {name: code for code, name in enumerate(sorted({s.source for s in ordered}))}
    rooms = {name: code for code, name in enumerate(sorted({s.compartment for s in ordered}))}
    kinds = {name: code for code, name in enumerate(types)}
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return Columns(
        np.array([(s.occurred_at - epoch) // _US for s in ordered], dtype=np.int64),
        np.array([s.span // _US for s in ordered], dtype=np.int64),
        np.array([s.latitude for s in ordered], dtype=np.float64),
        np.array([s.longitude for s in ordered], dtype=np.float64),
        np.array([kinds[s.type] for s in ordered], dtype=np.int64),
        np.array([sources[s.source] for s in ordered], dtype=np.int64),
        np.array([rooms[s.compartment] for s in ordered], dtype=np.int64),
        compatibility(types),
    )


def assign_sightings(
    items: Sequence[grouping.Sighting],
    before: dict[grouping.Sighting, grouping.Sighting] | None = None,
) -> dict[grouping.Sighting, grouping.Sighting]:
    """:func:`grouping.assign` through the arrays: the same arguments, the same answer
    (what the property tests compare)."""
    decided = before or {}
    ordered = [*sorted(decided, key=_order), *sorted(set(items), key=_order)]
    index = {s: i for i, s in enumerate(ordered)}
    seeds = assign(
        columns_of(ordered),
        np.array([index.get(decided[s], ELSEWHERE) for s in ordered[: len(decided)]]),
    )
    if seeds is None:
        return grouping.assign(items, before)
    return {s: ordered[seeds[i]] for i, s in enumerate(ordered) if i >= len(decided)}


def cascade_sightings(
    new: Sequence[grouping.Sighting], stored: dict[grouping.Sighting, grouping.Sighting]
) -> grouping.Regrouped:
    """:func:`grouping.cascade` through the arrays: the same arguments, the same answer."""
    arriving = set(new)
    if not arriving:
        return grouping.Regrouped({}, None)
    first = _order(min(arriving, key=_order))
    ordered = sorted({*arriving, *stored}, key=_order)
    index = {s: i for i, s in enumerate(ordered)}
    nd = sum(1 for s in ordered if _order(s) < first)
    done = cascade(
        columns_of(ordered),
        np.array([index.get(stored[s], ELSEWHERE) for s in ordered[:nd]], dtype=np.int64),
        np.array(
            [ARRIVING if s in arriving else index.get(stored[s], ELSEWHERE) for s in ordered[nd:]],
            dtype=np.int64,
        ),
    )
    if done is None:
        return grouping.cascade(new, stored)
    taken = grouping.bounds(ordered[i] for i in done.taken_again.tolist())
    assert taken is not None  # every arriving sighting is taken
    return grouping.Regrouped(
        {ordered[i]: ordered[done.seeds[i]] for i in done.changed.tolist()},
        grouping.needs_of(
            taken,
            grouping.bounds(ordered[i] for i in done.touched.tolist()),
            max(s.span for s in ordered),
        ),
    )
