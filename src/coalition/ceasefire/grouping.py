"""The grouping rule: which reports describe one event. Pure; no database, no web.

A report's time is a *window*: the span its source stated the time to. A time given to
the minute is taken as given (a window of no length); one given to the hour spans that
hour, a date without a time the whole day (:data:`SPANS`). A report is stored at the
start of its window.

An incident is seeded by a report, and a report *joins* a seed when

- both sit in the same marking compartment (so an incident never mixes reports that
  different readers may see, and a hidden report can never change a visible incident),
- the report's window starts no earlier than the seed's and no later than :data:`WINDOW`
  after the seed's window ends (the two windows, the seed's widened by the 2 h rule,
  overlap; for two times given to the minute: within 2 h after the seed),
- they lie within :data:`RADIUS_KM` of each other (great-circle distance),
- their types are compatible (:func:`compatible`; type ``other`` joins nothing and
  nothing joins it), and
- they come from different sources, and no report already in the seed's incident comes
  from the report's source: two reports of one source under different source ids are
  two events, never one, so an incident holds at most one report per source.

Reports are taken in their canonical order (window start, then natural key). Each joins
the earliest seed it can join; one that can join none seeds an incident of its own. So
every report of an incident lies within the radius of the incident's first report and
within the 2 h rule of its window: an incident has a bounded extent however dense the
reports, where grouping by chains of neighbours would fuse a busy front into one
"incident" (a million reports a month along the line of contact did exactly that), and a
day of one source's date-only events stays a day of separate events. The result is a
function of the *set* of reports, never of the order they arrived in, and a report
belongs to exactly one incident: those are the properties the tests check.

Grouping is incremental (:func:`cascade`): a report that arrives changes nothing before
it, and after it only what its arrival sets off. A report's seed depends only on the
seeds before it that it could join and on which sources their incidents already hold.
When a report seeds, stops seeding, or moves between incidents, the reports after it that
could join an incident it changed are taken again; any of them that changes sets off the
same, and so on: the regroup follows that chain and stops one window after the last
incident it changed, so a report three weeks late reads hours of reports near it (a day
and hours where date-only reports lie), not three weeks of the front (:func:`settle`
reads the stored reports one :class:`Extent` at a time).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

RADIUS_KM = 5.0
WINDOW = dt.timedelta(hours=2)
EARTH_KM = 6371.0088  # the mean radius: distances are great-circle on this sphere

# The window of each time precision a report may state (``Report.time_precision``).
SPANS = {
    "minute": dt.timedelta(0),
    "hour": dt.timedelta(hours=1),
    "day": dt.timedelta(days=1),
}
LONGEST = max(SPANS.values())  # the widest window any report may have

# Indirect and stand-off fire is often reported under different names for one event
# (a "missile" by one source is an "air strike" by another); close combat is another family.
_FAMILY = {
    "shelling": "fires",
    "drone_strike": "fires",
    "missile": "fires",
    "air_strike": "fires",
    "infrastructure_strike": "fires",
    "small_arms": "close",
    "ground_assault": "close",
}
NO_JOIN = "other"  # the type that joins nothing: it says too little to be matched


@dataclass(frozen=True, order=True)
class Sighting:
    """What the rule needs of one report. ``key`` is its natural key as one string
    (``source|source id``); ``span`` the length of its time window; ``source`` the name of
    its source (by default the part of the key before the first ``|``)."""

    occurred_at: dt.datetime
    key: str
    latitude: float
    longitude: float
    type: str
    compartment: str
    span: dt.timedelta = dt.timedelta(0)
    source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.source:
            object.__setattr__(self, "source", self.key.partition("|")[0])

    @property
    def ends_at(self) -> dt.datetime:
        """The end of the report's time window."""
        return self.occurred_at + self.span


def span_of(precision: str) -> dt.timedelta:
    """The window of a stated time precision (``minute``, ``hour`` or ``day``)."""
    return SPANS[precision]


def compartment(marking: str, owner: str, rel_to: str) -> str:
    """The marking compartment: reports group only with others in the same one.

    Every PUBLIC report is in one compartment, every COALITION report in another; REL TO
    and NATIONAL reports group only with their owner's reports of the same release.
    """
    if marking in ("PUBLIC", "COALITION"):
        return marking
    return f"{marking}:{owner}:{rel_to}"


