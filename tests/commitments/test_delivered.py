"""The pure rules of delivered amounts: shares, statuses, and what an import adds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition.commitments import money
from coalition.commitments.delivered import (
    Committed,
    SheetDelivered,
    delivery_day,
    increment,
    read_delivered,
    status_after,
)
from coalition.commitments.enums import DatePrecision, Status
from coalition.commitments.parsing import CellError

DAY = dt.date(2025, 5, 31)
amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)


def _sheet(quantity: Decimal | None, value: Decimal | None) -> SheetDelivered:
    return SheetDelivered(quantity, value, DAY, DatePrecision.BY, "", "")


@given(
    stated_q=st.none() | amounts,
    stated_v=st.none() | amounts,
    before_q=st.none() | amounts,
    before_v=st.none() | amounts,
)
def test_an_import_records_the_difference_and_a_rerun_nothing(
    stated_q: Decimal | None,
    stated_v: Decimal | None,
    before_q: Decimal | None,
    before_v: Decimal | None,
) -> None:
    """Recorded plus what an import adds is what the sheet states; a second import of the
    same totals adds nothing; a total below what is recorded is refused."""
    sheet = _sheet(stated_q, stated_v)
    below = any(
        s is not None and s < (b or 0) for s, b in ((stated_q, before_q), (stated_v, before_v))
    )
    if below:
        with pytest.raises(CellError, match="never taken back"):
            increment(sheet, before_q, before_v)
        return
    more = increment(sheet, before_q, before_v)
    after_q = (before_q or 0) + (more.quantity or 0 if more else 0)
    after_v = (before_v or 0) + (more.value or 0 if more else 0)
    if stated_q is not None:
        assert after_q == max(stated_q, before_q or 0)
    if stated_v is not None:
        assert after_v == max(stated_v, before_v or 0)
    if more is not None:
        assert (more.quantity or 0) > 0 or (more.value or 0) > 0
        assert (more.quantity or 0) >= 0 and (more.value or 0) >= 0
    assert increment(sheet, after_q or None, after_v or None) is None


@given(committed=amounts.filter(bool), delivered=amounts)
def test_the_status_follows_the_share_delivered(committed: Decimal, delivered: Decimal) -> None:
    terms = Committed(committed, None, None)
    status = status_after(terms, _sheet(delivered, None), measure_delivered=False)
    assert status == (Status.DELIVERED if delivered >= committed else Status.IN_DELIVERY)
    assert status_after(terms, None, measure_delivered=False) == Status.ANNOUNCED
    assert status_after(terms, None, measure_delivered=True) == Status.DELIVERED


def _row(**cells: object) -> dict[str, object]:
    return cells


AUD = Committed(Decimal(20), Decimal("49000000.00"), "AUD")


@given(share=st.integers(min_value=0, max_value=1000))
def test_a_delivered_euro_figure_is_a_share_of_the_pledge_never_more(share: int) -> None:
    """The tracker's delivered euros over its committed euros, applied to the pledge's own
    value: the tracker's rate cancels out, and all of it is exactly the pledge."""
    committed_eur = Decimal("31631269.77")
    delivered_eur = (committed_eur * share / 1000).quantize(Decimal("0.01"))
    sheet = read_delivered(
        _row(delivered_eur=delivered_eur, eur=committed_eur),
        AUD,
        measure_delivered=False,
        reported_on=DAY,
    )
    if delivered_eur == 0:
        assert sheet is None
        return
    assert sheet is not None and sheet.value is not None
    assert sheet.value <= AUD.value
    if share == 1000:
        assert sheet.value == AUD.value


def test_a_delivered_figure_without_its_committed_counterpart_is_converted_at_the_ecb_rate() -> (
    None
):
    sheet = read_delivered(
        _row(delivered_eur="1000000", delivery_date="2023-01-05"),
        Committed(None, Decimal("49000000"), "AUD"),
        measure_delivered=False,
        reported_on=DAY,
    )
    assert sheet is not None and sheet.value is not None
    # The shipped ECB table's figure for that day, units of AUD per euro.
    rate, rate_day = money.rate_on("AUD", dt.date(2023, 1, 5))
    assert rate_day == dt.date(2023, 1, 5)
    assert sheet.value == money.money(Decimal(1_000_000) * rate)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (_row(delivered_quantity="-3"), "negative"),
        (_row(delivered_quantity="three"), "not a number"),
        (_row(delivered_quantity="1e15"), "implausibly large"),
        (_row(delivered_quantity="inf"), "not a finite number"),
        (_row(delivered_quantity="21"), "more than the 20 committed"),
        (_row(delivered_eur="99", eur="98"), "more than the 49000000.00 AUD committed"),
        (_row(delivered_usd="5", committed_usd="."), "no ECB reference rate"),
    ],
)
def test_unreadable_or_excessive_amounts_are_refused(row: dict[str, object], reason: str) -> None:
    terms = AUD if "delivered_usd" not in row else Committed(None, Decimal(1), "XYZ")
    with pytest.raises(CellError, match=reason):
        read_delivered(row, terms, measure_delivered=False, reported_on=DAY)


def test_a_delivered_value_needs_a_committed_one() -> None:
    with pytest.raises(CellError, match="commits no value"):
        read_delivered(
            _row(delivered_eur="5"),
            Committed(Decimal(3), None, None),
            measure_delivered=False,
            reported_on=DAY,
        )


@pytest.mark.parametrize(
    ("row", "day", "precision"),
    [
        (_row(delivery_date="2025-03-15"), dt.date(2025, 3, 15), DatePrecision.DAY),
        (_row(delivery_date="04/2025"), dt.date(2025, 4, 1), DatePrecision.MONTH),
        (_row(delivery_date="until 4/15/2025"), dt.date(2025, 4, 15), DatePrecision.BY),
        (
            _row(delivery_date=".", reporting_date="3/25/2025"),
            dt.date(2025, 3, 25),
            DatePrecision.BY,
        ),
        (_row(reporting_date="04/2025"), DAY, DatePrecision.BY),  # not to the day: not used
        (_row(), DAY, DatePrecision.BY),
    ],
)
def test_a_delivery_is_dated_as_well_as_the_sheet_says(
    row: dict[str, object], day: dt.date, precision: DatePrecision
) -> None:
    got, got_precision, _text = delivery_day(row, DAY)
    assert (got, got_precision) == (day, precision)
