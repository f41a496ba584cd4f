"""Dates as Australia's Consolidated List writes them. Pure.

A date cell of the workbook is read by openpyxl as a date and reaches this module as
``YYYY-MM-DD``; a text cell is written as DFAT writes it, day first: ``31/05/1965``,
``1 Jan. 1960``, ``1 January 1960``, ``Jan. 1960``, ``05/1965``, ``1965``, or several of
these separated by ``;``, ``, `` or `` and ``. Anything else (``Approximately 1958``,
``1970-1973``, ``March 16, 1972``) is not read, and the caller keeps it as published.
"""

from __future__ import annotations

import datetime as dt
import re

from coalition.sanctions.formats.build import clean_text

_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul",
                                       "aug", "sep", "oct", "nov", "dec"), start=1)}  # fmt: skip
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_NAMED = re.compile(r"^(?:(\d{1,2})\.?[ \-])?([A-Za-z]{3,9})\.?,?[ \-](\d{4})$")
_SEVERAL = re.compile(r"\s*;\s*|,\s+|\s+and\s+", re.IGNORECASE)


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


def read_date(text: str) -> str | None:
    """One date as ISO 8601 (``1965``, ``1965-05``, ``1965-05-31``), or None."""
    text = clean_text(text)
    if found := _ISO.match(text):
        year, month, day = (int(part) if part else 0 for part in found.groups())
        return _iso(year, month, day)
    if found := _DAY_FIRST.match(text):
        day, month, year = (int(part) for part in found.groups())
        return _iso(year, month, day)
    if found := _MONTH_YEAR.match(text):
        month, year = int(found.group(1)), int(found.group(2))
        return _iso(year, month) if 1 <= month <= 12 else None
    if found := _NAMED.match(text):
        name = found.group(2).lower()
        month = _MONTHS.get(name[:3], 0)
        if not month or (len(name) > 4 and not _full_month(name)):
            return None
        return _iso(int(found.group(3)), month, int(found.group(1) or 0))
    return None


def _full_month(name: str) -> bool:
    return name in ("january", "february", "march", "april", "june", "july", "august",
                    "september", "sept", "october", "november", "december")  # fmt: skip


def read_dates(text: str | None) -> list[str] | None:
    """The dates a cell states; ``[]`` for a blank cell; None when any part of it cannot
    be read safely (the whole cell is then kept as published)."""
    cleaned = clean_text(text)
    if not cleaned:
        return []
    if single := read_date(cleaned):
        return [single]
    found = [read_date(part) for part in _SEVERAL.split(cleaned) if part]
    if not found or any(value is None for value in found):
        return None
    return [value for value in dict.fromkeys(found) if value is not None]
