"""Regrouping a neighbourhood: a late report changes exactly what grouping everything at
once would change, and the regroup reads only the extent its chain of changes reaches."""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.ceasefire.grouping import (
    EARTH_KM,
    SPANS,
    WINDOW,
    Extent,
    Sighting,
    assign,
    cascade,
    reach,
    settle,
)

T0 = dt.datetime(2025, 3, 10, tzinfo=dt.UTC)
TYPES = ["shelling", "missile", "small_arms", "other"]
SOURCES = ["a", "b", "c", "d", "e"]


@st.composite
def crowded(draw: st.DrawFn) -> list[Sighting]:
    """Reports of a few sources packed close in time and place, so that one arriving late
    sets off chains of seeds changing; a few in another compartment, a few given only to
    the hour or the day (stored at the start of their window)."""
    n = draw(st.integers(1, 45))
    lat0 = draw(st.floats(-70, 70))
    lon0 = draw(st.floats(-179, 179))
    spread = draw(st.sampled_from([0.02, 0.06, 0.15]))
    out = []
    for i in range(n):
        span = draw(st.sampled_from([SPANS["minute"]] * 6 + [SPANS["hour"], SPANS["day"]]))
        at = T0 + dt.timedelta(minutes=draw(st.integers(0, 480)))
        if span == SPANS["day"]:
            at = at.replace(hour=0, minute=0)
        elif span == SPANS["hour"]:
            at = at.replace(minute=0)
        out.append(
            Sighting(
                occurred_at=at,
                key=f"{draw(st.sampled_from(SOURCES))}|{i:03d}",
                latitude=lat0 + draw(st.floats(-spread, spread)),
                longitude=lon0 + draw(st.floats(-spread, spread)),
                type=draw(st.sampled_from(TYPES)),
                compartment=draw(st.sampled_from(["PUBLIC"] * 5 + ["COALITION"])),
                span=span,
            )
        )
    return out


def _changes(before: dict[Sighting, Sighting], after: dict[Sighting, Sighting], new: set[Sighting]):  # type: ignore[no-untyped-def]
    return {s: seed for s, seed in after.items() if s in new or before.get(s) != seed}


@settings(max_examples=300, deadline=None)
@given(crowded(), st.data())
def test_a_late_report_changes_exactly_what_grouping_at_once_changes(
    items: list[Sighting], data: st.DataObject
) -> None:
    late = data.draw(st.sampled_from(items))
    stored = assign([s for s in items if s != late])
    result = cascade([late], stored)
    assert result.seeds == _changes(stored, assign(items), {late})


@settings(max_examples=300, deadline=None)
@given(crowded(), st.data(), st.booleans())
def test_settling_within_what_it_read_equals_grouping_at_once(
    items: list[Sighting], data: st.DataObject, tight: bool
) -> None:
    late = set(data.draw(st.lists(st.sampled_from(items), min_size=1, max_size=3)))
    stored = assign([s for s in items if s not in late])
    read: list[Extent] = []

    def load(extent: Extent) -> dict[Sighting, Sighting]:
        read.append(extent)
        return {s: seed for s, seed in stored.items() if extent.holds(s)}

    # A first extent holding nothing but the late reports makes the chain outrun what
    # was read, so the regroup must widen it.
    first = reach(late, 0.0, dt.timedelta(0), dt.timedelta(0)) if tight else None
    result, last = settle(late, load, first)
    assert last is not None and result.needs is not None and last.covers(result.needs)
    assert read[-1] == last
    assert all(last.holds(s) for s in result.seeds if s not in late)
    assert result.seeds == _changes(stored, assign(items), late)
    regrouped = {**stored, **result.seeds}
    assert regrouped == assign(items)


def test_a_report_that_joins_a_seed_moves_nothing_else() -> None:
    seed = Sighting(T0, "a|1", 48.0, 37.0, "shelling", "PUBLIC")
    later = [
        Sighting(T0 + dt.timedelta(minutes=m), f"{src}|{m}", 48.0, 37.0, "shelling", "PUBLIC")
        for src, m in (("b", 30), ("c", 60), ("d", 90))
    ]
    stored = assign([seed, *later])
    late = Sighting(T0 + dt.timedelta(minutes=10), "z|1", 48.01, 37.0, "missile", "PUBLIC")
    assert cascade([late], stored).seeds == {late: seed}


