"""Dates as the SECO sanctions list writes them. Pure.

A date of birth (or of registration) is a ``<day-month-year>`` element with ``day``,
``month`` and ``year`` attributes, any of them absent when unknown. A modification's
dates (``enactment-date``, ``publication-date``, ``effective-date``) and the list's own
``date`` are ISO days, ``2026-08-27``.
"""

from __future__ import annotations

import datetime as dt
import re

from coalition.sanctions.formats.build import clean_text

_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-][\d:]+)?)?$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")  # 24.2.2022, as SECO writes in text


def from_parts(year: str | None, month: str | None, day: str | None) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` from the attributes given, or None.

    A day without its month says only the year; a part that is not a number, or a day
    that does not exist (31 February), gives None.
    """
    texts = [clean_text(part) for part in (year, month, day)]
    if not all(text.isdigit() for text in texts if text) or not texts[0]:
        return None
    y, m, d = (int(text) if text else 0 for text in texts)
    try:
        dt.date(y, m or 1, d if (m and d) else 1)
    except ValueError:
        return None
    if not m:
        return f"{y:04d}"
    return f"{y:04d}-{m:02d}" if not d else f"{y:04d}-{m:02d}-{d:02d}"


def read_day(text: str | None) -> dt.date | None:
    """The day an ISO date (``2026-08-27``, a time after it ignored) or ``27.8.2026`` says."""
    value = clean_text(text)
    if found := _ISO_DAY.match(value):
        year, month, day = (int(part) for part in found.groups())
    elif found := _DOTTED.match(value):
        day, month, year = (int(part) for part in found.groups())
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
