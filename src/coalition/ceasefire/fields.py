"""Reading one report's fields from text, strictly. Pure; no database, no web.

Files from the field are untidy, so every reader here accepts what is unambiguous and
refuses the rest with a reason a person can act on. Above all a date is never guessed:
``03/04/2025`` could be the 3rd of April or the 4th of March, so it is refused, while
``13/03/2025`` can only be the 13th of March and is read. Where the file's order is known
(given with ``--date-order``, or found from the file's unambiguous dates by
:func:`date_order_of`), ``03/04/2025`` is read in that order.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from coalition.ceasefire.vocabulary import IncidentType, SourceKind, TimePrecision
from coalition.core.months import MONTHS

# How far in the future a report may claim to be, for clocks that drift.
CLOCK_SKEW = dt.timedelta(minutes=10)
EARLIEST = dt.datetime(1989, 1, 1, tzinfo=dt.UTC)  # UCDP GED begins in 1989

_NUMERIC = re.compile(r"^(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})$")
_NAMED = re.compile(r"^(\d{1,2})[ -]([A-Za-z]+)\.?[ -](\d{4})$")
_NAMED_US = re.compile(r"^([A-Za-z]+)\.? (\d{1,2}),? (\d{4})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$")
# A numeric day-month-year date anywhere in a text, for finding a file's order.
_ANY_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?![\d/.-])")


class DateOrder(enum.StrEnum):
    """How a file writes numeric dates whose day and month could be either way."""

    DMY = "dmy"
    MDY = "mdy"


def date_order_of(texts: Iterable[str]) -> DateOrder | None:
    """The order the numeric dates in ``texts`` share: day first if some day is above 12
    and no month is, month first the other way round; ``None`` when nothing tells or the
    dates disagree (then each date must be unambiguous on its own)."""
    day_first = month_first = False
    for text in texts:
        for a, b in _numeric_dates(text):
            first, second = int(a), int(b)
            day_first |= first > 12 >= second
            month_first |= second > 12 >= first
            if day_first and month_first:
                return None
    if day_first:
        return DateOrder.DMY
    return DateOrder.MDY if month_first else None


# What every numeric date of _ANY_NUMERIC ends with: a separator and a four-digit year.
_YEAR_END = re.compile(r"[./-]\d{4}(?![\d/.-])")


def _numeric_dates(text: str) -> Iterator[tuple[str, str]]:
    """(first, second) number of each numeric day-month-year date in ``text``, as
    ``_ANY_NUMERIC.findall`` finds them. A file of ISO 8601 times holds none: the search
    looks for the year's end first (a scan several times quicker) and tries the whole
    pattern only just before each."""
    for hint in _YEAR_END.finditer(text):
        end = hint.end()
        found = _ANY_NUMERIC.search(text, max(0, hint.start() - 5), end + 1)
        if found is not None and found.end() == end:
            yield found.group(1), found.group(2)


class FieldError(ValueError):
    """A field that cannot be read; the message says which and why."""


@dataclass(frozen=True)
class ReportFields:
    """One report's fields, read and checked; the database row is made from this."""

    source_kind: str
    source_name: str
    source_id: str
    reliability: str
    credibility: int
    occurred_at: dt.datetime
    received_at: dt.datetime | None
    latitude: float
    longitude: float
    precision_m: int
    region: str
    type: str
    weapon: str
    attribution: str
    casualties: int
    text: str
    time_precision: str = TimePrecision.MINUTE.value


def _date(text: str, order: DateOrder | None = None) -> dt.date:
    s = text.strip()
    try:
        if len(s) == 10 and s[4] == "-":
            return dt.date.fromisoformat(s)
    except ValueError as exc:
        raise FieldError(f"not a date: {s!r}") from exc
    m = _NUMERIC.match(s)
    if m:
        a, b, c = m.groups()
        if len(a) == 4:  # year first: 2025/03/14 is always year, month, day
            year, month, day = int(a), int(b), int(c)
        elif len(c) == 4:
            first, second = int(a), int(b)
            if first > 12 >= second:
                day, month = first, second
            elif second > 12 >= first:
                month, day = first, second
            elif first == second:
                day = month = first
            elif order is DateOrder.DMY:
                day, month = first, second
            elif order is DateOrder.MDY:
                month, day = first, second
            else:
                raise FieldError(
                    f"ambiguous date {s!r}: day and month could be either way and the file "
                    "has no date that tells; write it as YYYY-MM-DD or give --date-order"
                )
            year = int(c)
        else:
            raise FieldError(f"a two-digit year is ambiguous: {s!r}")
        return _checked(year, month, day, s)
    m = _NAMED.match(s)
    if m:
        day_s, month_s, year_s = m.groups()
        return _checked(int(year_s), _month(month_s, s), int(day_s), s)
    m = _NAMED_US.match(s)
    if m:
        month_s, day_s, year_s = m.groups()
        return _checked(int(year_s), _month(month_s, s), int(day_s), s)
    raise FieldError(f"not a date: {s!r}")


