"""The grouping rule over arrays, compiled. Pure; no database, no web.

:func:`coalition.ceasefire.grouping.assign` states the rule one report at a time, and
reads as the rule reads; a batch of ten thousand reports takes it most of a second. This
module answers the same question for a whole batch at once: the reports travel as
columns (times in microseconds, positions, type, source and compartment as numbers) and
one compiled loop (numba) takes them in canonical order, each looking for the earliest
seed it may join among the seeds of its own and the neighbouring grid buckets. The
answer is the rule's, report for report: a property test holds the two to that on
random batches, and the import falls back to the rule wherever this module declines.

Nothing here is imported until a batch is grouped: compiling the loop costs a second
the first time (the result is cached on disk), and the command line must not pay it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from coalition.ceasefire import grouping

_US = dt.timedelta(microseconds=1)
_WINDOW_US = grouping.WINDOW // _US
_RADIUS_KM = grouping.RADIUS_KM
_EARTH_KM = grouping.EARTH_KM
_HALF = math.sin(_RADIUS_KM / _EARTH_KM / 2) ** 2 * (1 + 1e-9)
_POLAR_X = grouping._LON_BUCKETS  # a latitude band beyond 75°, one bucket of its own

Ints = npt.NDArray[np.int64]


def compatibility(types: Sequence[str]) -> npt.NDArray[np.bool_]:
    """Which of ``types`` may describe one event, as a matrix (:func:`grouping.compatible`)."""
    return np.array([[grouping.compatible(a, b) for b in types] for a in types], dtype=np.bool_)


def buckets(lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64]) -> tuple[Ints, Ints]:
    """Each position's grid bucket, as :func:`grouping._bucket` finds it (the polar bands
    beyond 75° in the column ``_POLAR_X``)."""
    y = np.floor(lat / grouping._LAT_STEP).astype(np.int64)
    x = np.floor((lon + 180) / grouping._LON_STEP).astype(np.int64) % grouping._LON_BUCKETS
    return y, np.where(np.abs(lat) > 75, _POLAR_X, x)


def assign(
    start_us: Ints,
    span_us: Ints,
    lat: npt.NDArray[np.float64],
    lon: npt.NDArray[np.float64],
    kind: Ints,
    source: Ints,
    compartment: Ints,
    compat: npt.NDArray[np.bool_],
    decided: Ints,
) -> Ints:
    """The index of each item's seed, as :func:`grouping.assign` decides.

    Items are in canonical order (window start, then natural key). The first
    ``len(decided)`` are already decided (``decided[i]`` is the index of their seed among
    the items, or -1 for a seed not among them), and every one precedes every item still
    to decide; their seeds are kept. ``kind`` indexes ``compat``; ``source`` and
    ``compartment`` are codes (equal codes, equal names).
    """
    from coalition.ceasefire._groupkernel_jit import seeds_of

    n = len(start_us)
    seed = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return seed
    y, x = buckets(lat, lon)
    spans, span_class = np.unique(span_us, return_inverse=True)
    ymin = int(y.min()) - 1
    rows = int(y.max()) - ymin + 2
    # A bucket, and the span class within it, as one number: items sharing it are one
    # queue of the rule's index, ordered by their time.
    group = ((compartment * rows + (y - ymin)) * (_POLAR_X + 1) + x) * len(spans) + span_class
    order = np.lexsort((np.arange(n), group)).astype(np.int64)
    keys, first = np.unique(group[order], return_index=True)
    return seeds_of(  # type: ignore[no-any-return]
        start_us.astype(np.int64),
        (start_us + span_us).astype(np.int64),
        np.asarray(lat, dtype=np.float64),
        np.asarray(lon, dtype=np.float64),
        kind.astype(np.int64),
        source.astype(np.int64),
        compartment.astype(np.int64),
        y - ymin,
        x,
        span_class.astype(np.int64),
        spans.astype(np.int64),
        rows,
        order,
        keys.astype(np.int64),
        np.append(first, n).astype(np.int64),
        compat,
        decided.astype(np.int64),
        seed,
        _WINDOW_US,
        _HALF,
        _RADIUS_KM,
        _EARTH_KM,
        _POLAR_X,
    )


def assign_sightings(
    items: Sequence[grouping.Sighting],
    before: dict[grouping.Sighting, grouping.Sighting] | None = None,
) -> dict[grouping.Sighting, grouping.Sighting]:
    """:func:`grouping.assign` through the compiled loop: the same arguments, the same
    answer (what the property tests compare)."""
    decided = before or {}
    ordered = [
        *sorted(decided, key=lambda s: (s.occurred_at, s.key)),
        *sorted(set(items), key=lambda s: (s.occurred_at, s.key)),
    ]
    index = {s: i for i, s in enumerate(ordered)}
    types = sorted({s.type for s in ordered})
    sources = sorted({s.source for s in ordered})
    compartments = sorted({s.compartment for s in ordered})
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    seeds = assign(
        np.array([(s.occurred_at - epoch) // _US for s in ordered], dtype=np.int64),
        np.array([s.span // _US for s in ordered], dtype=np.int64),
        np.array([s.latitude for s in ordered], dtype=np.float64),
        np.array([s.longitude for s in ordered], dtype=np.float64),
        np.array([types.index(s.type) for s in ordered], dtype=np.int64),
        np.array([sources.index(s.source) for s in ordered], dtype=np.int64),
        np.array([compartments.index(s.compartment) for s in ordered], dtype=np.int64),
        compatibility(types),
        np.array([index.get(decided[s], -1) for s in ordered[: len(decided)]], dtype=np.int64),
    )
    return {s: ordered[seeds[i]] for i, s in enumerate(ordered) if i >= len(decided)}
