"""How long a sign-in attempt must wait after failures. Pure.

Throttling slows guessing down rather than locking anyone out: after ``allowed``
failures each further attempt waits twice as long as the one before, from ``base`` up to
``cap``. A refused attempt checks no password and so is not a failure: hammering the
form does not lengthen the wait.
"""

from __future__ import annotations

import datetime as dt
import math

# Beyond this many doublings every wait is the cap anyway; stops 2**n growing unbounded.
_MAX_DOUBLINGS = 40


def delay(failures: int, allowed: int, base: dt.timedelta, cap: dt.timedelta) -> dt.timedelta:
    """The wait that ``failures`` counted failures impose: nothing while within ``allowed``."""
    if failures < allowed:
        return dt.timedelta(0)
    doublings = min(failures - allowed, _MAX_DOUBLINGS)
    grown: dt.timedelta = base * 2**doublings
    return min(cap, grown)


def wait(
    now: dt.datetime,
    last_failure: dt.datetime | None,
    failures: int,
    allowed: int,
    base: dt.timedelta,
    cap: dt.timedelta,
) -> dt.timedelta:
    """How much longer an attempt at ``now`` must wait; zero when it may go ahead."""
    if last_failure is None:
        return dt.timedelta(0)
    remaining = last_failure + delay(failures, allowed, base, cap) - now
    return max(remaining, dt.timedelta(0))


def retry_after_seconds(remaining: dt.timedelta) -> int:
    """Whole seconds for a ``Retry-After`` header: rounded up, at least one."""
    return max(1, math.ceil(remaining.total_seconds()))


def describe(remaining: dt.timedelta) -> str:
    """A wait as a person reads it: ``40 seconds``, ``3 minutes``."""
    seconds = retry_after_seconds(remaining)
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
