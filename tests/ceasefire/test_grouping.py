"""The grouping rule: order of arrival never matters, a report sits in one incident, and an
incident never spreads beyond the radius and window of its first report."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.ceasefire.grouping import (
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


@st.composite
def sightings(draw: st.DrawFn) -> list[Sighting]:
    n = draw(st.integers(0, 40))
    lat0 = draw(st.floats(-80, 80))
    lon0 = draw(st.floats(-179.9, 179.9))
    out = []
    for i in range(n):
        out.append(
            Sighting(
                occurred_at=T0 + dt.timedelta(minutes=draw(st.integers(0, 600))),
                key=f"src|{i}",
                latitude=lat0 + draw(st.floats(-0.2, 0.2)),
                longitude=((lon0 + draw(st.floats(-0.3, 0.3)) + 180) % 360) - 180,
                type=draw(st.sampled_from(TYPES)),
                compartment=draw(st.sampled_from(["PUBLIC", "PUBLIC", "COALITION"])),
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
def test_every_report_joins_the_earliest_seed_it_can(items: list[Sighting]) -> None:
    # Brute force over the definition: seeds join no earlier seed; every other report
    # sits with the earliest seed it may join, so an incident never spreads beyond the
    # radius and the window of its first report however dense the reports.
    seed_of = assign(items)
    seeds = sorted({seed for seed in seed_of.values()})
    for s in set(items):
        fits = [seed for seed in seeds if seed != s and joins(seed, s)]
        if seed_of[s] == s:
            assert not [seed for seed in fits if seed < s]
        else:
            assert fits and seed_of[s] == min(fits)
            assert (
                distance_km(s.latitude, s.longitude, seed_of[s].latitude, seed_of[s].longitude) <= 5
            )
            assert s.occurred_at - seed_of[s].occurred_at <= dt.timedelta(hours=2)


def test_a_dense_chain_does_not_fuse_into_one_incident() -> None:
    # Reports every 2 km along a line, one a minute: neighbours are always close, but
    # an incident reaches no further than 5 km from its first report.
    chain = [
        Sighting(
            T0 + dt.timedelta(minutes=i), f"s|{i:03d}", 48.0, 37.0 + i * 0.027, "shelling", "PUBLIC"
        )
        for i in range(100)
    ]
    groups = incidents(chain)
    assert len(groups) > 30
    for g in groups:
        assert distance_km(g[0].latitude, g[0].longitude, g[-1].latitude, g[-1].longitude) <= 5


def test_key_is_the_earliest_report() -> None:
    a = Sighting(T0, "b|1", 48.0, 37.0, "shelling", "PUBLIC")
    b = Sighting(T0 - dt.timedelta(minutes=5), "z|9", 48.01, 37.01, "missile", "PUBLIC")
    (group,) = incidents([a, b])
    assert incident_key(group) == "z|9"


def test_compartments_never_mix() -> None:
    a = Sighting(T0, "a|1", 48.0, 37.0, "shelling", "PUBLIC")
    b = Sighting(T0, "a|2", 48.0, 37.0, "shelling", "NATIONAL:POL:")
    assert len(incidents([a, b])) == 2


def test_types_and_distance() -> None:
    assert compatible("shelling", "missile")
    assert not compatible("shelling", "small_arms")
    assert compatible("small_arms", "other")
    assert 110 < distance_km(48, 37, 49, 37) < 112
    # Across the antimeridian, 2 km apart.
    a = Sighting(T0, "a|1", 0.0, 179.99, "shelling", "PUBLIC")
    b = Sighting(T0, "a|2", 0.0, -179.99, "shelling", "PUBLIC")
    assert len(incidents([a, b])) == 1


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
