"""Dates as the UK Sanctions List writes them, and as a spreadsheet re-save may. Pure."""

from __future__ import annotations

import datetime as dt
import re

from coalition.sanctions.formats.build import clean_text

_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul",
                                       "aug", "sep", "oct", "nov", "dec"), start=1)}  # fmt: skip
_NUMERIC = re.compile(r"^(\d{1,2}|dd|00?)[/.\-](\d{1,2}|mm|00?)[/.\-](\d{4})$", re.IGNORECASE)
_MONTH_NAMED = re.compile(r"^(\d{1,2})[ \-]([A-Za-z]{3,9})\.?[ \-](\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][\d:.]+(?:Z|[+-][\d:]+)?)?$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")


def _iso(year: int, month: int = 0, day: int = 0) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, or None when there is no such day."""
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return None
    if not month:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" if not day else f"{year:04d}-{month:02d}-{day:02d}"


def read_date(text: str) -> str | None:
    """A published date as ISO 8601 (``1975``, ``1975-05``, ``1975-05-31``), or None.

    The FCDO writes ``dd/mm/yyyy``, with ``00``, ``dd`` or ``mm`` for an unknown day or
    month. A spreadsheet re-save may give ``yyyy-mm-dd``, ``m/d/yyyy`` or ``13-Feb-2026``.
    Day and month are told apart only when that is certain: the first part over 12 is a
    day, the second over 12 makes the first the month; two zero-padded parts are the
    FCDO's day and month; two unpadded parts both 12 or under that differ are ambiguous
    and give None, as does anything else (``circa 1960``, ``15/08/19yy``, ``05/03/60``).
    """
    text = clean_text(text).lstrip("'")  # a leading quote keeps a spreadsheet from recasting
    if found := _NUMERIC.match(text):
        first, second, year = found.group(1), found.group(2), int(found.group(3))
        day = int(first) if first.isdigit() else 0
        month = int(second) if second.isdigit() else 0
        if not month:
            return _iso(year)  # a day without its month says only the year
        if not day:
            return _iso(year, month) if month <= 12 else None
        if month > 12 and day <= 12:
            day, month = month, day  # month first: m/d/yyyy
        elif day <= 12 and day != month and not (len(first) == 2 and len(second) == 2):
            return None  # 5/3/1960: 5 March or 3 May
        return _iso(year, month, day) if month <= 12 else None
    if found := _MONTH_NAMED.match(text):
        month = _MONTHS.get(found.group(2)[:3].lower(), 0)
        return _iso(int(found.group(3)), month, int(found.group(1))) if month else None
    if found := _ISO.match(text):
        year, month, day = (int(part) if part else 0 for part in found.groups())
        return _iso(year, month, day)
    if found := _MONTH_YEAR.match(text):
        month = int(found.group(1))
        return _iso(int(found.group(2)), month) if 1 <= month <= 12 else None
    return None
