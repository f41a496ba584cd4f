"""A synthetic front for bench/situation.py: daily control polygons of an occupied area.

One held polygon per day, deterministic for a seed: a jagged line of contact of
``vertices`` points across southern and eastern Ukraine (from the Dnipro's mouth past
Zaporizhzhia, Donetsk and Luhansk to the Russian border north of Kupiansk), closed behind
through Russia and the sea and cut to Ukraine's shipped oblast outlines (so the rest of
its boundary is the border and the coast), with a few pockets held by the other side
(holes, one of which closes) and a few enclaves beyond the line (one of which appears).
The line moves a little each day where one of some sixty axes of advance is active, and
nowhere else: the vertices away from the day's axes are the same as the day before, as
on a real OSINT map.

Written as the importer reads a history: a gzip-compressed GeoJSON FeatureCollection,
one feature per day with a ``date`` property, each feature on a line of its own (so a
bare reader can parse the features one at a time too). Coordinates to 6 decimals.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import mapping

from coalition.situation.outlines import outlines

FIRST_DAY = dt.date(2024, 6, 1)
SOURCE = "bench-front"
# The line of contact, south-west to north-east (longitude, latitude), from the sea west
# of the Kinburn spit to inside Russia north of Kupiansk; the occupied side is on the right.
FRONT = [
    (31.20, 46.45),
    (32.00, 46.52),
    (32.60, 46.60),
    (33.40, 46.78),
    (34.10, 47.20),
    (34.80, 47.45),
    (35.50, 47.50),
    (36.30, 47.55),
    (36.90, 47.75),
    (37.40, 47.95),
    (37.60, 48.25),
    (37.90, 48.55),
    (38.00, 48.90),
    (37.90, 49.15),
    (37.80, 49.50),
    (37.85, 49.90),
    (38.10, 50.30),
    (38.30, 50.60),
]
# Behind the line: through Russia and the Black Sea, all cut away by the outlines.
BEHIND = [(41.0, 50.6), (41.0, 46.0), (37.0, 44.0), (32.0, 44.0), (31.2, 46.0)]
# Pockets held by the other side inside the occupied area: centre, radius (degrees),
# the day they close (None: never).
HOLES = [((38.55, 48.20), 0.05, None), ((35.60, 46.85), 0.04, 0.65), ((34.10, 45.45), 0.03, None)]
# Enclaves beyond the line: centre, radius, the share of the days after which they exist.
ENCLAVES = [((36.00, 48.50), 0.03, 0.0), ((33.20, 47.30), 0.02, 0.0), ((37.20, 49.30), 0.03, 0.33)]
AXES = 60
ACTIVE_PER_DAY = 4
STEP_DEG = 0.003  # a day's advance on an active axis, on average (about 300 m)


@dataclass
class Written:
    days: int
    vertices_mean: int
    vertices_max: int
    file_mb: float
    raw_mb: float
    last_day: dt.date


def _smooth(points: np.ndarray, rounds: int = 5) -> np.ndarray:
    """Chaikin's corner cutting, keeping the ends: a line with no sharp turns, so that an
    offset along its normal does not fold over itself."""
    for _ in range(rounds):
        a, b = points[:-1], points[1:]
        cut = np.empty((2 * len(a), 2))
        cut[0::2] = 0.75 * a + 0.25 * b
        cut[1::2] = 0.25 * a + 0.75 * b
        points = np.vstack([points[:1], cut, points[-1:]])
    return points


def _resample(points: np.ndarray, count: int) -> np.ndarray:
    step = np.hypot(*np.diff(points, axis=0).T)
    along = np.concatenate([[0.0], np.cumsum(step)])
    at = np.linspace(0.0, along[-1], count)
    return np.column_stack([np.interp(at, along, points[:, 0]), np.interp(at, along, points[:, 1])])


def _normals(points: np.ndarray) -> np.ndarray:
    """Unit normals to the left of the line (towards the side not occupied), smoothed."""
    tangent = np.gradient(points, axis=0)
    kernel = np.ones(201) / 201
    tangent = np.column_stack(
        [np.convolve(np.pad(t, 100, mode="edge"), kernel, mode="valid") for t in tangent.T]
    )
    tangent /= np.hypot(*tangent.T)[:, None]
    return np.column_stack([-tangent[:, 1], tangent[:, 0]])


def _jagged(rnd: np.random.Generator, count: int) -> np.ndarray:
    """Fractal offsets (degrees): a sum of octaves of random values between knots, from
    bends tens of kilometres long down to one vertex to the next."""
    offset = np.zeros(count)
    at = np.arange(count)
    knots, amplitude = 12, 0.03
    while knots < count:
        where = np.linspace(0, count - 1, knots)
        offset += np.interp(at, where, rnd.uniform(-amplitude, amplitude, knots))
        knots, amplitude = knots * 3, amplitude / 2.2
    return offset + rnd.uniform(-0.0002, 0.0002, count)


def _blob(rnd: np.random.Generator, centre: tuple[float, float], radius: float) -> np.ndarray:
    n = 240
    theta = np.linspace(0, 2 * np.pi, n, endpoint=False)
    wobble = 1 + 0.25 * np.interp(theta, np.linspace(0, 2 * np.pi, 13), rnd.uniform(-1, 1, 13))
    wobble += rnd.uniform(-0.03, 0.03, n)
    r = radius * wobble
    ring = np.column_stack([centre[0] + r * np.cos(theta), centre[1] + r * np.sin(theta) * 0.7])
    return np.vstack([ring, ring[:1]])


def _ukraine() -> shapely.Geometry:
    land = [o.geometry for o in outlines() if o.code.startswith("UA-")]
    whole = shapely.union_all(land)
    shapely.prepare(whole)
    return whole


def days_of(days: int) -> list[dt.date]:
    """The first ``days`` days of the history."""
    return [FIRST_DAY + dt.timedelta(days=n) for n in range(days)]


def generate(path: str, days: int, vertices: int, seed: int = 7) -> Written:
    """Write ``days`` daily snapshots of a front of ``vertices`` points to ``path``."""
    rnd = np.random.default_rng(seed)
    line = _resample(_smooth(np.array(FRONT)), vertices)
    normal = _normals(line)
    base = _jagged(rnd, vertices)
    centres = rnd.integers(0, vertices, AXES)
    widths = rnd.integers(max(vertices // 300, 3), max(vertices // 25, 6), AXES)
    bumps = []
    for c, h in zip(centres, widths, strict=True):
        lo, hi = max(0, c - h), min(vertices, c + h + 1)
        x = (np.arange(lo, hi) - c) / h
        bumps.append((lo, hi, np.cos(np.pi / 2 * x) ** 2))
    advance = np.zeros(AXES)
    holes = [(_blob(rnd, c, r), closes) for c, r, closes in HOLES]
    enclaves = [(_blob(rnd, c, r), opens) for c, r, opens in ENCLAVES]
    behind = np.array(BEHIND)
    ukraine = _ukraine()
    counts: list[int] = []
    raw = 0
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=6) as out:
        out.write('{"type":"FeatureCollection","features":[\n')
        for n, day in enumerate(days_of(days)):
            share = n / max(days - 1, 1)
            if n:
                active = rnd.choice(AXES, ACTIVE_PER_DAY, replace=False)
                # Mostly forward, sometimes back: the occupied side grows on the whole.
                advance[active] += rnd.normal(STEP_DEG, STEP_DEG * 1.5, ACTIVE_PER_DAY)
            offset = base.copy()
            for k in np.flatnonzero(advance):
                lo, hi, bump = bumps[k]
                offset[lo:hi] += advance[k] * bump
            front = np.round(line + normal * offset[:, None], 6)
            shell = np.vstack([front, behind, front[:1]])
            inner = [
                _shrunk(ring, share, closes)
                for ring, closes in holes
                if closes is None or share < closes
            ]
            held = shapely.intersection(shapely.Polygon(shell, inner), ukraine)
            extra = [shapely.Polygon(ring) for ring, opens in enclaves if share >= opens]
            shape = shapely.union_all([held, *extra])
            shape = shapely.set_precision(shape, 1e-6)
            counts.append(int(shapely.get_num_coordinates(shape)))
            feature = {
                "type": "Feature",
                "properties": {"date": day.isoformat(), "source": SOURCE},
                "geometry": mapping(shape),
            }
            text = json.dumps(feature, separators=(",", ":"))
            raw += len(text) + 2
            out.write(("," if n else "") + text + "\n")
        out.write("]}\n")
    return Written(
        days=days,
        vertices_mean=round(sum(counts) / len(counts)),
        vertices_max=max(counts),
        file_mb=round(os.path.getsize(path) / 1e6, 1),
        raw_mb=round(raw / 1e6, 1),
        last_day=days_of(days)[-1],
    )


def _shrunk(ring: np.ndarray, share: float, closes: float | None) -> np.ndarray:
    """A pocket that closes shrinks towards its centre until the day it is gone."""
    if closes is None:
        return ring
    centre = ring[:-1].mean(axis=0)
    factor = max(0.05, 1 - share / closes)
    return np.round(centre + (ring - centre) * factor, 6)
