"""The agreement's days, scope and standing, stated as properties."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from coalition.ceasefire.agreement import covered_types, in_force, standing
from coalition.ceasefire.vocabulary import CeasefireStatus, IncidentType, Scope

days = st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31))


@given(days, st.integers(1, 120), days)
def test_standing_never_says_in_force_outside_the_agreements_days(
    first: dt.date, length: int, today: dt.date
) -> None:
    last = first + dt.timedelta(days=length - 1)
    said = standing(CeasefireStatus.IN_FORCE, first, last, today)
    assert (said == "in force") is in_force(first, last, today)


@given(st.lists(st.sampled_from(list(Scope)), max_size=3))
def test_scope_covers_only_its_types(scope: list[Scope]) -> None:
    covered = covered_types(scope)
    assert (covered == frozenset(IncidentType)) is (Scope.ALL_FRONTS in scope)
    if Scope.ALL_FRONTS not in scope:
        assert covered <= {IncidentType.INFRASTRUCTURE_STRIKE}


def test_the_words_people_read() -> None:
    first, last = dt.date(2025, 3, 25), dt.date(2025, 4, 23)
    assert standing(CeasefireStatus.IN_FORCE, first, last, dt.date(2025, 3, 1)).startswith(
        "agreed, in force from 2025-03-25"
    )
    assert standing(CeasefireStatus.IN_FORCE, first, last, dt.date(2025, 5, 1)) == (
        "ended on 2025-04-23"
    )
    assert standing(CeasefireStatus.COLLAPSED, first, last, dt.date(2025, 4, 1)) == "collapsed"