def _month(name: str, whole: str) -> int:
    month = MONTHS.get(name.lower())
    if month is None:
        raise FieldError(f"not a month name in {whole!r}")
    return month


def _checked(year: int, month: int, day: int, whole: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise FieldError(f"no such date: {whole!r}") from exc


def parse_time(text: str, *, name: str = "time", order: DateOrder | None = None) -> dt.datetime:
    """A UTC time from ISO 8601 or an unambiguous spreadsheet form.

    A time without an offset is read as UTC (reports are filed in UTC); a date without a
    time is midnight UTC. Offsets other than UTC are converted. A spreadsheet's 12-hour
    clock (``3/3/2015 12:00:00 AM``) is read too.
    """
    s = text.strip()
    if not s:
        raise FieldError(f"{name} is missing")
    try:
        value = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        value = None
    if value is None:
        head, _, tail = s.replace("T", " ").rpartition(" ")
        meridiem = tail.upper() if tail.upper() in ("AM", "PM") else ""
        if meridiem:
            head, _, tail = head.rpartition(" ")
        m = _TIME.match(tail) if head else None
        if m is None:
            day = _date(s, order)
            value = dt.datetime(day.year, day.month, day.day)
        else:
            day = _date(head, order)
            hh, mm, ss = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
            if meridiem and not 1 <= hh <= 12:
                raise FieldError(f"{name}: not a time of day: {tail} {meridiem}")
            if meridiem:
                hh = hh % 12 + (12 if meridiem == "PM" else 0)
            if hh > 23 or mm > 59 or ss > 59:
                raise FieldError(f"{name}: not a time of day: {tail!r}")
            value = dt.datetime(day.year, day.month, day.day, hh, mm, ss)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def given_to(text: str) -> TimePrecision:
    """What a time as written is given to: a date alone (``2025-03-04``, ``4 March
    2025``) the day, a date and an hour alone (``2025-03-04T14``) the hour, anything with
    minutes the minute."""
    s = text.strip()
    if ":" in s:
        return TimePrecision.MINUTE
    if re.search(r"\d[T ]\d{1,2}(?:Z|[+-]\d{2}(?::?\d{2})?)?$", s):
        return TimePrecision.HOUR
    return TimePrecision.DAY


_FINER = [TimePrecision.MINUTE, TimePrecision.HOUR, TimePrecision.DAY]


def parse_precision(text: str, given: TimePrecision) -> TimePrecision:
    """The precision a report states (``time_precision``; empty: as its time is
    written). It may be coarser than the time as written, never finer."""
    s = text.strip().lower()
    if not s:
        return given
    try:
        stated = TimePrecision(s)
    except ValueError as exc:
        raise FieldError(f"time_precision {text!r} is not one of minute, hour, day") from exc
    if _FINER.index(stated) < _FINER.index(given):
        raise FieldError(
            f"time_precision {stated.value} is finer than occurred_at gives ({given.value})"
        )
    return stated


def window_start(at: dt.datetime, precision: str) -> dt.datetime:
    """The start of the window a time lies in: its hour, or its day (UTC)."""
    if precision == TimePrecision.DAY:
        return at.replace(hour=0, minute=0, second=0, microsecond=0)
    if precision == TimePrecision.HOUR:
        return at.replace(minute=0, second=0, microsecond=0)
    return at


def parse_float(text: str, name: str, low: float, high: float) -> float:
    try:
        value = float(text.strip().replace(",", ".") if text.count(",") == 1 else text)
    except ValueError as exc:
        raise FieldError(f"{name} is not a number: {text!r}") from exc
    if not (low <= value <= high):
        raise FieldError(f"{name} {value} is out of range [{low}, {high}]")
    return value


def parse_int(text: str, name: str, low: int, high: int, default: int | None = None) -> int:
    s = text.strip()
    if not s:
        if default is None:
            raise FieldError(f"{name} is missing")
        return default
    try:
        value = int(float(s)) if re.fullmatch(r"-?\d+(\.0+)?", s) else int(s)
    except ValueError as exc:
        raise FieldError(f"{name} is not a whole number: {text!r}") from exc
    if not (low <= value <= high):
        raise FieldError(f"{name} {value} is out of range [{low}, {high}]")
    return value


def parse_grading(reliability: str, credibility: str) -> tuple[str, int]:
    """Admiralty grading: source reliability A–F and information credibility 1–6."""
    r = reliability.strip().upper()
    if r not in ("A", "B", "C", "D", "E", "F"):
        raise FieldError(f"reliability must be a letter A–F, not {reliability!r}")
    c = credibility.strip()
    if c not in ("1", "2", "3", "4", "5", "6"):
        raise FieldError(f"credibility must be a digit 1–6, not {credibility!r}")
    return r, int(c)


def parse_enum(text: str, name: str, allowed: type[IncidentType] | type[SourceKind]) -> str:
    s = text.strip().lower().replace(" ", "_").replace("-", "_")
    values = {v.value for v in allowed}
    if s not in values:
        raise FieldError(f"{name} {text!r} is not one of {', '.join(sorted(values))}")
    return s


def _text(raw: dict[str, str], key: str, limit: int) -> str:
    value = (raw.get(key) or "").strip()
    if "\x00" in value:
        raise FieldError(f"{key} contains a NUL character")
    if len(value) > limit:
        raise FieldError(f"{key} is longer than {limit} characters")
    return value


def read_report(
    raw: dict[str, str], now: dt.datetime, order: DateOrder | None = None
) -> ReportFields:
    """Check one record in the canonical layout (lower-case keys) and read its fields."""
    source_name = _text(raw, "source_name", 120)
    source_id = _text(raw, "source_id", 120)
    if not source_name or not source_id:
        raise FieldError("source_name and source_id are required (they make the natural key)")
    reliability, credibility = parse_grading(raw.get("reliability", ""), raw.get("credibility", ""))
    occurred_text = raw.get("occurred_at", "")
    occurred = parse_time(occurred_text, name="occurred_at", order=order)
    precision = parse_precision(raw.get("time_precision") or "", given_to(occurred_text))
    occurred = window_start(occurred, precision)
    if occurred > now + CLOCK_SKEW:
        raise FieldError(f"occurred_at {occurred.isoformat()} is in the future")
    if occurred < EARLIEST:
        raise FieldError(f"occurred_at {occurred.isoformat()} is before {EARLIEST.year}")
    received_text = (raw.get("received_at") or "").strip()
    received = parse_time(received_text, name="received_at", order=order) if received_text else None
    if received is not None and received > now + CLOCK_SKEW:
        raise FieldError(f"received_at {received.isoformat()} is in the future")
    if received is not None and received < occurred:
        raise FieldError("received_at is before occurred_at")
    return ReportFields(
        source_kind=parse_enum(raw.get("source_kind", ""), "source_kind", SourceKind),
        source_name=source_name,
        source_id=source_id,
        reliability=reliability,
        credibility=credibility,
        occurred_at=occurred,
        received_at=received,
        latitude=parse_float(raw.get("latitude", ""), "latitude", -90, 90),
        longitude=parse_float(raw.get("longitude", ""), "longitude", -180, 180),
        precision_m=parse_int(raw.get("precision_m", ""), "precision_m", 0, 1_000_000, 1000),
        region=_text(raw, "region", 80),
        type=parse_enum(raw.get("type", ""), "type", IncidentType),
        weapon=_text(raw, "weapon", 120),
        attribution=_text(raw, "attribution", 80),
        casualties=parse_int(raw.get("casualties", ""), "casualties", 0, 100_000, 0),
        text=_text(raw, "text", 20_000),
        time_precision=precision.value,
    )
