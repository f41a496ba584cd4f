"""The one month-name table both the ceasefire and the pledge readers use."""

from __future__ import annotations

import calendar

from coalition.ceasefire import fields
from coalition.commitments import parsing
from coalition.core.months import MONTHS


def test_every_month_is_read_by_its_english_name_and_abbreviation() -> None:
    for number in range(1, 13):
        assert MONTHS[calendar.month_name[number].lower()] == number
        assert MONTHS[calendar.month_abbr[number].lower()] == number
    assert MONTHS["sept"] == 9 and set(MONTHS.values()) == set(range(1, 13))


def test_both_readers_use_the_one_table() -> None:
    assert fields.MONTHS is MONTHS and parsing.MONTHS is MONTHS
