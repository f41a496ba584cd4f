"""The grouping rule: order of arrival never matters, a report sits in one incident, an
incident never spreads beyond the radius and window of its first report, holds at most
one report per source, and a date-only report joins only what its day overlaps."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.ceasefire.grouping import (
    SPANS,
    WINDOW,
    Sighting,
    assign,
    compatible,
    distance_km,
    incident_key,
    incidents,
    joins,
    regroup,
)

T0 = dt.datetime(2025, 3, 10, tzinfo=dt.UTC)
TYPES = ["shelling", "small_arms", "drone_strike", "missile", "ground_assault", "other"]
SOURCES = ["a", "b", "c", "d"]
DAY = SPANS["day"]
HOUR = SPANS["hour"]


def _floor(at: dt.datetime, span: dt.timedelta) -> dt.datetime:
    """The start of the hour or day ``at`` lies in (``at`` itself for a minute)."""
    if span == DAY:
        return at.replace(hour=0, minute=0, second=0)
    if span == HOUR:
        return at.replace(minute=0, second=0)
    return at


@st.composite
def sightings(draw: st.DrawFn) -> list[Sighting]:
    """Reports of a few sources near one place over two days; some given to the hour or
    only to the day (stored at the start of their window)."""
    n = draw(st.integers(0, 40))
    lat0 = draw(st.floats(-80, 80))
    lon0 = draw(st.floats(-179.9, 179.9))
    out = []
    for i in range(n):
        span = draw(st.sampled_from([SPANS["minute"]] * 4 + [HOUR, DAY]))
        at = T0 + dt.timedelta(minutes=draw(st.integers(0, 2 * 24 * 60)))
        out.append(
            Sighting(
                occurred_at=_floor(at, span),
                key=f"{draw(st.sampled_from(SOURCES))}|{i}",
                latitude=lat0 + draw(st.floats(-0.2, 0.2)),
                longitude=((lon0 + draw(st.floats(-0.3, 0.3)) + 180) % 360) - 180,
                type=draw(st.sampled_from(TYPES)),
                compartment=draw(st.sampled_from(["PUBLIC", "PUBLIC", "COALITION"])),
                span=span,
            )
        )
    return out


def _partition(groups: list[list[Sighting]]) -> set[frozenset[str]]:
    return {frozenset(s.key for s in g) for g in groups}


@settings(max_examples=150, deadline=None)
@given(sightings(), st.randoms(use_true_random=False))
def test_order_of_arrival_does_not_change_the_incidents(
    items: list[Sighting], rnd: random.Random
) -> None:
    shuffled = items[:]
    rnd.shuffle(shuffled)
    assert incidents(items) == incidents(shuffled)


@settings(max_examples=150, deadline=None)
@given(sightings())
def test_a_report_never_sits_in_two_incidents(items: list[Sighting]) -> None:
    groups = incidents(items)
    keys = [s.key for g in groups for s in g]
    assert sorted(keys) == sorted(s.key for s in items)
    assert len(keys) == len(set(keys))


@settings(max_examples=150, deadline=None)
@given(sightings())
def test_an_incident_holds_one_report_per_source_and_other_stands_alone(
    items: list[Sighting],
) -> None:
    for group in incidents(items):
        assert len({s.source for s in group}) == len(group)
        assert len(group) == 1 or all(s.type != "other" for s in group)


@settings(max_examples=150, deadline=None)
@given(sightings())
def test_every_report_joins_the_earliest_seed_it_can(items: list[Sighting]) -> None:
    # Brute force over the definition: taking reports in order, each joins the earliest
    # seed it may join whose incident holds no report of its source so far, or seeds.
    seed_of = assign(items)
    members: dict[Sighting, list[Sighting]] = defaultdict(list)
    for s, seed in seed_of.items():
        members[seed].append(s)
    seeds = sorted(members)

    def open_to(seed: Sighting, s: Sighting) -> bool:
        held = {m.source for m in members[seed] if (m.occurred_at, m.key) < (s.occurred_at, s.key)}
        return seed < s and joins(seed, s) and s.source not in held

    for s in set(items):
        fits = [seed for seed in seeds if open_to(seed, s)]
        if seed_of[s] == s:
            assert not fits
        else:
            seed = seed_of[s]
            assert fits and seed == min(fits)
            assert distance_km(s.latitude, s.longitude, seed.latitude, seed.longitude) <= 5
            # The report's window starts within the seed's, widened by the 2 h rule.
            assert seed.occurred_at <= s.occurred_at <= seed.ends_at + WINDOW


def test_a_dense_chain_does_not_fuse_into_one_incident() -> None:
    # Reports every 2 km along a line, one a minute, from sources taking turns: neighbours
    # are always close, but an incident reaches no further than 5 km from its first report.
    chain = [
        Sighting(
            T0 + dt.timedelta(minutes=i),
            f"s{i % 7}|{i:03d}",
            48.0,
            37.0 + i * 0.027,
            "shelling",
            "PUBLIC",
        )
        for i in range(100)
    ]
    groups = incidents(chain)
    assert len(groups) > 30
    assert any(len(g) > 1 for g in groups)
    for g in groups:
        assert distance_km(g[0].latitude, g[0].longitude, g[-1].latitude, g[-1].longitude) <= 5


def test_key_is_the_earliest_report() -> None:
    a = Sighting(T0, "b|1", 48.0, 37.0, "shelling", "PUBLIC")
    b = Sighting(T0 - dt.timedelta(minutes=5), "z|9", 48.01, 37.01, "missile", "PUBLIC")
    (group,) = incidents([a, b])
    assert incident_key(group) == "z|9"


def test_compartments_never_mix() -> None:
    a = Sighting(T0, "a|1", 48.0, 37.0, "shelling", "PUBLIC")
    b = Sighting(T0, "b|2", 48.0, 37.0, "shelling", "NATIONAL:POL:")
    assert len(incidents([a, b])) == 2


def test_types_and_distance() -> None:
    assert compatible("shelling", "missile")
    assert not compatible("shelling", "small_arms")
    assert not compatible("small_arms", "other")
    assert not compatible("other", "other")
    assert 110 < distance_km(48, 37, 49, 37) < 112
    # Across the antimeridian, 2 km apart.
    a = Sighting(T0, "a|1", 0.0, 179.99, "shelling", "PUBLIC")
    b = Sighting(T0, "b|2", 0.0, -179.99, "shelling", "PUBLIC")
    assert len(incidents([a, b])) == 1


def test_one_source_under_two_ids_is_two_events() -> None:
    # The same place and minute, one source: two events; a second source joins one.
    a1 = Sighting(T0, "ACLED|UKR1", 48.0, 37.0, "shelling", "PUBLIC")
    a2 = Sighting(T0, "ACLED|UKR2", 48.0, 37.0, "shelling", "PUBLIC")
    p = Sighting(T0 + dt.timedelta(minutes=5), "Patrol|7", 48.0, 37.0, "shelling", "PUBLIC")
    assert _partition(incidents([a1, a2, p])) == {
        frozenset({"ACLED|UKR1", "Patrol|7"}),
        frozenset({"ACLED|UKR2"}),
    }


def test_a_day_of_one_sources_date_only_events_stays_separate() -> None:
    # 132 one-death events of one source on one date at nearby places, each stored at
    # midnight: under a plain two-hour window they were one incident.
    day = [
        Sighting(T0, f"ACLED|UKR{i}", 48.0 + i * 1e-4, 37.0, "shelling", "PUBLIC", DAY)
        for i in range(132)
    ]
    assert len(incidents(day)) == 132


def test_a_date_only_report_joins_a_timed_one_on_its_day_only() -> None:
    dated = Sighting(T0, "ACLED|UKR1", 48.0, 37.0, "shelling", "PUBLIC", DAY)
    same_day = Sighting(T0 + dt.timedelta(hours=15), "Patrol|1", 48.01, 37.0, "missile", "PUBLIC")
    next_day = Sighting(
        T0 + dt.timedelta(days=1, hours=15), "Patrol|2", 48.01, 37.0, "missile", "PUBLIC"
    )
    assert len(incidents([dated, same_day])) == 1
    assert len(incidents([dated, next_day])) == 2
    # A timed report the evening before joins within its two hours, not one at noon.
    evening = Sighting(T0 - dt.timedelta(hours=1), "Patrol|3", 48.0, 37.0, "shelling", "PUBLIC")
    noon = Sighting(T0 - dt.timedelta(hours=12), "Patrol|4", 48.0, 37.0, "shelling", "PUBLIC")
    assert len(incidents([evening, dated])) == 1
    assert len(incidents([noon, dated])) == 2


def test_type_other_joins_nothing() -> None:
    a = Sighting(T0, "a|1", 48.0, 37.0, "other", "PUBLIC")
    b = Sighting(T0, "b|1", 48.0, 37.0, "shelling", "PUBLIC")
    c = Sighting(T0, "c|1", 48.0, 37.0, "other", "PUBLIC")
    assert len(incidents([a, b, c])) == 3


@settings(max_examples=200, deadline=None)
@given(sightings(), st.integers(1, 5), st.randoms(use_true_random=False))
def test_regrouping_batch_after_batch_equals_grouping_at_once(
    items: list[Sighting], batches: int, rnd: random.Random
) -> None:
    order = list(dict.fromkeys(items))
    rnd.shuffle(order)
    stored: dict[Sighting, Sighting] = {}
    size = max(1, len(order) // batches)
    for start in range(0, len(order), size):
        batch = order[start : start + size]
        moved = regroup(batch, stored)
        assert set(batch) <= set(moved)
        stored.update(moved)
        # What was not regrouped stays where it was.
        assert all(stored[s] == s or stored[stored[s]] == stored[s] for s in stored)
    assert stored == assign(items)