def compatible(a: str, b: str) -> bool:
    """Whether two incident types may describe one event (``other`` fits none)."""
    if NO_JOIN in (a, b):
        return False
    return a == b or (_FAMILY.get(a) is not None and _FAMILY.get(a) == _FAMILY.get(b))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere of the Earth's mean radius."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def in_time(seed: Sighting, s: Sighting) -> bool:
    """Whether ``s``'s window starts within the seed's window widened by :data:`WINDOW`
    after it (and no earlier than the seed's start)."""
    return seed.occurred_at <= s.occurred_at <= seed.ends_at + WINDOW


def joins(seed: Sighting, s: Sighting) -> bool:
    """Whether report ``s`` may join the incident seeded by ``seed``, leaving aside the
    sources the incident already holds (:func:`assign` checks those)."""
    return (
        seed.compartment == s.compartment
        and seed.source != s.source
        and in_time(seed, s)
        and compatible(seed.type, s.type)
        and distance_km(seed.latitude, seed.longitude, s.latitude, s.longitude) <= RADIUS_KM
    )


# Buckets at least as large as the radius, so a seed that a report may join always sits
# in the same or an adjacent bucket. A longitude bucket of 0.18° spans 5 km up to 75° of
# latitude; beyond that a latitude band is one bucket (-1), whose neighbours are all the
# longitude buckets of the bands beside it.
_LAT_STEP = RADIUS_KM / 111.0
_LON_STEP = 0.18
_LON_BUCKETS = 2000  # 360 / 0.18: the buckets wrap round the antimeridian
_POLAR = -1

Bucket = tuple[str, int, int]


def _bucket(s: Sighting) -> Bucket:
    if abs(s.latitude) > 75:
        x = _POLAR
    else:
        x = math.floor((s.longitude + 180) / _LON_STEP) % _LON_BUCKETS
    return (s.compartment, math.floor(s.latitude / _LAT_STEP), x)


def _neighbours(bucket: Bucket) -> list[Bucket]:
    comp, y, x = bucket
    if x == _POLAR:
        xs = [*range(_LON_BUCKETS), _POLAR]
    else:
        xs = [(x - 1) % _LON_BUCKETS, x, (x + 1) % _LON_BUCKETS, _POLAR]
    return [(comp, y + dy, nx) for dy in (-1, 0, 1) for nx in xs]


# The haversine term at the radius, a hair wide: pairs past it cannot join.
_HALF = math.sin(RADIUS_KM / EARTH_KM / 2) ** 2 * (1 + 1e-9)

# A sighting as an index keeps it: (time, key, sighting, lat and lon in radians, cos lat),
# so the test of :func:`joins` runs without recomputing per pair.
_Entry = tuple[dt.datetime, str, Sighting, float, float, float]


def _entry(s: Sighting) -> _Entry:
    p = math.radians(s.latitude)
    return (s.occurred_at, s.key, s, p, math.radians(s.longitude), math.cos(p))


def _near(me: _Entry, other: _Entry) -> bool:
    h = (
        math.sin((me[3] - other[3]) / 2) ** 2
        + me[5] * other[5] * math.sin((me[4] - other[4]) / 2) ** 2
    )
    return h <= _HALF


class _Index:
    """Seeds waiting in their buckets, in canonical order, for the sightings after them.

    A bucket's seeds are kept apart by the length of their windows, so each queue is in
    order of its windows' ends too and drops the seeds no later sighting can join. Seeds
    must be added, and asked about, in canonical order.
    """

    def __init__(self) -> None:
        self._buckets: dict[tuple[Bucket, dt.timedelta], deque[_Entry]] = defaultdict(deque)
        self._spans: set[dt.timedelta] = set()

    def add(self, me: _Entry) -> None:
        self._spans.add(me[2].span)
        self._buckets[(_bucket(me[2]), me[2].span)].append(me)

    def earliest(self, me: _Entry, sources: Mapping[Sighting, set[str]]) -> Sighting | None:
        """The earliest seed held that ``me`` may join (:func:`joins`) and whose incident
        holds no report of ``me``'s source (``sources``: the sources each seed's incident
        holds so far), if any."""
        s = me[2]
        best: _Entry | None = None
        for near in _neighbours(_bucket(s)):
            for span in self._spans:
                queue = self._buckets.get((near, span))
                if not queue:
                    continue
                while queue and queue[0][0] + span + WINDOW < s.occurred_at:
                    queue.popleft()  # too old for this sighting, so for every later one too
                for waiting in queue:  # in canonical order: the first that fits is earliest
                    if best is not None and waiting[:2] >= best[:2]:
                        break
                    other = waiting[2]
                    if (
                        _near(me, waiting)
                        and joins(other, s)
                        and s.source not in sources.get(other, ())
                    ):
                        best = waiting
                        break
        return None if best is None else best[2]


