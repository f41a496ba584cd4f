"""Dates as Canada's consolidated list writes them. Pure.

The list gives ``YYYY-MM-DD`` for most dates of listing and of birth, a bare year where
only the year is known, and, in older files and a few records, ``DD-MM-YYYY``. Some cells
say more than one date (``1972-08-10 or 1972-08-11``); some say none that can be read
safely (``born in the early 1970s``, ``Sep-99``, a spreadsheet serial number such as
``29283`` for a ship's build date): those are kept as published by the caller.
"""

from __future__ import annotations

import datetime as dt
import re

from coalition.sanctions.formats.build import clean_text

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_SEVERAL = re.compile(r"\s+or\s+|\s*;\s*|,\s+", re.IGNORECASE)


def _iso(year: int, month: int = 0, day: int = 0) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, or None when there is no such day."""
    if not 1000 <= year <= 2999:
        return None
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return None
    if not month:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" if not day else f"{year:04d}-{month:02d}-{day:02d}"


def _one(text: str) -> str | None:
    if found := _ISO.match(text):
        year, month, day = (int(part) if part else 0 for part in found.groups())
        return _iso(year, month, day)
    if found := _DAY_FIRST.match(text):
        day, month, year = (int(part) for part in found.groups())
        return _iso(year, month, day)
    return None


def read_dates(text: str | None) -> list[str] | None:
    """The dates a cell states, as ISO 8601 prefixes; ``[]`` for a blank cell; None when
    any part of it cannot be read safely (the whole cell is then kept as published)."""
    cleaned = clean_text(text)
    if not cleaned:
        return []
    found = [_one(part) for part in _SEVERAL.split(cleaned) if part]
    if not found or any(value is None for value in found):
        return None
    return [value for value in dict.fromkeys(found) if value is not None]
