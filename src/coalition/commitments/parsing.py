"""Reading the untidy cells of pledge spreadsheets: dates, numbers, currencies. Pure.

A cell is either read exactly, read with its imprecision stated (a month, a year, "on or
before"), or refused with a reason a person can act on. Nothing is guessed silently.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from coalition.commitments.enums import DatePrecision
from coalition.core.months import MONTHS

EARLIEST = dt.date(2014, 1, 1)  # Russia's first invasion; no pledge in scope predates it
LATEST = dt.date(2100, 1, 1)
LARGEST = Decimal("1e13")  # ten trillion in any currency is a typo, not a pledge

BLANKS = frozenset({"", ".", "-", "–", "n/a", "na", "nan", "none", "null"})
UNKNOWN_DATES = frozenset(
    {"unspecified", "unclear", "unknown", "not specified", "undisclosed", "tbd", "n.a."}
)

_BY = re.compile(r"^(until|by|before|not later than|no later than)\s+", re.I)
_UNCLEAR = re.compile(
    r"^(unclear|unspecified|not specified|approx\.?|approximately|around|circa|ca\.)\s*,?\s*",
    re.I,
)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
# A spreadsheet re-save writes a date as midnight in its own clock: "3/3/2015 12:00:00 AM".
_MIDNIGHT = re.compile(r"\s+(?:0?0:00(?::00)?|12:00(?::00)?\s*AM)$", re.I)
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_MONTH_NUM = re.compile(r"^(\d{1,2})/(\d{2}|\d{4})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTH_NAME = re.compile(r"^([a-z]+)\.?\s+(\d{4})$", re.I)
_YEAR = re.compile(r"^(\d{4})$")


class CellError(ValueError):
    """A cell that cannot be read; the message says which and why."""


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in BLANKS)


def _checked(day: dt.date, text: str) -> dt.date:
    if not EARLIEST <= day < LATEST:
        raise CellError(f"date {text!r} is outside {EARLIEST.year}–{LATEST.year - 1}")
    return day


def _day(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return _checked(dt.date(year, month, day), text)
    except ValueError as exc:
        if isinstance(exc, CellError):
            raise
        raise CellError(f"date {text!r} names no real day") from exc


def _year(two_or_four: str) -> int:
    return int(two_or_four) + 2000 if len(two_or_four) == 2 else int(two_or_four)


def _month_of(text: str, imprecise: bool) -> tuple[dt.date, DatePrecision] | None:
    """A month on its own: ``04/22``, ``04/2022``, ``2022-04``, ``April 2022``."""
    if m := _MONTH_NUM.match(text):
        month, year = int(m.group(1)), _year(m.group(2))
    elif m := _ISO_MONTH.match(text):
        year, month = int(m.group(1)), int(m.group(2))
    elif (m := _MONTH_NAME.match(text)) and m.group(1).lower() in MONTHS:
        month, year = MONTHS[m.group(1).lower()], int(m.group(2))
    else:
        return None
    if not 1 <= month <= 12:
        raise CellError(f"date {text!r} names no month")
    return _day(year, month, 1, text), DatePrecision.MONTH


def read_date(value: object) -> tuple[dt.date | None, DatePrecision, str]:
    """A pledge date as ``(date, precision, text as given)``; raises :class:`CellError`.

    Spreadsheet dates and ``YYYY-MM-DD`` are exact; ``M/D/YYYY`` is read the way the
    tracker writes it (month first), unless its first number cannot be a month
    (``17/10/2022`` is day first), with or without a re-save's ``12:00:00 AM``;
    ``until 3/10/2022`` is on or before that day; ``unclear, 04/22``, ``not specified,
    04/22``, ``unspecified, 04/2022`` and ``April 2022`` are a month; ``2022`` is a year;
    ``unspecified``, ``undisclosed`` and blanks are unknown (no date).
    """
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return _checked(value.date(), value.isoformat()), DatePrecision.DAY, ""
    if isinstance(value, dt.date):
        return _checked(value, value.isoformat()), DatePrecision.DAY, ""
    text = "" if value is None else str(value).strip()
    shown = text[:100]
    lowered = text.lower().rstrip(".")
    if is_blank(text) or lowered in UNKNOWN_DATES:
        return None, DatePrecision.UNKNOWN, shown
    by = bool(_BY.match(text))
    rest = _BY.sub("", text).strip()
    unclear = bool(_UNCLEAR.match(rest))
    rest = _UNCLEAR.sub("", rest).strip()
    if m := _ISO.match(rest):
        day = _day(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    elif m := _US.match(_MIDNIGHT.sub("", rest)):
        first, second, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        # Month first, as the tracker writes; day first where only that is a date.
        if first > 12 >= second:
            first, second = second, first
        day = _day(year, first, second, text)
    elif month := _month_of(rest, unclear):
        return month[0], month[1], shown
    elif m := _YEAR.match(rest):
        return _day(int(m.group(1)), 1, 1, text), DatePrecision.YEAR, shown
    else:
        raise CellError(f"unreadable date {text[:60]!r}")
    if by:
        return day, DatePrecision.BY, shown
    if unclear:
        # "unclear, 3/10/2022": the day is a best reading, so it is kept as the month.
        return day.replace(day=1), DatePrecision.MONTH, shown
    return day, DatePrecision.DAY, "" if text == day.isoformat() else shown


def read_number(value: object, what: str, *, places: int = 2) -> Decimal | None:
    """A non-negative number, or ``None`` for a blank cell; raises :class:`CellError`.

    Thousands separators (``1,000`` and ``1 000``) are accepted; a decimal comma is not,
    because ``1,500`` would then mean two different things.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(f"{what} {value!r} is not a number")
    if isinstance(value, int | float | Decimal):
        text = repr(value) if isinstance(value, float) else str(value)
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", text):
            text = text.replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise CellError(f"{what} {str(value)[:40]!r} is not a number") from exc
    if not number.is_finite():
        raise CellError(f"{what} {text[:40]!r} is not a finite number")
    if number < 0:
        raise CellError(f"{what} {text[:40]!r} is negative")
    if number >= LARGEST:
        raise CellError(f"{what} {text[:40]!r} is implausibly large (over 10 trillion)")
    return number.quantize(Decimal(1).scaleb(-places))


def read_currency(value: object, known: frozenset[str]) -> str | None:
    """An ISO 4217 code with a reference rate, or ``None`` when the cell is blank."""
    if is_blank(value):
        return None
    code = str(value).strip().upper()
    if code not in known:
        raise CellError(f"currency {str(value)[:20]!r} has no ECB reference rate")
    return code


def header_key(name: object) -> str:
    """A header as a key: ``"Tot. Value (EUR)"`` becomes ``"tot_value_eur"``."""
    return re.sub(r"[^a-z0-9]+", "_", str(name or "").strip().lower()).strip("_")