class _Changed:
    """Seeds of incidents that changed (a seed that became or stopped being one, or whose
    incident gained or lost a report), for the sightings after them to ask about."""

    def __init__(self) -> None:
        self._buckets: dict[Bucket, list[_Entry]] = defaultdict(list)

    def add(self, s: Sighting) -> None:
        self._buckets[_bucket(s)].append(_entry(s))

    def reaches(self, me: _Entry) -> bool:
        """Whether ``me`` could join any seed held (what it joins may have changed)."""
        s = me[2]
        for near in _neighbours(_bucket(s)):
            held = self._buckets.get(near)
            if not held:
                continue
            live = [w for w in held if w[2].ends_at + WINDOW >= s.occurred_at]
            if len(live) < len(held):
                self._buckets[near] = live  # gone for this sighting, so for every later one
            if any(_near(me, w) and joins(w[2], s) for w in live):
                return True
        return False


def _walk(
    items: Iterable[Sighting],
    before: Mapping[Sighting, Sighting],
) -> tuple[_Index, dict[Sighting, set[str]]]:
    """The seeds and the sources each incident holds, from sightings already decided."""
    seeds = _Index()
    sources: dict[Sighting, set[str]] = defaultdict(set)
    for s in sorted(items, key=_order):
        seed = before[s]
        if seed == s:
            seeds.add(_entry(s))
        sources[seed].add(s.source)
    return seeds, sources


def assign(
    items: Iterable[Sighting], before: Mapping[Sighting, Sighting] | None = None
) -> dict[Sighting, Sighting]:
    """Map each sighting in ``items`` to the seed of its incident (a seed maps to itself).

    ``before`` maps sightings already decided, all before every item in canonical order,
    to their seeds (a regroup starts from them): the seeds items may join and the reports
    their incidents hold. They are not in the result.
    """
    decided = before or {}
    seeds, sources = _walk(decided, decided)
    out: dict[Sighting, Sighting] = {}
    for s in sorted(set(items), key=_order):
        me = _entry(s)
        found = seeds.earliest(me, sources)
        if found is None:
            seeds.add(me)
            out[s] = s
        else:
            out[s] = found
        sources[out[s]].add(s.source)
    return out


def _order(s: Sighting) -> tuple[dt.datetime, str]:
    return s.occurred_at, s.key


def incidents(sightings: Iterable[Sighting]) -> list[list[Sighting]]:
    """The incidents over a set of sightings, each sorted earliest first (its seed), in
    the order of their seeds: a pure function of the *set* of sightings."""
    groups: dict[Sighting, list[Sighting]] = defaultdict(list)
    for s, seed in assign(sightings).items():
        groups[seed].append(s)
    return [sorted(groups[seed]) for seed in sorted(groups)]


def incident_key(group: Sequence[Sighting]) -> str:
    """The key of an incident: the natural key of its earliest report, its seed."""
    return min(group).key


def regroup(
    new: Iterable[Sighting], stored: Mapping[Sighting, Sighting]
) -> dict[Sighting, Sighting]:
    """Where arriving sightings go, and which stored ones move.

    ``stored`` maps stored sightings to their seeds; it must hold at least those of
    :attr:`Regrouped.needs`. Returns the seed of every arriving sighting and of every
    stored one whose seed changes, and of no other: applied batch after batch, the result
    equals :func:`assign` over everything at once.
    """
    return cascade(new, stored).seeds


# --- regrouping a neighbourhood -----------------------------------------------------

KM_PER_DEGREE = EARTH_KM * math.pi / 180  # of latitude, on the sphere of distance_km


