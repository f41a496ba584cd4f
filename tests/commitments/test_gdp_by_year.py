"""A pledge's share of GDP uses the GDP of the pledge's year.

Pure first (Hypothesis states which year's GDP a pledge meets), then the summary on both
databases: a 2022 pledge is measured against 2022's GDP, not the latest held, and a year
without its GDP says which earlier year stood in.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from coalition.commitments import figures, money
from coalition.core.db import transaction
from coalition.members.model import MemberFigure
from tests.world import World

YEARS = st.integers(2010, 2030)


@given(year=st.one_of(st.none(), YEARS), held=st.sets(YEARS, max_size=6))
def test_a_pledge_meets_its_years_gdp_or_the_nearest_earlier(
    year: int | None, held: set[int]
) -> None:
    chosen = figures.gdp_year_for(year, held)
    if year is None:
        assert chosen == (max(held) if held else None)
    else:
        earlier = [y for y in held if y <= year]
        assert chosen == (max(earlier) if earlier else None)


AMOUNTS = st.decimals(min_value=0, max_value=10**9, places=2)


@given(
    pledged=st.dictionaries(st.one_of(st.none(), YEARS), AMOUNTS, min_size=1, max_size=5),
    gdp=st.dictionaries(YEARS, st.decimals(min_value=1, max_value=10**13, places=2), max_size=5),
)
def test_the_share_is_each_years_pledges_over_that_years_gdp(
    pledged: dict[int | None, Decimal], gdp: dict[int, Decimal]
) -> None:
    result = figures.share_of_gdp(pledged, gdp)
    assert [line.year for line in result.lines] == sorted(
        pledged, key=lambda y: (y is None, y or 0)
    )
    for line in result.lines:
        assert line.gdp_year == figures.gdp_year_for(line.year, gdp)
        assert str(line.gdp_year) in line.note if line.gdp_year else "no GDP" in line.note
    if any(line.gdp_eur is None for line in result.lines):
        assert result.share is None
    else:
        expected = sum(pledged[y] / gdp[figures.gdp_year_for(y, gdp) or 0] for y in pledged)
        assert result.share == float(expected)


def _pledge(client, day: str, value: str) -> None:  # type: ignore[no-untyped-def]
    created = client.post(
        "/api/v1/commitments",
        json={
            "member": "GBR",
            "announced_on": day,
            "category": "financial",
            "item": f"Budget support {day}",
            "value": value,
            "currency": "EUR",
            "marking": "PUBLIC",
        },
    )
    assert created.status_code == 201, created.text


GDP_2014 = 3_000_000_000_000
GDP_2022 = 3_100_000_000_000


def _gdp_eur(usd: int, year: int) -> Decimal:
    return money.to_eur(Decimal(usd), "USD", dt.date(year, 12, 31)).value_eur


def test_a_2022_pledge_uses_2022s_gdp(engine: Engine, world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    with transaction(engine, actor="test") as session:
        for year, gdp in ((2014, GDP_2014), (2022, GDP_2022)):
            session.add(MemberFigure(member_code="GBR", year=year, gdp_usd=gdp, source="test"))
    officer = client_for("gbr.contributor")
    _pledge(officer, "2022-05-01", "1000000000")
    gbr = client_for(None).get("/api/v1/commitments/summary").json()["by_member"][0]
    assert gbr["gdp_basis"] == "2022 pledges: 2022 GDP"
    share = Decimal(1_000_000_000) / _gdp_eur(GDP_2022, 2022)
    assert abs(gbr["share_of_gdp"] - float(share)) < 1e-12
    assert abs(gbr["share_of_gdp"] - float(Decimal(10**9) / _gdp_eur(GDP_2014, 2014))) > 1e-6
    _pledge(officer, "2023-02-01", "500000000")
    gbr = client_for(None).get("/api/v1/commitments/summary").json()["by_member"][0]
    assert gbr["gdp_basis"] == (
        "2022 pledges: 2022 GDP; 2023 pledges: 2022 GDP, the nearest earlier year held"
    )
    both = share + Decimal(500_000_000) / _gdp_eur(GDP_2022, 2022)
    assert abs(gbr["share_of_gdp"] - float(both)) < 1e-12
