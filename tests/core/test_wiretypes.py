"""Wire types: what a field declares in the document is exactly what it accepts."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import Field, ValidationError

from coalition.core.patterns import date_pattern
from coalition.core.wiretypes import (
    NO_NUL,
    Amount,
    Day,
    MemberCode,
    Moment,
    OneOf,
    WireIn,
)


class Sample(WireIn):
    count: int | None = None
    share: float | None = None
    flag: bool | None = None
    note: str | None = None
    codes: list[MemberCode] = []
    table: dict[str, int] = {}
    day: Annotated[dt.date, Day(2014, 2099)] | None = None
    at: Annotated[dt.datetime, Moment(2000, 2099)] | None = None
    amount: Annotated[Decimal, Field(ge=0), Amount(digits=5, places=2)] | None = None
    colour: Annotated[str, OneOf(lambda: ["blue", "red"], "colour")] | None = None


def _accepts(**fields: object) -> bool:
    try:
        Sample.model_validate(fields)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize(
    ("fields", "ok"),
    [
        ({"count": 3}, True),
        ({"count": 3.0}, True),  # JSON Schema's integer includes 3.0
        ({"count": True}, False),
        ({"count": "3"}, False),
        ({"share": 1}, True),
        ({"share": False}, False),
        ({"flag": True}, True),
        ({"flag": 0}, False),
        ({"flag": "true"}, False),
        ({"note": "a\x00b"}, False),
        ({"codes": ["gbr", "FRA"]}, True),
        ({"codes": [" GBR"]}, False),
        ({"table": {"GBR": True}}, False),
        ({"table": {"GBR\x00": 1}}, False),
        ({"day": "2025-03-02"}, True),
        ({"day": 0}, False),
        ({"day": "0"}, False),
        ({"day": "1700000000"}, False),
        ({"day": "2013-12-31"}, False),
        ({"day": dt.date(2100, 1, 1)}, False),
        ({"at": "2025-03-26T10:00:00Z"}, True),
        ({"at": "2099-12-31T23:00:00-05:00"}, True),  # the year as written
        ({"at": "2025-03-26T10:00:00"}, False),  # no zone
        ({"at": "2025-03-26T10:00Z"}, False),  # no seconds
        ({"at": 0.5}, False),
        ({"at": dt.datetime(2025, 3, 26, 10)}, False),  # naive
        ({"amount": "12.5"}, True),
        ({"amount": "1e3"}, False),
        ({"amount": "-1"}, False),
        ({"amount": True}, False),
        ({"colour": "blue"}, True),
        ({"colour": "green"}, False),
        ({"unknown": 1}, False),
    ],
)
def test_json_types_are_taken_as_declared(fields: dict[str, object], ok: bool) -> None:
    assert _accepts(**fields) == ok


def test_a_json_number_is_rounded_to_the_places_of_its_amount() -> None:
    assert Sample.model_validate({"amount": 1.2340000000000002}).amount == Decimal("1.23")


def test_the_document_declares_the_rules() -> None:
    props = Sample.model_json_schema()["properties"]

    def string_branch(name: str) -> dict[str, object]:
        return next(b for b in props[name]["anyOf"] if b.get("type") == "string")

    assert string_branch("day")["pattern"] == date_pattern(2014, 2099)
    assert string_branch("note")["pattern"] == NO_NUL
    assert string_branch("amount")["pattern"] == r"^\d{1,5}(?:\.\d{1,2})?$"
    assert string_branch("colour")["enum"] == ["blue", "red"]
    assert props["codes"]["items"]["pattern"] == "^[A-Za-z]{2,4}$"


@given(st.text(max_size=12) | st.dates().map(dt.date.isoformat))
def test_a_day_is_accepted_only_where_its_pattern_matches(text: str) -> None:
    pattern = date_pattern(2014, 2099)
    if _accepts(day=text):
        assert re.search(pattern, text)
    elif re.search(pattern, text):
        # Matching the pattern yet refused: only a day no calendar has (30 February).
        with pytest.raises(ValueError):
            dt.date.fromisoformat(text)
