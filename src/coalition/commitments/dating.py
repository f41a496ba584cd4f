"""What dates a pledge and its deliveries can truly carry. Pure; no database, no web.

A date is known to a precision (:class:`DatePrecision`): a day, a month (stored as its
first day), a year (1 January), or "on or before" a day. Each is a span of days, and the
rules compare spans, so a delivery dated "March 2025" against a pledge of 20 March 2025 is
possible (it may have arrived on the 31st), while one dated 2020 is not.

- What cannot be true is refused: a pledge announced after today, a delivery after today,
  a delivery that ends before its pledge can have been announced.
- What is merely unusual is accepted with a warning, said to the person who saved it.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange

from coalition.commitments.enums import DatePrecision

FULL_SCALE_INVASION = dt.date(2022, 2, 24)
LATE_DELIVERY_YEARS = 4  # a delivery this long after its pledge is unusual


def span(day: dt.date, precision: DatePrecision) -> tuple[dt.date | None, dt.date]:
    """The first and last day a date of this precision may be (``None``: no lower bound)."""
    if precision is DatePrecision.MONTH:
        return day.replace(day=1), day.replace(day=monthrange(day.year, day.month)[1])
    if precision is DatePrecision.YEAR:
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    if precision is DatePrecision.BY:
        return None, day
    return day, day


def announcement_problem(
    day: dt.date | None, precision: DatePrecision, today: dt.date
) -> str | None:
    """Why a pledge cannot carry this announcement date, or ``None`` if it can."""
    if day is None or precision is DatePrecision.UNKNOWN:
        return None
    first, _last = span(day, precision)
    if first is not None and first > today:
        return f"announced_on: {day.isoformat()} is in the future (today is {today.isoformat()})"
    return None


def delivery_problem(
    delivered: dt.date,
    delivered_precision: DatePrecision,
    announced: dt.date | None,
    announced_precision: DatePrecision,
    today: dt.date,
) -> str | None:
    """Why a delivery cannot carry this date against its pledge, or ``None`` if it can."""
    first, last = span(delivered, delivered_precision)
    if first is not None and first > today:
        return (
            f"delivered_on: {delivered.isoformat()} is in the future (today is {today.isoformat()})"
        )
    if announced is None or announced_precision is DatePrecision.UNKNOWN:
        return None
    pledged_first, _ = span(announced, announced_precision)
    if pledged_first is not None and last < pledged_first:
        return (
            f"delivered_on: {delivered.isoformat()} is before the pledge was announced "
            f"({announced.isoformat()})"
        )
    return None


def announcement_warnings(day: dt.date | None, precision: DatePrecision) -> list[str]:
    """What is unusual, not impossible, about an announcement date."""
    if day is None or precision is DatePrecision.UNKNOWN:
        return []
    _first, last = span(day, precision)
    if last < FULL_SCALE_INVASION:
        return [
            f"the pledge is dated {day.isoformat()}, before the full-scale invasion "
            f"of {FULL_SCALE_INVASION.isoformat()}: check the date"
        ]
    return []


def delivery_warnings(
    delivered: dt.date, announced: dt.date | None, announced_precision: DatePrecision
) -> list[str]:
    """What is unusual, not impossible, about a delivery's date against its pledge."""
    if announced is None or announced_precision is DatePrecision.UNKNOWN:
        return []
    _first, last = span(announced, announced_precision)
    if (delivered - last).days > 365 * LATE_DELIVERY_YEARS:
        return [
            f"the delivery is dated more than {LATE_DELIVERY_YEARS} years after the pledge "
            f"({announced.isoformat()}): check the date"
        ]
    return []
