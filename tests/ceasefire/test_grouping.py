"""The grouping rule: order of arrival never matters, a report sits in one incident."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.ceasefire.grouping import (
    Sighting,
    compatible,
    distance_km,
    incident_key,
    incidents,
    linked,
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


@settings(max_examples=100, deadline=None)
@given(sightings())
def test_components_are_exactly_the_linked_closure(items: list[Sighting]) -> None:
    # Brute force: every linked pair shares a group; every group is connected.
    groups = incidents(items)
    where = {s.key: i for i, g in enumerate(groups) for s in g}
    for a in items:
        for b in items:
            if linked(a, b):
                assert where[a.key] == where[b.key]
    for g in groups:
        reached = {g[0].key}
        frontier = [g[0]]
        while frontier:
            a = frontier.pop()
            for b in g:
                if b.key not in reached and linked(a, b):
                    reached.add(b.key)
                    frontier.append(b)
        assert reached == {s.key for s in g}


@settings(max_examples=100, deadline=None)
@given(sightings())
def test_incrementally_grouped_equals_grouped_at_once(items: list[Sighting]) -> None:
    # Adding reports in two halves and re-grouping the union gives the same partition.
    half = len(items) // 2
    first = incidents(items[:half])
    merged = incidents([s for g in first for s in g] + items[half:])
    assert _partition(merged) == _partition(incidents(items))


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


@settings(max_examples=150, deadline=None)
@given(sightings(), st.integers(1, 5), st.randoms(use_true_random=False))
def test_joining_batch_after_batch_equals_grouping_at_once(
    items: list[Sighting], batches: int, rnd: random.Random
) -> None:
    from coalition.ceasefire.grouping import join

    order = items[:]
    rnd.shuffle(order)
    incident_of: dict[Sighting, int] = {}
    members: dict[int, set[str]] = {}
    next_id = 0
    size = max(1, len(order) // batches)
    for start in range(0, len(order), size):
        result = join(order[start : start + size], incident_of)
        touched = [i for _group, joined in result for i in joined]
        assert len(touched) == len(set(touched)), "an incident joined by two groups"
        for group, joined in result:
            if joined:
                target = min(joined)
                for other in joined - {target}:
                    for s in [s for s, i in incident_of.items() if i == other]:
                        incident_of[s] = target
                    members[target] |= members.pop(other)
            else:
                target, next_id = next_id, next_id + 1
                members[target] = set()
            for s in group:
                incident_of[s] = target
                members[target].add(s.key)
    assert {frozenset(m) for m in members.values()} == _partition(incidents(items))