@dataclass(frozen=True)
class Extent:
    """A span of time and a box of positions, every bound included: which stored
    sightings a regroup reads, those whose time window touches the span. ``lons`` is
    (west, east), or ``None`` for every longitude (a box that would cross the
    antimeridian or reach a pole takes them all)."""

    since: dt.datetime
    until: dt.datetime
    south: float
    north: float
    lons: tuple[float, float] | None = None

    def holds(self, s: Sighting) -> bool:
        """Whether ``s`` lies in the extent (its window touches the span)."""
        return (
            s.occurred_at <= self.until
            and self.since <= s.ends_at
            and self.south <= s.latitude <= self.north
            and (self.lons is None or self.lons[0] <= s.longitude <= self.lons[1])
        )

    def covers(self, other: Extent) -> bool:
        """Whether every sighting ``other`` holds lies in this extent."""
        return (
            self.since <= other.since
            and other.until <= self.until
            and self.south <= other.south
            and other.north <= self.north
            and (
                self.lons is None
                or (
                    other.lons is not None
                    and self.lons[0] <= other.lons[0]
                    and other.lons[1] <= self.lons[1]
                )
            )
        )

    def union(self, other: Extent) -> Extent:
        """The smallest extent covering both."""
        lons = None
        if self.lons is not None and other.lons is not None:
            lons = (min(self.lons[0], other.lons[0]), max(self.lons[1], other.lons[1]))
        return Extent(
            min(self.since, other.since),
            max(self.until, other.until),
            min(self.south, other.south),
            max(self.north, other.north),
            lons,
        )

    def grown(self, km: float, span: dt.timedelta) -> Extent:
        """This extent with every place within ``km`` of it, and ``span`` more each way."""
        return _box(self.since - span, self.until + span, self.south, self.north, self.lons, km)


def _box(
    since: dt.datetime,
    until: dt.datetime,
    south: float,
    north: float,
    lons: tuple[float, float] | None,
    km: float,
) -> Extent:
    # Within km of a point, latitude moves by at most km / KM_PER_DEGREE, and longitude
    # by at most 2 asin(sin(km / 2R) / cos(the widest latitude)) (from the haversine
    # formula); a thousandth and a hair more absorb rounding.
    dlat = km / KM_PER_DEGREE * 1.001 + 1e-9
    south, north = south - dlat, north + dlat
    if south <= -90 or north >= 90 or lons is None:
        return Extent(since, until, max(south, -90.0), min(north, 90.0))
    stretch = math.sin(km / EARTH_KM / 2) / math.cos(math.radians(max(-south, north)))
    if stretch >= 1:
        return Extent(since, until, south, north)
    dlon = math.degrees(2 * math.asin(stretch)) * 1.001 + 1e-9
    west, east = lons[0] - dlon, lons[1] + dlon
    if west < -180 or east > 180:
        return Extent(since, until, south, north)
    return Extent(since, until, south, north, (west, east))


@dataclass(frozen=True)
class Bounds:
    """Where and when a set of sightings lies: the earliest window's start, the latest
    window's end, and the extremes of their positions."""

    first: dt.datetime
    last_end: dt.datetime
    south: float
    north: float
    west: float
    east: float

    def around(self, km: float, before: dt.timedelta, after: dt.timedelta) -> Extent:
        """The smallest extent holding every place within ``km`` of the sightings, from
        ``before`` the earliest window's start to ``after`` the latest window's end."""
        return _box(
            self.first - before,
            self.last_end + after,
            self.south,
            self.north,
            (self.west, self.east),
            km,
        )


def bounds(sightings: Iterable[Sighting]) -> Bounds | None:
    """The bounds of ``sightings`` (``None`` for none)."""
    items = list(sightings)
    if not items:
        return None
    return Bounds(
        min(s.occurred_at for s in items),
        max(s.ends_at for s in items),
        min(s.latitude for s in items),
        max(s.latitude for s in items),
        min(s.longitude for s in items),
        max(s.longitude for s in items),
    )


def reach(
    sightings: Iterable[Sighting], km: float, before: dt.timedelta, after: dt.timedelta
) -> Extent | None:
    """The smallest extent holding every place within ``km`` of any of ``sightings``, from
    ``before`` the earliest window's start to ``after`` the latest window's end (``None``
    for no sightings)."""
    found = bounds(sightings)
    return None if found is None else found.around(km, before, after)


def needs_of(taken: Bounds, touched: Bounds | None, longest: dt.timedelta) -> Extent:
    """What :func:`cascade` needs (:attr:`Regrouped.needs`): every stored seed a sighting
    taken again (``taken``) may join and every report its incident holds, and every
    report that may join an incident that changed (seeded by ``touched``). ``longest``
    is the widest window of any sighting read or arriving."""
    needs = taken.around(RADIUS_KM, WINDOW, dt.timedelta(0)).union(
        taken.around(2 * RADIUS_KM, WINDOW + longest, dt.timedelta(0))
    )
    if touched is None:
        return needs
    return needs.union(touched.around(RADIUS_KM, dt.timedelta(0), WINDOW))


