"""Regular expressions that the OpenAPI document declares and the validators apply alike.

A constraint the API enforces but does not declare is a trap for its clients (and what a
schema fuzzer reports as a valid request refused). So where a rule can be written as a
regular expression (a date's years, a box of coordinates, a list of member codes) it is
written once here, declared as the field's ``pattern`` and checked with Python's ``re``,
which reads it as JSON Schema tools written in Python do. Pure: no web or database code.
"""

from __future__ import annotations

import re


def integer_range(low: int, high: int) -> str:
    """A regex matching exactly the decimal integers ``low`` to ``high`` of one width.

    Both bounds are written with the same number of digits (``0900`` to ``2199`` for
    years); the result is a non-capturing group with no anchors, e.g.
    ``integer_range(2014, 2099)`` is ``(?:201[4-9]|20[2-9]\\d)``.
    """
    if not 0 <= low <= high:
        raise ValueError(f"not a range: {low}..{high}")
    width = len(str(high))
    lo, hi = str(low).zfill(width), str(high)
    return "(?:" + "|".join(_alternatives(lo, hi)) + ")"


def _alternatives(lo: str, hi: str) -> list[str]:
    # lo and hi have the same width and lo <= hi.
    width = len(lo)
    if lo == hi:
        return [lo]
    if lo == "0" * width and hi == "9" * width:
        return [r"\d" * width]
    if width == 1:
        return [f"[{lo}-{hi}]"]
    if lo[0] == hi[0]:
        return [lo[0] + rest for rest in _alternatives(lo[1:], hi[1:])]
    # Split at the first digit: lo's tail up to 9s, whole middle digits, hi's tail from 0s
    # (a tail that spans every value joins the middle).
    low_whole, high_whole = lo[1:] == "0" * (width - 1), hi[1:] == "9" * (width - 1)
    first = int(lo[0]) + (0 if low_whole else 1)
    last = int(hi[0]) - (0 if high_whole else 1)
    parts = [] if low_whole else [lo[0] + r for r in _alternatives(lo[1:], "9" * (width - 1))]
    if first <= last:
        digit = str(first) if first == last else f"[{first}-{last}]"
        parts.append(digit + r"\d" * (width - 1))
    if not high_whole:
        parts += [hi[0] + r for r in _alternatives("0" * (width - 1), hi[1:])]
    return parts


_MONTH = r"(?:0[1-9]|1[0-2])"
_DAY = r"(?:0[1-9]|[12]\d|3[01])"
_TIME = r"(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?"
_OFFSET = r"(?:[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)"


def date_pattern(first_year: int, last_year: int) -> str:
    """An ISO 8601 calendar date, ``YYYY-MM-DD``, in the given years."""
    return f"^{integer_range(first_year, last_year)}-{_MONTH}-{_DAY}$"


def datetime_pattern(first_year: int, last_year: int) -> str:
    """An RFC 3339 time with its offset (``2025-03-26T10:00:00Z``), in the given years."""
    return f"^{integer_range(first_year, last_year)}-{_MONTH}-{_DAY}[Tt]{_TIME}{_OFFSET}$"


MEMBER_CODE_TEXT = r"^[A-Za-z]{2,4}$"
"""A member's code as a client may send it: two to four letters, in either case."""

# One coordinate as a plain decimal: no exponent, no sign but a leading minus.
_LONGITUDE = r"-?(?:180(?:\.0+)?|(?:1[0-7]\d|\d{1,2})(?:\.\d+)?)"
_LATITUDE = r"-?(?:90(?:\.0+)?|\d(?:\.\d+)?|[1-8]\d(?:\.\d+)?)"

BBOX = f"^{_LONGITUDE},{_LATITUDE},{_LONGITUDE},{_LATITUDE}$"
"""``west,south,east,north`` in degrees, each within its range."""


CURSOR = r"^[A-Za-z0-9_-]+={0,2}$"
"""A page cursor as the API hands them out: URL-safe base64."""


def matches(pattern: str, text: str) -> bool:
    """Whether ``text`` matches ``pattern`` as JSON Schema reads it (a search, not anchored)."""
    return re.search(pattern, text) is not None
