"""The pure parts: reading untidy cells, the tracker layout, money and the figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition.commitments import figures, money
from coalition.commitments.formats import KIEL, PLAIN, donor_code, kiel_pledge, plain_pledge
from coalition.commitments.model import Category, DatePrecision, Status
from coalition.commitments.parsing import CellError, header_key, read_date, read_number

CURRENCIES = money.currencies()


@pytest.mark.parametrize(
    ("cell", "day", "precision"),
    [
        ("2025-03-02", dt.date(2025, 3, 2), DatePrecision.DAY),
        ("3/10/2022", dt.date(2022, 3, 10), DatePrecision.DAY),
        ("until 3/10/2022", dt.date(2022, 3, 10), DatePrecision.BY),
        ("unclear, 04/22", dt.date(2022, 4, 1), DatePrecision.MONTH),
        ("April 2022", dt.date(2022, 4, 1), DatePrecision.MONTH),
        ("2023", dt.date(2023, 1, 1), DatePrecision.YEAR),
        ("unspecified", None, DatePrecision.UNKNOWN),
        (".", None, DatePrecision.UNKNOWN),
        (dt.datetime(2024, 5, 6, 0, 0), dt.date(2024, 5, 6), DatePrecision.DAY),
    ],
)
def test_dates_are_read_with_their_precision(cell, day, precision) -> None:  # type: ignore[no-untyped-def]
    got_day, got_precision, _text = read_date(cell)
    assert (got_day, got_precision) == (day, precision)


@pytest.mark.parametrize(
    ("cell", "day", "precision"),
    [
        # The forms a tracker sheet uses beside the documented "unclear, MM/YY".
        ("not specified, 03/22", dt.date(2022, 3, 1), DatePrecision.MONTH),
        ("unspecified, 11/2023", dt.date(2023, 11, 1), DatePrecision.MONTH),
        ("Not specified, 3/2022", dt.date(2022, 3, 1), DatePrecision.MONTH),
        # Day first where the first number cannot be a month.
        ("until 17/10/2022", dt.date(2022, 10, 17), DatePrecision.BY),
        ("25/2/2023", dt.date(2023, 2, 25), DatePrecision.DAY),
        ("Undisclosed", None, DatePrecision.UNKNOWN),
        ("undisclosed.", None, DatePrecision.UNKNOWN),
        # A spreadsheet's date-time re-save of a date.
        ("3/3/2015 12:00:00 AM", dt.date(2015, 3, 3), DatePrecision.DAY),
        ("2024-05-06 00:00:00", dt.date(2024, 5, 6), DatePrecision.DAY),
    ],
)
def test_the_tracker_date_forms_found_in_the_field(cell, day, precision) -> None:  # type: ignore[no-untyped-def]
    got_day, got_precision, _text = read_date(cell)
    assert (got_day, got_precision) == (day, precision)


@given(st.dates(dt.date(2014, 1, 1), dt.date(2099, 12, 31)))
def test_a_day_first_date_is_read_when_only_one_order_is_a_date(day: dt.date) -> None:
    got, precision, _ = read_date(f"{day.day}/{day.month}/{day.year}")
    if day.day > 12:
        assert (got, precision) == (day, DatePrecision.DAY)
    else:  # both orders are dates: the tracker writes month first
        assert got == dt.date(day.year, day.day, day.month)


@pytest.mark.parametrize(
    "cell", ["sometime in spring", "13/45/2022", "2022-02-30", "1/1/1990", "3/3/2300", "04/13"]
)
def test_bad_dates_are_refused_with_a_reason(cell: str) -> None:
    with pytest.raises(CellError, match="date"):
        read_date(cell)


def test_numbers() -> None:
    assert read_number("1,000", "amount") == Decimal("1000.00")
    assert read_number("1 000.5", "amount") == Decimal("1000.50")
    assert read_number(".", "amount") is None
    assert read_number("nan", "amount") is None  # how a blank cell reads after pandas
    for bad in ("-5", "1e20", "inf", "twelve"):
        with pytest.raises(CellError):
            read_number(bad, "amount")


def test_header_keys_ignore_spelling() -> None:
    assert header_key("Tot. Value (EUR)") == "tot_value_eur"
    assert header_key(" Aid type general ") == "aid_type_general"
    columns = KIEL.resolve(["donor", "aid_type_general", "activity_id", "announcement_date"])
    assert columns == {"donor": 0, "general": 1, "id": 2, "date": 3}
    with pytest.raises(CellError, match="needs column"):
        KIEL.resolve(["Donor", "Item"])


def test_donor_names() -> None:
    assert donor_code("United Kingdom") == "GBR"
    assert donor_code("EU (Commission and Council)") == "EU"
    assert donor_code("Germany") == "DEU"
    with pytest.raises(CellError):
        donor_code("Atlantis")


def _kiel(**cells: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": "7",
        "donor": "France",
        "general": "Military",
        "specific": "Weapons",
        "item": "Howitzers",
        "date": "3/2/2025",
    }
    row.update(cells)
    return row


def test_a_tracker_row_without_currency_takes_the_tracker_euro_value() -> None:
    pledge = kiel_pledge(_kiel(amount="100", currency=".", eur="95"), 2, CURRENCIES, "f")
    assert (pledge.value, pledge.currency, pledge.source_id) == (Decimal("95.00"), "EUR", "7-2")
    with pytest.raises(CellError, match="without a currency"):
        kiel_pledge(_kiel(amount="100", currency="."), 1, CURRENCIES, "f")


def test_training_and_categories() -> None:
    assert kiel_pledge(_kiel(specific="Training"), 1, CURRENCIES, "f").category is Category.TRAINING
    with pytest.raises(CellError, match="aid type"):
        kiel_pledge(_kiel(general="Other"), 1, CURRENCIES, "f")


def test_plain_layout() -> None:
    assert PLAIN.resolve(["source_id", "member", "announced_on", "category", "item"])
    pledge = plain_pledge(
        {
            "source_id": "a1",
            "member": "gbr",
            "announced_on": "2025-03",
            "category": "Force contribution",
            "item": "Brigade",
            "status": "In delivery",
            "marking": "REL TO",
            "rel_to": "FRA; DEU",
        },
        CURRENCIES,
    )
    assert pledge.member == "GBR"
    assert pledge.category is Category.FORCE_CONTRIBUTION
    assert pledge.status is Status.IN_DELIVERY
    assert pledge.date_precision is DatePrecision.MONTH
    assert pledge.rel_to == ["FRA", "DEU"]
    with pytest.raises(CellError, match="together"):
        plain_pledge(
            {
                "source_id": "x",
                "member": "GBR",
                "announced_on": "",
                "category": "military",
                "item": "x",
                "value": "5",
            },
            CURRENCIES,
        )


def test_money_uses_the_last_published_rate() -> None:
    saturday = dt.date(2025, 3, 1)
    conversion = money.to_eur(Decimal("100"), "USD", saturday)
    assert conversion.rate_date == dt.date(2025, 2, 28)
    assert conversion.value_eur == money.money(Decimal("100") / conversion.published)
    assert money.to_eur(Decimal("12.34"), "EUR", saturday).value_eur == Decimal("12.34")
    with pytest.raises(money.UnknownCurrency):
        money.to_eur(Decimal(1), "XYZ", saturday)


@given(
    st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False),
    st.sampled_from(["USD", "GBP", "PLN", "JPY", "CHF", "NOK"]),
    st.dates(min_value=dt.date(2014, 1, 1), max_value=dt.date(2025, 12, 31)),
)
def test_euros_are_exact_to_the_cent_at_the_published_rate(
    value: Decimal, currency: str, day: dt.date
) -> None:
    """The ECB publishes units of a currency per euro (USD 1.0411); a value is divided by
    that published figure, never multiplied by a rounded inverse, which drifted by up to
    nine euros a row on large pledges."""
    conversion = money.to_eur(value, currency, day)
    published = Decimal(repr(money.published_rate(currency, conversion.rate_date)))
    assert conversion.published == published
    assert conversion.value_eur == (value / published).quantize(Decimal("0.01"))


amounts = st.decimals(min_value=0, max_value=10**11, places=2, allow_nan=False)
days = st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2025, 12, 31))


@given(
    st.lists(st.tuples(amounts, st.sampled_from(["EUR", "USD", "GBP", "PLN"]), days), max_size=30)
)
def test_the_euro_total_is_the_sum_of_its_converted_parts(parts) -> None:  # type: ignore[no-untyped-def]
    converted = [money.to_eur(v, c, d).value_eur for v, c, d in parts]
    pledges = [
        figures.Pledged("GBR" if i % 2 else "FRA", "military", d, eur)
        for i, ((_v, _c, d), eur) in enumerate(zip(parts, converted, strict=True))
    ]
    result = figures.compute(pledges, [])
    assert result.total.pledged_eur == sum(converted, Decimal("0.00"))
    assert (
        sum((t.pledged_eur for t in result.by_member.values()), Decimal(0))
        == result.total.pledged_eur
    )
    if result.months:
        assert result.months[-1].cumulative_pledged_eur == result.total.pledged_eur


@given(
    st.lists(st.tuples(days, amounts), max_size=20),
    st.lists(st.tuples(days, amounts), max_size=20),
)
def test_the_monthly_series_has_no_gaps_and_adds_up(pledged, delivered) -> None:  # type: ignore[no-untyped-def]
    result = figures.compute(
        [figures.Pledged("GBR", "financial", d, v) for d, v in pledged],
        [figures.Delivered("GBR", "financial", d, v) for d, v in delivered],
    )
    months = [m.month for m in result.months]
    assert months == sorted(months) and len(set(months)) == len(months)
    if months:
        assert months == figures.month_range(months[0], months[-1])
        last = result.months[-1]
        assert last.cumulative_delivered_eur == result.total.delivered_eur
        assert last.gap_eur == result.total.pledged_eur - result.total.delivered_eur
