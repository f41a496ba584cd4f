"""The declared patterns match exactly what the validators accept."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition.core.patterns import (
    BBOX,
    date_pattern,
    datetime_pattern,
    integer_range,
    matches,
)


@given(st.integers(0, 9999), st.integers(0, 9999), st.integers(0, 9999))
def test_an_integer_range_matches_exactly_its_integers(a: int, b: int, n: int) -> None:
    low, high = sorted((a, b))
    width = len(str(high))
    pattern = integer_range(low, high)
    text = str(n).zfill(width)
    assert (re.fullmatch(pattern, text) is not None) == (low <= n <= high and len(text) == width)


def test_known_ranges() -> None:
    assert integer_range(2014, 2099) == r"(?:201[4-9]|20[2-9]\d)"
    assert integer_range(2000, 2000) == "(?:2000)"
    with pytest.raises(ValueError):
        integer_range(5, 4)


@given(st.dates(min_value=dt.date(1, 1, 1)))
def test_the_date_pattern_takes_every_iso_date_in_its_years(day: dt.date) -> None:
    assert matches(date_pattern(2014, 2099), day.isoformat()) == (2014 <= day.year <= 2099)


@given(
    st.datetimes(
        min_value=dt.datetime(1900, 1, 2),
        max_value=dt.datetime(2199, 12, 30),
        timezones=st.timezones(),
    )
)
def test_the_time_pattern_takes_every_aware_rfc3339_time(at: dt.datetime) -> None:
    text = at.isoformat()
    if at.utcoffset() is None or at.utcoffset() % dt.timedelta(minutes=1):
        return  # RFC 3339 offsets are whole minutes; Python may print seconds
    assert matches(datetime_pattern(1900, 2199), text), text


@pytest.mark.parametrize(
    "text",
    [
        "0",
        "0.5",
        "1700000000",
        "2025-03-26",
        "2025-03-26T10:00:00",
        "2025-03-26T10:00Z",
        "2025-03-26 10:00:00Z",
        "2025-13-01T10:00:00Z",
        "2025-03-26T24:00:00Z",
        "2025-03-26T10:00:00+24:00",
        "0001-01-01T00:00:00+01:00",
    ],
)
def test_the_time_pattern_refuses_what_is_not_rfc3339(text: str) -> None:
    assert not matches(datetime_pattern(1900, 2199), text)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("36,47,39,49", True),
        ("-180,-90,180,90", True),
        ("-180.0,-90.00,179.999,89.5", True),
        ("0,0,0,0", True),
        ("180.1,0,0,0", False),
        ("0,90.5,0,0", False),
        ("1e1,0,0,0", False),
        ("inf,0,0,0", False),
        ("0,0,0", False),
        (" 0,0,0,0", False),
        ("", False),
    ],
)
def test_the_box_pattern(text: str, ok: bool) -> None:
    assert matches(BBOX, text) == ok


@given(
    st.floats(-180, 180),
    st.floats(-90, 90),
    st.floats(-180, 180),
    st.floats(-90, 90),
)
def test_every_box_in_range_written_plainly_matches(w: float, s: float, e: float, n: float) -> None:
    text = ",".join(f"{v:.6f}" for v in (w, s, e, n))
    assert matches(BBOX, text), text
