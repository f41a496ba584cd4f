"""Partners: donors outside the coalition, in the register without a vote."""

from __future__ import annotations

from sqlalchemy import Engine, select

from coalition.core.db import transaction
from coalition.decisions.model import ProposalVoter
from coalition.members import service
from coalition.members.model import Member, MemberStanding
from tests.decisions.helpers import table
from tests.world import World


def _register(engine: Engine, world: World, *codes: str) -> None:
    with transaction(engine, actor="sec.admin") as session:
        for code in codes:
            service.register_partner(session, world.principal("sec.admin"), code)


def test_a_partner_is_in_the_register_and_never_takes_part_in_a_decision(
    engine: Engine, world: World
) -> None:
    _register(engine, world, "USA", "EIB")
    proposal = table(engine, world)
    with transaction(engine) as session:
        voters = set(
            session.scalars(
                select(ProposalVoter.member_code).where(ProposalVoter.proposal_id == proposal)
            )
        )
        usa = session.get(Member, "USA")
    assert "GBR" in voters and not {"USA", "EIB"} & voters
    assert usa is not None and usa.standing == MemberStanding.PARTNER
    assert usa.name == "United States" and usa.marking == "PUBLIC"


def test_the_register_lists_members_partners_or_both(engine: Engine, world: World, client) -> None:  # type: ignore[no-untyped-def]
    _register(engine, world, "JPN")
    both = client.get("/api/v1/members").json()
    partners = client.get("/api/v1/members", params={"standing": "partner"}).json()
    members = client.get("/api/v1/members", params={"standing": "member"}).json()
    assert [m["code"] for m in partners["items"]] == ["JPN"]
    assert partners["items"][0]["standing"] == "partner"
    assert both["total"] == members["total"] + 1
    assert "JPN" not in {m["code"] for m in members["items"]}
    page = client.get("/members", params={"standing": "partner"})
    assert page.status_code == 200 and "Japan" in page.text and ">partner<" in page.text
    assert "Japan" not in client.get("/members", params={"standing": "member"}).text
    assert client.get("/api/v1/members", params={"standing": "observer"}).status_code == 422


def test_only_the_secretariat_registers_a_partner_and_only_a_known_one(
    engine: Engine, world: World
) -> None:
    import pytest

    from coalition.core.errors import Forbidden, Invalid

    with transaction(engine) as session:
        with pytest.raises(Forbidden):
            service.register_partner(session, world.principal("gbr.admin"), "CHE")
        with pytest.raises(Invalid, match="neither"):
            service.register_partner(session, world.principal("sec.admin"), "XQZ")
