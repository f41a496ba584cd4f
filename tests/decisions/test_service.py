"""Tabling, stating positions and closing, on both databases, through the service."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, func, select

from coalition.core import audit
from coalition.core.db import transaction
from coalition.core.errors import Conflict, Forbidden, Invalid, NotFound
from coalition.core.marking import Marking
from coalition.decisions import annex, service
from coalition.decisions.model import Position, Proposal
from coalition.decisions.rules import Rule, Stance
from coalition.decisions.schemas import PositionIn
from coalition.members.model import Member
from tests.decisions.helpers import AFTER, DEADLINE, NOW, OPENS, table
from tests.world import World


def state(
    engine: Engine,
    world: World,
    user: str,
    proposal_id: int,
    stance: Stance,
    at: dt.datetime = NOW,
    **kw: str,
) -> None:
    with transaction(engine, actor=user) as session:
        service.state_position(
            session, world.principal(user), proposal_id, PositionIn(stance=stance, **kw), now=at
        )


def rows(engine: Engine, proposal_id: int) -> list[tuple[str, str, bool]]:
    with transaction(engine) as session:
        return [
            (p.member_code, p.stance, p.superseded_at is None)
            for p in session.scalars(
                select(Position).where(Position.proposal_id == proposal_id).order_by(Position.id)
            )
        ]


def voters(engine: Engine, proposal_id: int) -> list[str]:
    with transaction(engine) as session:
        return [v.member_code for v in session.get(Proposal, proposal_id).voters]


def test_who_takes_part_depends_on_rule_and_marking(engine: Engine, world: World) -> None:
    assert voters(engine, table(engine, world)) == ["DEU", "EU", "FRA", "GBR", "POL"]
    qmv = table(engine, world, Rule.QUALIFIED_MAJORITY)
    assert voters(engine, qmv) == ["DEU", "FRA", "GBR", "POL"]  # states with a population
    rel = table(engine, world, marking=Marking.REL_TO, rel_to=["FRA", "GBR"])
    assert voters(engine, rel) == ["FRA", "GBR"]


def test_who_may_table(engine: Engine, world: World) -> None:
    assert table(engine, world, by="gbr.admin")
    for user in ("gbr.contributor", "fra.planner", "gbr.viewer"):
        with pytest.raises(Forbidden):
            table(engine, world, by=user)


def test_a_population_table_replaces_the_register(engine: Engine, world: World) -> None:
    pid = table(engine, world, Rule.QUALIFIED_MAJORITY, populations={"GBR": 1, "FRA": 1, "DEU": 1})
    with transaction(engine) as session:
        weights = {
            v.member_code: (v.population, v.population_basis)
            for v in session.get(Proposal, pid).voters
        }
    own = (1, "the proposal's own table")
    year = OPENS.year  # POL, not given, weighs the Council's figure in force that year
    pol = annex.weigh(
        "POL", year=year, table=annex.table_for(annex.shipped(), year), register=37_000_000
    )
    assert weights == {"DEU": own, "FRA": own, "GBR": own, "POL": pol}
    with pytest.raises(Invalid, match="not taking part"):
        table(engine, world, Rule.QUALIFIED_MAJORITY, populations={"EU": 5})


def test_changing_a_position_keeps_every_statement(engine: Engine, world: World) -> None:
    pid = table(engine, world)
    state(engine, world, "fra.contributor", pid, Stance.OBJECT)
    state(engine, world, "fra.admin", pid, Stance.ABSTAIN, NOW + dt.timedelta(minutes=1))
    state(
        engine,
        world,
        "fra.contributor",
        pid,
        Stance.RESERVE,
        NOW + dt.timedelta(minutes=2),
        text="Parliament must be consulted",
        condition="after the vote of the Assemblée",
    )
    assert rows(engine, pid) == [
        ("FRA", "object", False),
        ("FRA", "abstain", False),
        ("FRA", "reserve", True),
    ]
    with transaction(engine) as session:
        entries = [e for e in audit.history(session, "positions", "1")]
        assert [e.action for e in entries] == ["create", "update"]  # superseded, audited
        assert audit.verify(session).ok


@pytest.mark.parametrize(
    ("user", "kw", "at", "error"),
    [
        ("gbr.viewer", {}, NOW, Forbidden),  # a viewer states no position
        ("gbr.planner", {}, NOW, Forbidden),  # nor does a planner
        ("gbr.monitor", {}, NOW, Forbidden),  # nor a ceasefire monitor
        ("fra.admin", {"member": "GBR"}, NOW, Forbidden),  # another member's administrator
        ("gbr.contributor", {"member": "FRA"}, NOW, Forbidden),  # another member's
        ("sec.contributor", {}, NOW, Forbidden),  # the secretariat takes no part
        ("gbr.contributor", {}, AFTER, Conflict),  # after the deadline
        ("gbr.contributor", {}, DEADLINE, Conflict),  # at the deadline
    ],
)
def test_bad_positions_are_refused_and_change_nothing(
    engine: Engine, world: World, user: str, kw: dict[str, str], at: dt.datetime, error: type
) -> None:
    pid = table(engine, world)
    state(engine, world, "gbr.contributor", pid, Stance.SUPPORT)
    with pytest.raises(error):
        state(engine, world, user, pid, Stance.OBJECT, at, **kw)
    assert rows(engine, pid) == [("GBR", "support", True)]


def test_a_reservation_needs_text_and_condition(engine: Engine, world: World) -> None:
    pid = table(engine, world)
    with pytest.raises(Invalid, match="condition"):
        state(engine, world, "gbr.contributor", pid, Stance.RESERVE, text="not yet")
    assert rows(engine, pid) == []


def test_a_member_that_left_may_not_state(engine: Engine, world: World) -> None:
    pid = table(engine, world)
    with transaction(engine) as session:
        session.get(Member, "POL").left_on = NOW.date() - dt.timedelta(days=1)
    with pytest.raises(Forbidden, match="no longer a member"):
        state(engine, world, "pol.contributor", pid, Stance.SUPPORT)
    assert rows(engine, pid) == []


def test_a_hidden_proposal_is_not_found(engine: Engine, world: World) -> None:
    pid = table(engine, world, by="gbr.admin", marking=Marking.NATIONAL)
    with pytest.raises(NotFound):
        state(engine, world, "fra.contributor", pid, Stance.SUPPORT)


def test_closing_decides_by_the_rule_and_only_once(engine: Engine, world: World) -> None:
    blocked = table(engine, world, title="blocked")
    passed = table(engine, world, Rule.SILENCE, title="silent")
    later = table(engine, world, deadline=DEADLINE + dt.timedelta(days=5))
    state(engine, world, "gbr.contributor", blocked, Stance.SUPPORT)
    state(engine, world, "pol.contributor", blocked, Stance.OBJECT)
    state(engine, world, "fra.contributor", passed, Stance.SUPPORT)

    closed = service.close_due(engine, now=AFTER)
    assert {c.id: c.status.value for c in closed} == {blocked: "rejected", passed: "adopted"}
    reason = {c.id: c.reason for c in closed}[blocked]
    assert reason == f"rejected: objection by POL on {NOW.day} {NOW:%B %Y}"
    assert service.close_due(engine, now=AFTER) == []  # nothing twice
    with pytest.raises(Conflict, match="positions are closed"):
        state(engine, world, "fra.contributor", blocked, Stance.SUPPORT, NOW)
    with transaction(engine) as session:
        assert session.get(Proposal, later).status == "open"
        updates = [e for e in audit.history(session, "proposals", str(blocked))]
        assert [e.action for e in updates] == ["create", "update"]
        count = session.scalar(select(func.count()).select_from(Position))
        assert count == 3


def test_silence_broken_is_recorded_when_it_happens(engine: Engine, world: World) -> None:
    pid = table(engine, world, Rule.SILENCE)
    state(engine, world, "pol.contributor", pid, Stance.RESERVE, text="x", condition="y")
    state(engine, world, "pol.contributor", pid, Stance.SUPPORT, NOW + dt.timedelta(hours=1))
    with transaction(engine) as session:
        proposal = session.get(Proposal, pid)
        assert proposal is not None
        assert (proposal.silence_broken_by, proposal.silence_broken_at) == ("POL", NOW)
    (closed,) = service.close_due(engine, now=AFTER)
    assert closed.reason.startswith("rejected: silence broken by POL")


def test_withdraw_and_drafts(engine: Engine, world: World) -> None:
    draft = table(engine, world, draft=True)
    assert voters(engine, draft) == []
    with pytest.raises(Conflict):
        state(engine, world, "gbr.contributor", draft, Stance.SUPPORT)
    with transaction(engine) as session:
        service.open_proposal(session, world.principal("sec.contributor"), draft, now=NOW)
    assert "GBR" in voters(engine, draft)
    with transaction(engine) as session:
        version = session.get(Proposal, draft).version
        with pytest.raises(Forbidden):
            service.withdraw_proposal(session, world.principal("fra.admin"), draft, version)
        service.withdraw_proposal(session, world.principal("sec.admin"), draft, version)
    assert service.close_due(engine, now=AFTER) == []
