"""Grouping over columns gives the rule's answer, report for report."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.ceasefire import groupkernel
from coalition.ceasefire.grouping import SPANS, Sighting, assign, cascade

from .test_grouping import sightings
from .test_regroup import crowded


@settings(max_examples=300, deadline=None)
@given(sightings())
def test_grouping_over_columns_groups_as_the_rule(items: list[Sighting]) -> None:
    assert groupkernel.assign_sightings(items) == assign(items)


@settings(max_examples=300, deadline=None)
@given(crowded())
def test_grouping_over_columns_groups_a_crowd_as_the_rule(items: list[Sighting]) -> None:
    assert groupkernel.assign_sightings(items) == assign(items)


@settings(max_examples=200, deadline=None)
@given(crowded(), st.integers(0, 45))
def test_grouping_over_columns_keeps_what_was_decided(items: list[Sighting], cut: int) -> None:
    ordered = sorted(items, key=lambda s: (s.occurred_at, s.key))
    decided = assign(ordered[:cut])
    rest = ordered[cut:]
    assert groupkernel.assign_sightings(rest, decided) == assign(rest, decided)


def test_reports_near_the_poles_and_the_antimeridian() -> None:
    t = dt.datetime(2025, 3, 10, tzinfo=dt.UTC)
    items = [
        Sighting(t, "a|1", 80.0, 179.99, "shelling", "PUBLIC"),
        Sighting(t, "b|1", 80.01, -179.99, "shelling", "PUBLIC"),
        Sighting(t, "c|1", 10.0, 179.99, "missile", "PUBLIC", SPANS["hour"]),
        Sighting(t, "d|1", 10.0, -179.99, "missile", "PUBLIC"),
        Sighting(t, "e|1", 76.0, 20.0, "shelling", "PUBLIC"),
        Sighting(t, "f|1", 75.99, 20.01, "shelling", "PUBLIC"),
    ]
    result = groupkernel.assign_sightings(items)
    assert result == assign(items)
    assert result[items[1]] == items[0]
    assert result[items[3]] == items[2]
    assert result[items[5]] == items[4]


@settings(max_examples=300, deadline=None)
@given(crowded(), st.integers(0, 45))
def test_a_batch_after_everything_stored_cascades_as_the_rule(
    items: list[Sighting], cut: int
) -> None:
    ordered = sorted(items, key=lambda s: (s.occurred_at, s.key))
    stored = assign(ordered[:cut])
    arriving = ordered[cut:]
    assert groupkernel.cascade_sightings(arriving, stored) == cascade(arriving, stored)


@settings(max_examples=400, deadline=None)
@given(crowded(), st.data())
def test_a_late_batch_cascades_as_the_rule(items: list[Sighting], data: st.DataObject) -> None:
    late = data.draw(st.sets(st.sampled_from(items), min_size=1)) if items else set()
    stored = assign([s for s in items if s not in late])
    assert groupkernel.cascade_sightings(list(late), stored) == cascade(late, stored)
