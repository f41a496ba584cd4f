"""Money in euros: the ECB's euro reference rates, shipped with ``currencyconverter``.

Pure: no web, no database; the rates come from the package's bundled ECB file, so
conversion works offline. A value is converted at the rate of the last day the ECB
published a rate on or before the value's date (weekends and holidays have none), and the
day actually used is returned with the rate, so a reader can check every euro. Dates
before the first or after the last published rate use that first or last rate, and say so
through ``rate_date``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

from currency_converter import CurrencyConverter, RateNotFoundError

CENT = Decimal("0.01")
RATE_PLACES = Decimal("0.00000001")
# The ECB publishes on working days; a gap longer than this means the currency stopped.
LOOKBACK_DAYS = 10


class UnknownCurrency(ValueError):
    """The currency has no ECB reference rate."""


@dataclass(frozen=True)
class Conversion:
    """A value in euros, the rate used (euros per unit) and the day of that rate."""

    value_eur: Decimal
    rate: Decimal
    rate_date: dt.date


@lru_cache(maxsize=1)
def _converter() -> CurrencyConverter:
    # Missing rates are not interpolated: a converted value must name a real ECB day.
    return CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)


def currencies() -> frozenset[str]:
    """Every ISO 4217 code the shipped table has a rate for (EUR included)."""
    return frozenset(_converter().currencies)


def money(value: Decimal) -> Decimal:
    """``value`` rounded to the cent, half to even, as stored."""
    return value.quantize(CENT, rounding=ROUND_HALF_EVEN)


@lru_cache(maxsize=65_536)
def rate_on(currency: str, day: dt.date) -> tuple[Decimal, dt.date]:
    """Euros per one unit of ``currency`` and the ECB day that rate is from."""
    code = currency.upper()
    if code == "EUR":
        return Decimal(1), day
    converter = _converter()
    if code not in converter.currencies:
        raise UnknownCurrency(f"no ECB reference rate for currency {currency!r}")
    first, last = converter.bounds[code]
    target = min(max(day, first), last)
    for back in range(LOOKBACK_DAYS + 1):
        candidate = target - dt.timedelta(days=back)
        if candidate < first:
            break
        try:
            rate = converter.convert(1, code, "EUR", date=candidate)
        except RateNotFoundError:
            continue
        return Decimal(repr(rate)).quantize(RATE_PLACES), candidate
    raise UnknownCurrency(f"no ECB reference rate for {code} near {day.isoformat()}")


def to_eur(value: Decimal, currency: str, day: dt.date) -> Conversion:
    """``value`` in ``currency`` converted to euros at the rate for ``day``, to the cent."""
    rate, rate_date = rate_on(currency, day)
    return Conversion(money(value * rate), rate, rate_date)
