"""The Council's population table (Annex III) in qualified-majority votes.

The pure table and weighing rule first (Hypothesis states the choice of table and of
figure), then the worked example the docs give, then the service on both databases: a
vote opened in 2025 weighs the EU states by the Council's 2025 table and the others by the
register, and says so.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from importlib.resources import files

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from coalition.core import audit
from coalition.core.db import transaction
from coalition.decisions import annex, rules, service
from coalition.decisions.model import Proposal
from coalition.decisions.rules import Ballot, Rule, Stance, Statement, Voter
from coalition.decisions.schemas import ProposalCreate
from tests.world import World

EU27 = [
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
    "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP",
    "SWE",
]  # fmt: skip
T2025 = annex.shipped()[2025]


# --- the shipped table ---------------------------------------------------------------------


def test_the_2025_table_is_the_councils_for_the_eu_27() -> None:
    assert T2025.union_population == 451_028_881
    assert sorted(T2025.codes) == sorted(EU27)
    assert T2025.shares["DEU"] == Decimal("18.49") and T2025.shares["MLT"] == Decimal("0.12")
    # Two-decimal shares add up to 100% within their rounding (27 × 0.005 points).
    assert abs(sum(T2025.shares.values()) - 100) <= Decimal("0.135")
    weights = [T2025.weight(code) for code in EU27]
    assert all(w is not None and w > 0 for w in weights)
    assert abs(sum(w for w in weights if w) - T2025.union_population) <= 0.00135 * 451_028_881
    assert T2025.weight("DEU") == 83_395_240  # 18.49% of 451,028,881, to the person
    assert T2025.weight("GBR") is None and T2025.weight("EU") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("year,code,share_pct\n", "line 1: the header"),
        ("year,code,population,share_pct\n2025,EU,1,100\n2025,DEU,,101\n", "line 3: share_pct"),
        ("year,code,population,share_pct\n2025,EU,1,100\n2025,DEU,,-3\n", "line 3: share_pct"),
        ("year,code,population,share_pct\n2025,EU,1,100\n2025,DEU,,abc\n", "line 3: share_pct"),
        ("year,code,population,share_pct\n2025,EU,1,100\n2025,deu,,1\n", "line 3: code"),
        ("year,code,population,share_pct\n2025,EU,1,100\n2025,DEU,,1\n2025,DEU,,2\n", "twice"),
        ("year,code,population,share_pct\n2025,EU,1,100\n2025,DEU\n", "line 3: 4 fields"),
        ("year,code,population,share_pct\n2025,EU,1,100\n2025,DEU,,\n", "neither"),
        ("year,code,population,share_pct\n2025,DEU,,10\n", "Union's population"),
        ("year,code,population,share_pct\n1999,EU,1,100\n", "outside"),
        ("year,code,population,share_pct\n2025,EU,99999999999,100\n", "out of range"),
        ("year,code,population,share_pct\n2025,EU,1e9,100\n", "line 2: population"),
        ("year,code,population,share_pct\n2025,EU,1,100\n2025,D\x00E,,1\n", "line 3: code"),
        ("year,code,population,share_pct\n2025,EU,1,100\n", "names no Member State"),
    ],
)
def test_a_malformed_table_is_refused_with_its_line(text: str, message: str) -> None:
    with pytest.raises(annex.TableError, match=message):
        annex.parse(text)


@given(
    held=st.sets(st.integers(annex.FIRST_YEAR, annex.LAST_YEAR), max_size=6),
    year=st.integers(annex.FIRST_YEAR, annex.LAST_YEAR),
)
def test_the_table_in_force_is_that_years_or_the_latest_earlier(held: set[int], year: int) -> None:
    tables = {y: annex.CouncilTable(y, 100, {}, {"DEU": Decimal(1)}) for y in held}
    chosen = annex.table_for(tables, year)
    earlier = [y for y in held if y <= year]
    assert (chosen.year if chosen else None) == (max(earlier) if earlier else None)


@given(
    code=st.sampled_from(["DEU", "FRA", "GBR", "NOR"]),
    year=st.integers(2024, 2027),
    table_year=st.one_of(st.none(), st.integers(2024, 2027)),
    register=st.one_of(st.none(), st.integers(0, 10**9)),
    own=st.one_of(st.none(), st.integers(0, 10**9)),
)
def test_a_voter_weighs_its_own_figure_then_the_councils_then_the_registers(
    code: str, year: int, table_year: int | None, register: int | None, own: int | None
) -> None:
    table = None
    if table_year is not None and table_year <= year:
        table = annex.CouncilTable(table_year, 1000, {"FRA": 150}, {"DEU": Decimal("18.49")})
    weight, basis = annex.weigh(
        code, year=year, table=table, register=register, register_year=2023, given=own
    )
    if own is not None:
        assert (weight, basis) == (own, "the proposal's own table")
    elif table is not None and code in ("DEU", "FRA"):
        assert weight == {"DEU": 185, "FRA": 150}[code]
        assert basis.startswith(f"Council Annex III {table.year}")
        assert ("latest held" in basis) == (table.year != year)
    else:
        assert weight == (register or 0)
        assert basis.startswith("the register's 2023 figure, ")
        why = "not in the Council's table" if table is not None else "no Council table"
        assert why in basis


# --- the worked example: a blocking minority under 2014 and 2025 figures --------------------


def _figures_2014() -> dict[str, int]:
    text = (files("coalition") / "data" / "member_figures.csv").read_text(encoding="utf-8")
    return {
        row["code"]: int(row["population"])
        for row in csv.DictReader(text.splitlines())
        if row["year"] == "2014" and row["code"] in EU27
    }


AGAINST = {"DEU", "NLD", "ESP", "SWE"}
AT = dt.datetime(2025, 3, 18, 12, tzinfo=dt.UTC)


def _vote(voters: tuple[Voter, ...]) -> rules.Outcome:
    statements = tuple(
        Statement(v.code, Stance.OBJECT if v.code in AGAINST else Stance.SUPPORT, AT)
        for v in voters
    )
    return rules.decide(
        Ballot(Rule.QUALIFIED_MAJORITY, voters, statements, AT + dt.timedelta(days=1))
    )


def test_four_members_block_under_the_2025_table_but_not_under_2014_figures() -> None:
    old = _figures_2014()
    under_2014 = _vote(tuple(Voter(c, old[c], "World Bank 2014") for c in EU27))
    under_2025 = _vote(tuple(Voter(c, T2025.weight(c) or 0, T2025.label) for c in EU27))
    assert under_2014.result is rules.Result.ADOPTED
    assert "representing 65.3% of the population" in under_2014.reason
    assert under_2025.result is rules.Result.REJECTED
    assert under_2025.reason == (
        "rejected: 23 of 27 members (85.2%) in favour, representing 64.4% of the population; "
        "short of 65% of the population (populations: Council Annex III 2025 for 27 members)"
    )


# --- the service, on both databases -------------------------------------------------------


def _table(engine: Engine, world: World, opens_at: dt.datetime, **kw: object) -> int:
    data = ProposalCreate(
        title="Share the common costs",
        rule=Rule.QUALIFIED_MAJORITY,
        opens_at=opens_at,
        deadline=dt.datetime.now(dt.UTC) + dt.timedelta(days=2),
        **kw,  # type: ignore[arg-type]
    )
    with transaction(engine, actor="sec.contributor") as session:
        principal = world.principal("sec.contributor")
        return service.table_proposal(session, principal, data).id


def _weights(engine: Engine, pid: int) -> dict[str, tuple[int, str]]:
    with transaction(engine) as session:
        return {
            v.member_code: (v.population, v.population_basis)
            for v in session.get(Proposal, pid).voters
        }


def test_a_vote_opened_in_2025_weighs_the_councils_2025_figures(
    engine: Engine, world: World
) -> None:
    pid = _table(engine, world, dt.datetime(2025, 3, 17, 10, tzinfo=dt.UTC))
    register = "the register's figure, not in the Council's table"
    assert _weights(engine, pid) == {
        "DEU": (83_395_240, "Council Annex III 2025"),
        "FRA": (T2025.weight("FRA"), "Council Annex III 2025"),
        "POL": (T2025.weight("POL"), "Council Annex III 2025"),
        "GBR": (67_000_000, register),
    }
    client_basis = "populations: Council Annex III 2025 for DEU, FRA, POL; " + register
    with transaction(engine) as session:
        outcome = service.outcome(session, world.principal("gbr.viewer"), pid)
        assert client_basis + " for GBR" in outcome.standing
        viewer = world.principal("gbr.viewer")
        public = service.to_public(session, viewer, session.get(Proposal, pid))
        assert {v.member: v.basis for v in public.voters}["GBR"] == register
        assert audit.verify(session).ok


def test_the_proposals_own_figure_wins_and_a_later_year_says_which_table(
    engine: Engine, world: World
) -> None:
    own = _table(engine, world, dt.datetime(2025, 6, 1, tzinfo=dt.UTC), populations={"DEU": 5})
    assert _weights(engine, own)["DEU"] == (5, "the proposal's own table")
    later = _table(engine, world, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert _weights(engine, later)["DEU"] == (
        83_395_240,
        "Council Annex III 2025, the latest held for 2026",
    )


def test_the_proposal_page_shows_each_population_and_its_basis(
    engine: Engine, world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    pid = _table(engine, world, dt.datetime(2025, 3, 17, 10, tzinfo=dt.UTC))
    page = client_for("gbr.viewer").get(f"/proposals/{pid}")
    assert page.status_code == 200
    assert "Populations weighed" in page.text and "Council Annex III 2025" in page.text
    api = client_for("gbr.viewer").get(f"/api/v1/proposals/{pid}").json()
    assert {v["member"]: v["basis"] for v in api["voters"]}["DEU"] == "Council Annex III 2025"
