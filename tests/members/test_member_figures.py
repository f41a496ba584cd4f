"""Members' figures by year: the shipped data, and the API and page that show them.

The register keeps one population and one GDP per member (the latest held); the figures by
year keep every year with its source, so older figures stay for the years they describe.
"""

from __future__ import annotations

import csv
from importlib.resources import files

import pytest
from sqlalchemy import Engine

from coalition.core import audit
from coalition.core.db import transaction
from coalition.core.marking import Marking
from coalition.members import service
from coalition.members.model import Member
from tests.world import World

EU27 = [
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
    "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP",
    "SWE",
]  # fmt: skip


def _rows(name: str) -> list[dict[str, str]]:
    text = (files("coalition") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_every_shipped_figure_names_its_source_and_year() -> None:
    rows = _rows("member_figures.csv")
    assert rows and all(r["source"].strip() and r["year"].isdigit() for r in rows)
    assert all(r["population"] or r["gdp_usd"] for r in rows)
    keys = [(r["code"], r["year"]) for r in rows]
    assert len(keys) == len(set(keys))
    years = {(r["code"], int(r["year"])) for r in rows if r["population"]}
    for code in ("GBR", "DEU", "FRA", "POL", "UKR", "NOR"):
        assert {(code, 2022), (code, 2023)} <= years, code


def test_the_eu_row_is_the_eu_27() -> None:
    figures = {(r["code"], r["year"]): r for r in _rows("member_figures.csv")}
    eu_2014 = figures[("EU", "2014")]
    assert int(eu_2014["population"]) == sum(
        int(figures[(code, "2014")]["population"]) for code in EU27
    )
    assert int(eu_2014["gdp_usd"]) == sum(int(figures[(code, "2014")]["gdp_usd"]) for code in EU27)
    register = {r["code"]: r for r in _rows("members.csv")}["EU"]
    # The EU-28 of 2014 held some 508 million people; the EU-27 holds about 450 million.
    assert 440_000_000 < int(register["population"]) < 460_000_000
    latest = max(
        (r for r in _rows("member_figures.csv") if r["code"] == "EU"), key=lambda r: r["year"]
    )
    assert (register["population"], register["population_year"]) == (
        latest["population"],
        latest["year"],
    )


def test_the_register_holds_the_latest_figure_of_each_member() -> None:
    figures = _rows("member_figures.csv")
    for row in _rows("members.csv"):
        mine = [f for f in figures if f["code"] == row["code"]]
        if not mine:
            assert not row["population"] and not row["gdp_usd"]
            continue
        pop = max((f for f in mine if f["population"]), key=lambda f: int(f["year"]))
        assert (row["population"], row["population_year"]) == (pop["population"], pop["year"])


def _load(engine: Engine) -> None:
    with transaction(engine, actor="test") as session:
        assert service.load_figures(session, ["GBR", "FRA", "DEU"]) > 0
        assert service.load_figures(session, ["GBR", "FRA", "DEU"]) == 0  # once only
    with transaction(engine) as session:
        assert audit.verify(session).ok  # every figure is on the audit chain


def test_the_api_and_page_show_each_year_with_its_source(
    engine: Engine, world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    _load(engine)
    reader = client_for("fra.viewer")
    figures = reader.get("/api/v1/members/GBR/figures")
    assert figures.status_code == 200
    body = figures.json()
    years = [f["year"] for f in body]
    assert years == sorted(years, reverse=True) and {2014, 2022, 2023} <= set(years)
    assert all(f["source"] for f in body)
    page = reader.get("/members/GBR")
    assert page.status_code == 200
    assert "Figures by year" in page.text and "World Bank" in page.text


def test_a_hidden_members_figures_are_not_shown(engine: Engine, world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    _load(engine)
    with transaction(engine, actor="test") as session:
        member = session.get(Member, "DEU")
        member.marking = Marking.NATIONAL.value
        member.owner_code = "DEU"
    assert client_for("gbr.viewer").get("/api/v1/members/DEU/figures").status_code == 404
    assert client_for(None).get("/api/v1/members/DEU/figures").status_code in (401, 404)


@pytest.mark.parametrize(
    "code", ["gbr'--", "%00", "G" * 300, "..%2F..%2Fetc", "GBR%20OR%201=1", "<script>"]
)
def test_hostile_member_codes_are_refused_cleanly(client_for, code: str) -> None:  # type: ignore[no-untyped-def]
    response = client_for("gbr.viewer").get(f"/api/v1/members/{code}/figures")
    assert response.status_code in (404, 422)
    assert "Traceback" not in response.text
