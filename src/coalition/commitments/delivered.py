"""What a tracker row says has arrived, and what an import records for it. Pure.

A tracker sheet states delivered amounts as running totals: "20 of 20 units delivered",
"EUR 31.6 million delivered". The ledger keeps deliveries as insert-only rows, so an
import compares the sheet's total with what is already recorded against the commitment and
records the difference (:func:`increment`); a re-import of the same sheet records nothing,
and a later release with a larger total records only what is new. A total below what is
already recorded is refused, because a recorded delivery is never taken back.

Delivered amounts are read into the pledge's own units and currency (:func:`read_delivered`):

- the quantity from the delivered-units column, as it is;
- the value from the sheet's delivered euro figure, as the share of the sheet's committed
  euro figure applied to the pledge's value (the tracker converts both with the same rate,
  which so cancels out); else from its delivered dollar estimate against its committed
  dollar estimate the same way; a delivered figure in the pledge's own currency is taken
  as it is; a figure with no committed counterpart is converted at the ECB rate of the
  delivery day. The euro value the ledger shows is then the pledge currency at the ECB
  rate of the delivery day, as for every other delivery.

A row that says more arrived than was committed, or a delivered quantity or value where
the row commits none, is refused: the ledger never holds more delivered than committed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from coalition.commitments import money
from coalition.commitments.enums import DatePrecision, Status
from coalition.commitments.parsing import CellError, is_blank, read_date, read_number

Row = Mapping[str, object]

UNDISCLOSED = frozenset({"undisclosed", "unknown", "not disclosed", "unspecified"})
NOTE_LIMIT = 500


@dataclass(frozen=True)
class Committed:
    """What the row commits, in the pledge's units and currency."""

    quantity: Decimal | None
    value: Decimal | None
    currency: str | None


@dataclass(frozen=True)
class SheetDelivered:
    """The delivered totals a sheet states for one commitment, in the pledge's units and
    currency, with the day they are dated and how well that day is known."""

    quantity: Decimal | None
    value: Decimal | None
    on: dt.date
    precision: DatePrecision
    date_text: str
    stated: str  # the sheet's own figures, for the delivery's note
    undisclosed: bool = False  # the sheet says something arrived, not how much


@dataclass(frozen=True)
class Increment:
    """What one import records: the sheet's totals less what was recorded before."""

    quantity: Decimal | None
    value: Decimal | None


def _undisclosed(value: object) -> bool:
    return isinstance(value, str) and value.strip().lower() in UNDISCLOSED


def _positive(value: Decimal | None) -> Decimal | None:
    return value if value else None


def delivery_day(row: Row, reported_on: dt.date) -> tuple[dt.date, DatePrecision, str]:
    """When the row's delivery happened, as well as the sheet says.

    A delivery date column is read like an announcement date (a day, a month, a year, "by"
    a day). Without one, the delivery happened on or before the row's reporting date, if
    the sheet gives it to the day, else on or before ``reported_on`` (the day the sheet
    reports for, or the day of the import).
    """
    day, precision, text = read_date(row.get("delivery_date"))
    if day is not None:
        return day, precision, text
    reported, reported_precision, reported_text = read_date(row.get("reporting_date"))
    if reported is not None and reported_precision in (DatePrecision.DAY, DatePrecision.BY):
        shown = reported_text or reported.isoformat()
        return reported, DatePrecision.BY, f"by the reporting date {shown}"[:100]
    return reported_on, DatePrecision.BY, f"by {reported_on.isoformat()}, no date in the sheet"


def _share(part: Decimal, whole: Decimal, value: Decimal) -> Decimal:
    return money.money(value * part / whole)


def _in_currency(amount: Decimal, given_in: str, currency: str, day: dt.date) -> Decimal:
    """``amount`` in ``given_in`` as ``currency``, through the euro at the ECB rate of ``day``."""
    if given_in == currency:
        return amount
    given_rate, _ = money.rate_on(given_in, day)
    rate, _ = money.rate_on(currency, day)
    return money.money(amount / given_rate * rate)


def _delivered_value(
    row: Row, committed: Committed, eur: Decimal | None, usd: Decimal | None, day: dt.date
) -> Decimal | None:
    if eur is None and usd is None:
        return None
    if committed.value is None or committed.currency is None:
        raise CellError("a delivered value is given, but the row commits no value")
    if eur is not None:
        whole = _positive(read_number(row.get("eur"), "euro value"))
        if committed.currency == "EUR":
            return eur
        if whole is not None:
            return _share(eur, whole, committed.value)
        return _in_currency(eur, "EUR", committed.currency, day)
    assert usd is not None
    whole = _positive(read_number(row.get("committed_usd"), "committed US dollar value"))
    if committed.currency == "USD":
        return usd
    if whole is not None:
        return _share(usd, whole, committed.value)
    return _in_currency(usd, "USD", committed.currency, day)


