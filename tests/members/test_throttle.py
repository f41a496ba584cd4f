"""The sign-in slow-down: nothing within the allowance, then doubling waits up to a cap."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from coalition.members import throttle

BASE = dt.timedelta(seconds=30)
CAP = dt.timedelta(minutes=15)
NOW = dt.datetime(2025, 3, 2, 12, 0, tzinfo=dt.UTC)


def test_waits_double_from_the_base_to_the_cap() -> None:
    waits = [throttle.delay(n, 5, BASE, CAP).total_seconds() for n in range(4, 12)]
    assert waits == [0, 30, 60, 120, 240, 480, 900, 900]


@given(st.integers(0, 10**9), st.integers(1, 1000))
def test_a_wait_is_never_beyond_the_cap_and_grows_with_failures(
    failures: int, allowed: int
) -> None:
    now = throttle.delay(failures, allowed, BASE, CAP)
    later = throttle.delay(failures + 1, allowed, BASE, CAP)
    assert dt.timedelta(0) <= now <= later <= CAP
    assert (now == dt.timedelta(0)) == (failures < allowed)


@given(st.integers(0, 50), st.integers(0, 3600))
def test_the_remaining_wait_runs_down_with_time(failures: int, elapsed: int) -> None:
    last = NOW - dt.timedelta(seconds=elapsed)
    remaining = throttle.wait(NOW, last, failures, 5, BASE, CAP)
    assert remaining == max(dt.timedelta(0), throttle.delay(failures, 5, BASE, CAP) - (NOW - last))
    assert throttle.wait(NOW, None, failures, 5, BASE, CAP) == dt.timedelta(0)


def test_waits_read_as_a_person_reads_them() -> None:
    assert throttle.retry_after_seconds(dt.timedelta(seconds=0.2)) == 1
    assert throttle.describe(dt.timedelta(seconds=1)) == "1 second"
    assert throttle.describe(dt.timedelta(seconds=29.5)) == "30 seconds"
    assert throttle.describe(dt.timedelta(seconds=61)) == "2 minutes"
