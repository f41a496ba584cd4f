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
    """A value in euros, the rate used (euros per unit, rounded for display), the ECB's
    published figure it comes from (units per euro, exact) and the day of that rate."""

    value_eur: Decimal
    rate: Decimal
    rate_date: dt.date
    published: Decimal = Decimal(1)


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


def published_rate(currency: str, day: dt.date) -> float:
    """The ECB's reference rate of ``currency`` on ``day`` as the shipped table holds it:
    units of the currency per euro (raises ``RateNotFoundError`` on a day without one)."""
    return float(_converter().convert(1, "EUR", currency.upper(), date=day))


@lru_cache(maxsize=65_536)
def rate_on(currency: str, day: dt.date) -> tuple[Decimal, dt.date]:
    """Units of ``currency`` per euro as the ECB published it, exact, and its day."""
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
            published = published_rate(code, candidate)
        except RateNotFoundError:
            continue
        # The table holds the ECB's decimal figure (1.0411) as the nearest float; its
        # shortest repr gives that figure back exactly.
        return Decimal(repr(published)), candidate
    raise UnknownCurrency(f"no ECB reference rate for {code} near {day.isoformat()}")


def to_eur(value: Decimal, currency: str, day: dt.date) -> Conversion:
    """``value`` in ``currency`` converted to euros at the rate for ``day``, to the cent.

    The value is divided by the ECB's published figure in full precision and rounded once;
    an inverse rounded first would drift by euros on a pledge of billions.
    """
    published, rate_date = rate_on(currency, day)
    return Conversion(
        money(value / published),
        (1 / published).quantize(RATE_PLACES),
        rate_date,
        published,
    )