@dataclass(frozen=True)
class Regrouped:
    """What arriving sightings change.

    ``seeds`` maps each arriving sighting, and each stored one whose seed changes, to its
    seed. ``needs`` is the extent of stored sightings the answer rests on: every stored
    seed a sighting taken again may join and every report its incident holds, every
    stored sighting a change may move, and every member of each incident that gains,
    loses or changes a report (so its summary can be rewritten from what was read).
    ``needs`` is ``None`` when nothing arrived.
    """

    seeds: dict[Sighting, Sighting]
    needs: Extent | None


def cascade(new: Iterable[Sighting], stored: Mapping[Sighting, Sighting]) -> Regrouped:
    """Regroup what arriving sightings change, and nothing else.

    ``stored`` maps stored sightings to their seeds (as :func:`assign` left them); the
    answer is exact when ``stored`` holds every stored sighting of the extent the result
    :attr:`~Regrouped.needs` (:func:`settle` reads until it does).

    A sighting's seed depends only on the seeds before it that it may join and on the
    sources their incidents hold before it. So taking sightings in canonical order from
    the earliest arriving one, a stored sighting is taken again only when it may join a
    seed whose incident *changed* (the seed became or stopped being one, or its incident
    gained or lost a report); the others keep their seeds. Past one window after the end
    of the last changed seed's window nothing can change, and the walk stops there.
    """
    arriving = set(new)
    if not arriving:
        return Regrouped({}, None)
    start = _order(min(arriving, key=_order))
    horizon = max(s.occurred_at for s in arriving)
    items = sorted({*arriving, *stored}, key=_order)
    longest = max(s.span for s in items)
    seeds, sources = _walk((s for s in stored if _order(s) < start), stored)
    changed = _Changed()
    out: dict[Sighting, Sighting] = {}
    taken_again: list[Sighting] = []  # each looked for its seed among those before it
    touched: list[Sighting] = []  # the seeds of incidents that changed
    for s in items:
        if _order(s) < start:
            continue
        if s.occurred_at > horizon:
            break
        me = _entry(s)
        was = None if s in arriving else stored[s]
        if was is None or changed.reaches(me):
            found = seeds.earliest(me, sources)
            seed = s if found is None else found
            taken_again.append(s)
            if seed != was:
                out[s] = seed
                for c in (seed, was):
                    if c is not None:
                        changed.add(c)
                        touched.append(c)
                        horizon = max(horizon, c.ends_at + WINDOW)
        else:
            seed = was
        if seed == s:
            seeds.add(me)
        sources[seed].add(s.source)
    # Every arriving sighting was taken again, so the first part is never None.
    needs = reach(taken_again, RADIUS_KM, WINDOW, dt.timedelta(0))
    for part in (
        # the reports the incidents they might join hold before them
        reach(taken_again, 2 * RADIUS_KM, WINDOW + longest, dt.timedelta(0)),
        # every report that may join an incident that changed
        reach(touched, RADIUS_KM, dt.timedelta(0), WINDOW),
    ):
        if needs is not None and part is not None:
            needs = needs.union(part)
    return Regrouped(out, needs)


# The first extent a regroup reads: as far around the arriving sightings as a short chain
# of changes reaches, so one read is nearly always enough.
FIRST_REACH_KM = 4 * RADIUS_KM
FIRST_BEFORE = WINDOW
FIRST_AFTER = 2 * WINDOW


def settle(
    new: Iterable[Sighting],
    load: Callable[[Extent], Mapping[Sighting, Sighting]],
    first: Extent | None = None,
) -> tuple[Regrouped, Extent | None]:
    """:func:`cascade` over the stored sightings ``load`` gives for an extent (each mapped
    to its seed), reading a larger extent until the answer rests only on what was read.

    Returns the answer and the extent last read. ``first`` is the extent read first
    (by default :data:`FIRST_REACH_KM` around the arriving sightings, from
    :data:`FIRST_BEFORE` before them to :data:`FIRST_AFTER` after).
    """
    arriving = list(new)
    extent = first or reach(arriving, FIRST_REACH_KM, FIRST_BEFORE, FIRST_AFTER)
    if extent is None:
        return Regrouped({}, None), None
    while True:
        result = cascade(arriving, load(extent))
        if result.needs is None or extent.covers(result.needs):
            return result, extent
        # The chain ran past what was read: read it all, and a margin for where it goes.
        extent = extent.union(result.needs).grown(2 * RADIUS_KM, WINDOW)