def read_delivered(
    row: Row, committed: Committed, *, measure_delivered: bool, reported_on: dt.date
) -> SheetDelivered | None:
    """The delivered totals of one tracker row, or ``None`` when it states none; raises
    :class:`CellError` for an unreadable amount or more delivered than committed.

    ``row`` holds the layout's fields ``delivered_quantity``, ``delivered_eur``,
    ``delivered_usd``, ``committed_usd``, ``eur``, ``delivery_date``, ``reporting_date``
    and ``delivery_source`` where the sheet has them. A row whose measure says it was
    delivered, without amounts, delivered all it commits.
    """
    given = row.get("delivered_quantity")
    undisclosed = _undisclosed(given)
    quantity = None if undisclosed else read_number(given, "delivered quantity", places=3)
    eur = read_number(row.get("delivered_eur"), "delivered euro value")
    usd = read_number(row.get("delivered_usd"), "delivered US dollar value")
    stated: list[str] = []
    if quantity is not None:
        stated.append(f"{quantity.normalize():f} units delivered")
    elif undisclosed:
        stated.append("units delivered: undisclosed")
    if eur is not None:
        stated.append(f"EUR {eur:,.2f} delivered")
    if usd is not None:
        stated.append(f"USD {usd:,.2f} delivered (own estimate)")
    quantity, eur, usd = _positive(quantity), _positive(eur), _positive(usd)
    value: Decimal | None = None
    if quantity is None and eur is None and usd is None and not undisclosed:
        if not measure_delivered:
            return None
        quantity, value = committed.quantity, committed.value
        stated.append("measure: delivered")
        undisclosed = quantity is None and value is None
        day, precision, date_text = delivery_day(row, reported_on)
    else:
        if committed.quantity is None and quantity is not None:
            raise CellError(
                f"a delivered quantity of {quantity.normalize():f} is given, "
                "but the row commits no quantity"
            )
        day, precision, date_text = delivery_day(row, reported_on)
        try:
            value = _delivered_value(row, committed, eur, usd, day)
        except money.UnknownCurrency as exc:
            raise CellError(str(exc)) from exc
    if committed.quantity is not None and quantity is not None and quantity > committed.quantity:
        raise CellError(
            f"delivered quantity {quantity.normalize():f} is more than the "
            f"{committed.quantity.normalize():f} committed"
        )
    if committed.value is not None and value is not None and value > committed.value:
        raise CellError(
            f"delivered value {value} {committed.currency} is more than the "
            f"{committed.value} {committed.currency} committed"
        )
    source = "" if is_blank(row.get("delivery_source")) else str(row.get("delivery_source"))
    if source.strip():
        stated.append(f"source: {source.strip()}")
    return SheetDelivered(
        quantity=quantity,
        value=value,
        on=day,
        precision=precision,
        date_text=date_text,
        stated="; ".join(stated),
        undisclosed=undisclosed and quantity is None and value is None,
    )


def status_after(
    committed: Committed, delivered: SheetDelivered | None, *, measure_delivered: bool
) -> Status:
    """A tracker commitment's status from what its row says arrived: ``delivered`` when all
    of it did (counted by quantity where both are known, else by value, else as the row's
    measure or delivery status says), ``in_delivery`` when part of it or an undisclosed
    amount did, else ``announced``."""
    if delivered is None:
        return Status.DELIVERED if measure_delivered else Status.ANNOUNCED
    if committed.quantity is not None and delivered.quantity is not None:
        full = delivered.quantity >= committed.quantity
    elif committed.value is not None and delivered.value is not None:
        full = delivered.value >= committed.value
    else:
        full = measure_delivered
    return Status.DELIVERED if full else Status.IN_DELIVERY


def increment(
    sheet: SheetDelivered, recorded_quantity: Decimal | None, recorded_value: Decimal | None
) -> Increment | None:
    """What to record so the ledger holds the sheet's totals, or ``None`` when it already
    does; raises :class:`CellError` when the sheet states less than is recorded."""
    quantity = _difference(sheet.quantity, recorded_quantity, "quantity")
    value = _difference(sheet.value, recorded_value, "value")
    if quantity is None and value is None:
        return None
    return Increment(quantity, value)


def _difference(stated: Decimal | None, recorded: Decimal | None, what: str) -> Decimal | None:
    if stated is None:
        return None
    done = recorded or Decimal(0)
    if stated < done:
        raise CellError(
            f"the sheet states a delivered {what} of {stated.normalize():f}, less than the "
            f"{done.normalize():f} already recorded; a recorded delivery is never taken back"
        )
    return _positive(stated - done)


def note_for(sheet: SheetDelivered, source_id: str, *, earlier: bool) -> str:
    """The delivery's note: where it comes from and the totals the sheet stated."""
    text = f"Kiel tracker {source_id}: {sheet.stated or 'delivered'}"
    if earlier:
        text += "; the difference from the deliveries recorded before"
    if sheet.precision != DatePrecision.DAY:
        text += f"; dated {sheet.date_text or sheet.precision.value}"
    return text[:NOTE_LIMIT]