def test_a_late_seed_sets_off_a_chain_that_runs_as_far_as_it_changes() -> None:
    # One place, a report every 90 minutes: seeds alternate (each seed is joined by the
    # next report, the one after is too late for it and seeds). A report 60 minutes
    # before the first flips every one of them; far away, nothing moves. Two sources
    # take turns, so each report may join the one before.
    chain = [
        Sighting(
            T0 + dt.timedelta(minutes=90 * i), f"c{i % 2}|{i:02d}", 48.0, 37.0, "shelling", "PUBLIC"
        )
        for i in range(20)
    ]
    away = [
        Sighting(
            T0 + dt.timedelta(minutes=90 * i), f"w{i % 2}|{i:02d}", 49.0, 37.0, "shelling", "PUBLIC"
        )
        for i in range(20)
    ]
    stored = assign(chain + away)
    late = Sighting(T0 - dt.timedelta(minutes=60), "z|1", 48.0, 37.0, "shelling", "PUBLIC")
    changes = cascade([late], stored).seeds
    assert set(changes) == {late, *chain}
    assert {**stored, **changes} == assign([*chain, *away, late])


def test_a_late_report_reads_hours_not_weeks() -> None:
    # A report every 10 minutes for three weeks at one spot: a report dated in the first
    # week reads the stored reports of a few hours around it.
    stored_items = [
        Sighting(
            T0 + dt.timedelta(minutes=10 * i), f"s{i % 3}|{i:05d}", 48.0, 37.0, "shelling", "PUBLIC"
        )
        for i in range(3 * 7 * 24 * 6)
    ]
    stored = assign(stored_items)
    late = Sighting(T0 + dt.timedelta(days=3, minutes=5), "z|1", 48.0, 37.0, "missile", "PUBLIC")
    read: list[int] = []

    def load(extent: Extent) -> dict[Sighting, Sighting]:
        held = {s: seed for s, seed in stored.items() if extent.holds(s)}
        read.append(len(held))
        return held

    result, _ = settle([late], load)
    assert sum(read) < 100
    assert {**stored, **result.seeds} == assign([*stored_items, late])


@settings(max_examples=300, deadline=None)
@given(
    st.floats(-89, 89),
    st.floats(-180, 180),
    st.floats(0, 2 * math.pi),
    st.floats(0, 1),
    st.floats(0.1, 40),
)
def test_reach_holds_every_place_within_its_distance(
    lat: float, lon: float, bearing: float, share: float, km: float
) -> None:
    here = Sighting(T0, "a|1", lat, lon, "other", "PUBLIC")
    # The point ``share * km`` away along ``bearing`` (the spherical destination formula).
    d = share * km / EARTH_KM
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(bearing))
    l2 = l1 + math.atan2(
        math.sin(bearing) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2)
    )
    lon2 = (math.degrees(l2) + 180) % 360 - 180
    there = Sighting(T0 + WINDOW, "a|2", math.degrees(p2), lon2, "other", "PUBLIC")
    extent = reach([here], km, dt.timedelta(0), WINDOW)
    assert extent is not None and extent.holds(there)
    # A box never grows past what the radius needs along a meridian.
    assert extent.north - extent.south <= 2 * km / 111.19 * 1.01 + 1e-6


def test_a_late_report_reads_back_to_the_date_only_seed_it_may_join() -> None:
    # A date-only report seeds at midnight and a patrol's report joins it in the morning.
    # The patrol's next report, late in the evening, may not join (the incident holds
    # that patrol already): the regroup must read back to the morning to know it.
    dated = Sighting(T0, "ACLED|1", 48.0, 37.0, "shelling", "PUBLIC", SPANS["day"])
    morning = Sighting(T0 + dt.timedelta(hours=8), "Patrol|1", 48.01, 37.0, "missile", "PUBLIC")
    busy = [  # a stream far away, which the regroup must not read
        Sighting(
            T0 + dt.timedelta(minutes=10 * i), f"s{i % 3}|{i:04d}", 49.0, 37.0, "shelling", "PUBLIC"
        )
        for i in range(7 * 24 * 6)
    ]
    stored = assign([dated, morning, *busy])
    late = Sighting(T0 + dt.timedelta(hours=21), "Patrol|2", 48.0, 37.01, "shelling", "PUBLIC")
    read: list[Extent] = []

    def load(extent: Extent) -> dict[Sighting, Sighting]:
        read.append(extent)
        return {s: seed for s, seed in stored.items() if extent.holds(s)}

    result, last = settle([late], load)
    assert result.seeds == {late: late}
    assert last is not None and last.since <= morning.occurred_at
    assert {**stored, **result.seeds} == assign([dated, morning, *busy, late])
    assert not any(s in busy for s in load(last))
