"""The rule for dates a pledge and its deliveries can truly carry, stated as properties."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from coalition.commitments.dating import (
    announcement_problem,
    announcement_warnings,
    delivery_problem,
    delivery_warnings,
    span,
)
from coalition.commitments.enums import DatePrecision

days = st.dates(dt.date(2014, 1, 1), dt.date(2035, 12, 31))
known = st.sampled_from([p for p in DatePrecision if p is not DatePrecision.UNKNOWN])
TODAY = dt.date(2026, 12, 2)


@given(days, known)
def test_a_date_lies_within_its_own_span(day: dt.date, precision: DatePrecision) -> None:
    first, last = span(day, precision)
    assert (first is None or first <= day) and day <= last
    assert (first is None) is (precision is DatePrecision.BY)


@given(days, known, days)
def test_an_announcement_is_refused_exactly_when_it_must_lie_after_today(
    day: dt.date, precision: DatePrecision, today: dt.date
) -> None:
    first, _ = span(day, precision)
    refused = announcement_problem(day, precision, today) is not None
    assert refused is (first is not None and first > today)
    assert announcement_problem(None, DatePrecision.UNKNOWN, today) is None


@given(days, known, days, known, days)
def test_a_delivery_is_refused_exactly_when_it_cannot_be_true(
    delivered: dt.date,
    d_precision: DatePrecision,
    announced: dt.date,
    a_precision: DatePrecision,
    today: dt.date,
) -> None:
    d_first, d_last = span(delivered, d_precision)
    a_first, _ = span(announced, a_precision)
    future = d_first is not None and d_first > today
    before = a_first is not None and d_last < a_first
    problem = delivery_problem(delivered, d_precision, announced, a_precision, today)
    assert (problem is not None) is (future or before)
    if problem:
        assert problem.startswith("delivered_on: ")


def test_the_cases_people_met() -> None:
    assert announcement_problem(dt.date(2031, 5, 1), DatePrecision.DAY, TODAY)
    assert announcement_problem(dt.date(2026, 12, 1), DatePrecision.MONTH, TODAY) is None
    future = delivery_problem(
        dt.date(2027, 1, 5), DatePrecision.DAY, dt.date(2025, 3, 2), DatePrecision.DAY, TODAY
    )
    assert future and "in the future" in future
    early = delivery_problem(
        dt.date(2020, 3, 2), DatePrecision.DAY, dt.date(2025, 3, 2), DatePrecision.DAY, TODAY
    )
    assert early and "before the pledge was announced" in early
    same_month = delivery_problem(
        dt.date(2025, 3, 1), DatePrecision.MONTH, dt.date(2025, 3, 20), DatePrecision.DAY, TODAY
    )
    assert same_month is None  # it may have arrived on the 31st


def test_unusual_dates_are_warned_of_not_refused() -> None:
    assert announcement_warnings(dt.date(2018, 6, 1), DatePrecision.DAY)
    assert announcement_warnings(dt.date(2022, 2, 24), DatePrecision.DAY) == []
    assert announcement_warnings(dt.date(2022, 1, 1), DatePrecision.YEAR) == []
    assert delivery_warnings(dt.date(2031, 1, 1), dt.date(2025, 3, 2), DatePrecision.DAY)
    assert delivery_warnings(dt.date(2026, 1, 1), dt.date(2025, 3, 2), DatePrecision.DAY) == []
