"""The summit pack, assembled on the database (SQLite and PostgreSQL) for one reader.

A small coalition is seeded through the capabilities' own services: two public summits
and a ministerial meeting, a secretariat-only summit, pledges and a delivery, a
statement of requirements with offers (one resting on the backstop's airlift), a
ceasefire with reports, and a proposal put to the second summit with an objection. The
pack's figures are checked against what those services say; then records marked
NATIONAL for France are added, and the packs of every reader who may not see them must
be identical, document and inputs, while France's own reader gets a NATIONAL pack.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine

from coalition.briefings import summit
from coalition.briefings.assembled import Assembled
from coalition.briefings.document import SUMMIT_SECTIONS, Figure, to_json
from coalition.ceasefire import service as ceasefire
from coalition.ceasefire.schemas import CeasefireCreate, ReportCreate
from coalition.commitments import service as commitments
from coalition.commitments.model import Category
from coalition.commitments.schemas import CommitmentCreate, DeliveryCreate
from coalition.core.db import transaction
from coalition.core.errors import Invalid, NotFound
from coalition.core.marking import Marking
from coalition.decisions import service as decisions
from coalition.decisions.rules import Rule, Stance
from coalition.decisions.schemas import PositionIn, ProposalCreate
from coalition.forcegen import service as forcegen
from coalition.forcegen.allocation import OfferStatus
from coalition.forcegen.schemas import OfferCreate, RequirementCreate
from coalition.forcegen.taxonomy import Phase, Region, Task
from coalition.meetings import service as meetings
from coalition.meetings.model import MeetingKind, MeetingLevel
from coalition.meetings.schemas import MeetingCreate
from coalition.sanctions import alignment, ingest
from coalition.sanctions import service as sanctions
from coalition.situation import claims
from tests.world import World

FIRST, SECOND = dt.date(2025, 3, 2), dt.date(2025, 3, 15)
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
READERS = ("gbr.viewer", None, "pol.contributor")


def _meeting(session: Any, world: World, title: str, held_on: dt.date, **kw: Any) -> int:
    data = MeetingCreate(
        title=title,
        kind=kw.pop("kind", MeetingKind.SUMMIT),
        held_on=held_on,
        marking=kw.pop("marking", Marking.PUBLIC),
        **kw,
    )
    return meetings.create_meeting(session, world.principal("sec.contributor"), data).id


def _pledge(session: Any, world: World, user: str, member: str, on: dt.date, eur: int,
            **kw: Any) -> str:  # fmt: skip
    data = CommitmentCreate(
        member=member,
        announced_on=on,
        category=Category.MILITARY,
        item=kw.pop("item", f"{member} pledge of {on}"),
        value=Decimal(eur),
        currency="EUR",
        **kw,
    )
    return commitments.create_commitment(session, world.principal(user), data).record_id


def _requirement(session: Any, world: World, capability: str, quantity: int, **kw: Any) -> None:
    data = RequirementCreate(
        label=f"{capability} for the reassurance force",
        capability=capability,
        quantity=quantity,
        phase=Phase.REASSURANCE,
        region=Region.WESTERN_UKRAINE,
        task=kw.pop("task", Task.REASSURANCE_PRESENCE),
        starts_on=dt.date(2025, 6, 1),
        ends_on=dt.date(2025, 12, 1),
        priority=1,
        **kw,
    )
    forcegen.create_requirement(session, world.principal("gbr.planner"), data)


def _offer(session: Any, world: World, user: str, capability: str, quantity: int,
           **kw: Any) -> None:  # fmt: skip
    data = OfferCreate(
        capability=capability,
        quantity=quantity,
        starts_on=dt.date(2025, 5, 1),
        ends_on=dt.date(2026, 1, 1),
        status=OfferStatus.CONFIRMED,
        **kw,
    )
    forcegen.create_offer(session, world.principal(user), data)


def _report(session: Any, world: World, user: str, n: int, at: dt.datetime, **kw: Any) -> None:
    data = ReportCreate(
        source_name="Monitoring mission",
        source_id=f"{user}-{n}",
        reliability="B",
        credibility=2,
        occurred_at=at,
        latitude=kw.pop("latitude", 48.0 + n / 10),
        longitude=kw.pop("longitude", 37.5 + n / 10),
        type=kw.pop("type", "shelling"),
        casualties=kw.pop("casualties", 0),
        **kw,
    )
    ceasefire.file_report(session, world.principal(user), data)


@pytest.fixture
def seeded(engine: Engine, world: World) -> dict[str, Any]:
    """The coalition's records, everyone's; the ids the tests need."""
    ids: dict[str, Any] = {}
    with transaction(engine, actor="test") as session:
        ids["first"] = _meeting(session, world, "Lancaster House summit", FIRST)
        ids["ministerial"] = _meeting(
            session,
            world,
            "Defence ministers",
            dt.date(2025, 3, 8),
            kind=MeetingKind.MINISTERIAL,
            level=MeetingLevel.MINISTERS,
        )
        ids["secret"] = _meeting(
            session, world, "Secretariat retreat", dt.date(2025, 3, 10), marking=Marking.NATIONAL
        )
        ids["second"] = _meeting(
            session, world, "Virtual leaders' summit", SECOND, format="virtual"
        )
        _pledge(session, world, "pol.contributor", "POL", dt.date(2025, 2, 20), 500_000,
                marking=Marking.PUBLIC)  # fmt: skip
        gbr = _pledge(session, world, "gbr.contributor", "GBR", dt.date(2025, 3, 5), 1_000_000)
        ids["gbr_pledge"] = gbr
        _pledge(session, world, "gbr.contributor", "GBR", dt.date(2025, 3, 20), 7_000_000)
        commitments.add_delivery(
            session,
            world.principal("gbr.contributor"),
            gbr,
            DeliveryCreate(delivered_on=dt.date(2025, 3, 10), value=Decimal(250_000)),
        )
        commitments.add_delivery(
            session,
            world.principal("gbr.contributor"),
            gbr,
            DeliveryCreate(delivered_on=dt.date(2025, 4, 1), value=Decimal(100_000)),
        )
        _requirement(session, world, "MECH_INF_BN", 4)
        _requirement(session, world, "FTR_SQN", 2, task=Task.AIR_POLICING)
        _offer(session, world, "gbr.contributor", "MECH_INF_BN", 2,
               needs_enablers=["STRAT_AIRLIFT"])  # fmt: skip
        _offer(session, world, "pol.contributor", "MECH_INF_BN", 1)
        ceasefire.create_ceasefire(
            session,
            world.principal("sec.contributor"),
            CeasefireCreate(
                name="Thirty-day ceasefire",
                parties=["Ukraine", "Russia"],
                scope=["all_fronts"],
                starts_on=dt.date(2025, 3, 3),
                status="in_force",
                marking=Marking.PUBLIC,
            ),
        )
        for n, day in enumerate((4, 6, 11)):
            at = dt.datetime(2025, 3, day, 9, tzinfo=dt.UTC)
            _report(session, world, "gbr.monitor", n, at, casualties=n)
        _report(session, world, "gbr.monitor", 9, dt.datetime(2025, 3, 16, 9, tzinfo=dt.UTC))
        _report(session, world, "gbr.monitor", 5, dt.datetime(2025, 3, 2, 9, tzinfo=dt.UTC))
        ids["proposal"] = decisions.table_proposal(
            session,
            world.principal("sec.contributor"),
            ProposalCreate(
                title="Extend the ceasefire by thirty days",
                rule=Rule.CONSENSUS,
                opens_at=NOW - dt.timedelta(hours=1),
                deadline=NOW + dt.timedelta(days=3),
                meeting_id=ids["second"],
                marking=Marking.COALITION,
            ),
            now=NOW,
        ).id
        decisions.state_position(
            session,
            world.principal("gbr.admin"),
            ids["proposal"],
            PositionIn(stance=Stance.OBJECT, text="Not before monitoring is in place."),
            now=NOW,
        )
    return ids


def _hide_from_others(engine: Engine, world: World, ids: dict[str, Any]) -> None:
    """France's NATIONAL records: a pledge, an offer, a proposal for the summit, a report."""
    with transaction(engine, actor="test") as session:
        _pledge(session, world, "fra.contributor", "FRA", dt.date(2025, 3, 6), 3_000_000,
                marking=Marking.NATIONAL)  # fmt: skip
        _offer(session, world, "fra.contributor", "MECH_INF_BN", 3, marking=Marking.NATIONAL)
        decisions.table_proposal(
            session,
            world.principal("fra.admin"),
            ProposalCreate(
                title="A French national position",
                rule=Rule.CONSENSUS,
                opens_at=NOW - dt.timedelta(hours=1),
                deadline=NOW + dt.timedelta(days=3),
                meeting_id=ids["second"],
                marking=Marking.NATIONAL,
            ),
            now=NOW,
        )
        _report(session, world, "fra.monitor", 20, dt.datetime(2025, 3, 7, 9, tzinfo=dt.UTC),
                marking=Marking.NATIONAL)  # fmt: skip


def _pack(engine: Engine, world: World, user: str | None, meeting: int, **kw: Any) -> Assembled:
    kw.setdefault("previous", None)
    with transaction(engine) as session:
        return summit.assemble(session, world.principal(user), meeting, **kw)


def _figures(found: Assembled) -> dict[str, Figure]:
    return {f.key: f for f in found.document.figures()}


def test_the_sections_come_in_order_attributed(
    engine: Engine, world: World, seeded: dict[str, Any]
) -> None:
    found = _pack(engine, world, "gbr.viewer", seeded["second"], judgements=["It is likely."])
    document = found.document
    assert tuple(s.title for s in document.sections) == SUMMIT_SECTIONS
    assert document.problems() == []
    assert document.kind == "summit"
    assert document.title == "Summit pack — Virtual leaders' summit, 15 March 2025"
    assert document.audience == "Prepared for gbr.viewer (GBR), from what they may see"
    assert document.sections[0].paragraphs == ("It is likely.",)
    cutoff = document.cutoff
    assert (cutoff.date(), cutoff.hour, cutoff.utcoffset()) == (SECOND, 0, dt.timedelta(hours=2))
    assert document.period_start.date() == FIRST
    assert all(f.first_edition and f.cutoff == cutoff and f.source for f in document.figures())
    json.dumps(found.inputs)  # plain JSON


def test_the_number_counts_the_summits_the_reader_may_see(
    engine: Engine, world: World, seeded: dict[str, Any]
) -> None:
    with transaction(engine) as session:
        seen = summit.summits(session, world.principal("gbr.viewer"))
        secretariat = summit.summits(session, world.principal("sec.admin"))
        before = summit.previous_meeting(session, world.principal("gbr.viewer"), seeded["second"])
        first = summit.previous_meeting(session, world.principal("gbr.viewer"), seeded["first"])
    assert [s.id for s in seen] == [seeded["first"], seeded["second"]]
    assert [s.id for s in secretariat] == [seeded["first"], seeded["secret"], seeded["second"]]
    assert (before, first) == (seeded["first"], None)
    assert _pack(engine, world, "gbr.viewer", seeded["second"]).document.number == 2
    assert _pack(engine, world, "sec.admin", seeded["second"]).document.number == 3


def test_the_figures_are_what_the_services_say(
    engine: Engine, world: World, seeded: dict[str, Any]
) -> None:
    reader = world.principal("gbr.viewer")
    figures = _figures(_pack(engine, world, "gbr.viewer", seeded["second"]))
    with transaction(engine) as session:
        ledger = commitments.summary(
            session, reader, commitments.Filters(until=SECOND - dt.timedelta(days=1))
        )
        plan = forcegen.backstop_plan(session, reader)
    assert plan is not None
    assert figures["commitments.pledged_eur"].value == Decimal("1.50")
    assert ledger.pledged_eur == Decimal("1500000.00")
    assert figures["commitments.count"].value == ledger.commitments == 2
    # The April delivery comes after the cut-off and is not counted.
    assert figures["commitments.delivered_eur"].value == Decimal("0.25")
    assert figures["commitments.delivered_share"].value == 16.7
    assert figures["changes.commitments"].value == 1
    assert figures["changes.pledged_eur"].value == Decimal("1.00")
    assert figures["changes.delivered_eur"].value == Decimal("0.25")
    assert figures["headline.pledged_eur"].value == Decimal("1.50")
    required = sum(f.required for f in plan.with_backstop.fills)
    filled = sum(f.filled for f in plan.with_backstop.fills)
    without = sum(f.filled for f in plan.without_backstop.fills)
    assert (required, filled, without) == (6, 3, 1)
    assert figures["force.required"].value == 6
    assert figures["force.filled"].value == 3
    assert figures["force.on_backstop"].value == 2
    assert figures["force.fill"].value == figures["headline.force_fill"].value == 50.0
    # Four incidents in the period (one on the summit's day is after the cut-off), three of
    # them on days of the ceasefire.
    assert figures["ceasefire.incidents"].value == 4
    assert figures["ceasefire.violations"].value == figures["headline.violations"].value == 3
    assert figures["ceasefire.deaths"].value == 0 + 1 + 2
    assert figures["ceasefire.day"].value == 13
    assert figures["ceasefire.status"].value == "in_force"
    assert figures["decisions.proposals"].value == 1
    assert figures["decisions.objections"].value == 1


def _later_ceasefire(engine: Engine, world: World, starts_on: dt.date, **kw: Any) -> None:
    """A ceasefire recorded beside the seeded one, PUBLIC unless told."""
    with transaction(engine, actor="test") as session:
        ceasefire.create_ceasefire(
            session,
            world.principal("sec.contributor"),
            CeasefireCreate(
                name=kw.pop("name", "Renewed ceasefire"),
                parties=["Ukraine", "Russia"],
                scope=kw.pop("scope", ["all_fronts"]),
                starts_on=starts_on,
                status=kw.pop("status", "in_force"),
                marking=kw.pop("marking", Marking.PUBLIC),
            ),
        )


def test_a_ceasefire_to_begin_after_the_summit_leaves_the_one_in_force(
    engine: Engine, world: World, seeded: dict[str, Any]
) -> None:
    """The ceasefire read is the one governing the meeting's day, as in the daily report:
    one recorded to begin later does not make the pack say none had begun."""
    _later_ceasefire(engine, world, dt.date(2025, 4, 20))
    found = _pack(engine, world, "gbr.viewer", seeded["second"])
    figures = _figures(found)
    assert figures["ceasefire.day"].value == 13
    assert figures["ceasefire.status"].value == "in_force"
    assert figures["ceasefire.violations"].value == 3
    record = {s.title: s for s in found.document.sections}["The ceasefire's record"]
    assert record.paragraphs[0].startswith("Thirty-day ceasefire (in force) began on")


@pytest.mark.parametrize(
    ("scope", "status"),
    [(["energy_infrastructure"], "in_force"), (["all_fronts"], "proposed")],
)
def test_violations_stand_against_the_ceasefire_of_their_day_as_in_the_daily_report(
    engine: Engine, world: World, seeded: dict[str, Any], scope: list[str], status: str
) -> None:
    """A ceasefire begun on 9 March governs the shelling of the 11th: under a truce on
    energy infrastructure it is out of scope, under a proposed one no violation; a shelling
    placed outside the area of operations is an incident but never a violation."""
    with transaction(engine, actor="test") as session:
        _report(session, world, "gbr.monitor", 7, dt.datetime(2025, 3, 5, 9, tzinfo=dt.UTC),
                latitude=48.8566, longitude=2.3522)  # fmt: skip
    figures = _figures(_pack(engine, world, "gbr.viewer", seeded["second"]))
    assert figures["ceasefire.incidents"].value == 5
    assert figures["ceasefire.violations"].value == 3
    _later_ceasefire(engine, world, dt.date(2025, 3, 9), scope=scope, status=status)
    found = _pack(engine, world, "gbr.viewer", seeded["second"])
    figures = _figures(found)
    assert figures["ceasefire.incidents"].value == 5
    assert figures["ceasefire.violations"].value == 2  # the 4th and the 6th, in the area
    assert figures["ceasefire.status"].value == status
    record = {s.title: s for s in found.document.sections}["The ceasefire's record"]
    assert record.items[0].cells[:3] == ("shelling", "5", "2")
    inputs = found.inputs["sections"]["The ceasefire's record"]
    assert len(inputs["governing_ceasefire_ids"]) == 2


def test_the_tables_and_the_dissent(engine: Engine, world: World, seeded: dict[str, Any]) -> None:
    document = _pack(engine, world, "gbr.viewer", seeded["second"]).document
    sections = {s.title: s for s in document.sections}
    ledger = sections["Commitments and deliveries"]
    assert [r.cells[0] for r in ledger.items] == ["GBR", "POL"]
    assert ledger.items[0].cells[3:] == ("1.00 EUR m", "0.25 EUR m", "25.0 %")
    force = sections["Force generation and the backstop"]
    assert ("MECH_INF_BN", "4", "3", "1", "2") in [r.cells for r in force.items]
    assert "STRAT_AIRLIFT" not in force.paragraphs[0]  # capabilities, not enablers, are named
    assert "MECH_INF_BN" in force.paragraphs[0]
    record = sections["The ceasefire's record"]
    assert [r.cells for r in record.items] == [("shelling", "4", "3", "0", "3")]
    assert record.paragraphs[0].endswith("The summit falls on its day 13.")
    decided = sections["Decisions asked of leaders"]
    assert [r.cells[0] for r in decided.items] == ["Extend the ceasefire by thirty days"]
    annex = sections["Annex: sources, methods and dissenting positions"]
    assert annex.dissent is not None
    assert "GBR, objection on “Extend the ceasefire by thirty days”" in annex.dissent
    assert "Not before monitoring is in place." in annex.dissent
    assert [r.cells[0] for r in annex.items] == list(SUMMIT_SECTIONS[2:8])


@pytest.mark.parametrize("reader", READERS)
def test_records_hidden_from_the_reader_change_nothing(
    engine: Engine, world: World, seeded: dict[str, Any], reader: str | None
) -> None:
    before = _pack(engine, world, reader, seeded["second"])
    _hide_from_others(engine, world, seeded)
    after = _pack(engine, world, reader, seeded["second"])
    assert to_json(after.document) == to_json(before.document)
    assert after.inputs == before.inputs
    assert after.digest == before.digest
    assert "NATIONAL" not in after.document.marking.label


def test_the_public_edition_shows_only_public_records(
    engine: Engine, world: World, seeded: dict[str, Any]
) -> None:
    found = _pack(engine, world, None, seeded["second"])
    figures = _figures(found)
    assert found.document.audience == "Public edition"
    assert found.document.marking.label == "PUBLIC"
    assert figures["commitments.pledged_eur"].value == Decimal("0.50")  # POL's only
    assert figures["decisions.proposals"].value == 0  # the proposal is COALITION


def test_a_reader_who_sees_a_national_record_gets_a_national_pack(
    engine: Engine, world: World, seeded: dict[str, Any]
) -> None:
    _hide_from_others(engine, world, seeded)
    found = _pack(engine, world, "fra.viewer", seeded["second"])
    assert found.document.marking.label == "NATIONAL (FRA)"
    sections = {s.title: s for s in found.document.sections}
    assert sections["Commitments and deliveries"].marking.label == "NATIONAL (FRA)"
    assert sections["Force generation and the backstop"].marking.label == "NATIONAL (FRA)"
    assert sections["Decisions asked of leaders"].marking.label == "NATIONAL (FRA)"
    assert _figures(found)["commitments.pledged_eur"].value == Decimal("4.50")
    assert to_json(found.document)["marking"] == "NATIONAL (FRA)"


def test_previous_values_give_deltas(engine: Engine, world: World, seeded: dict[str, Any]) -> None:
    first = _pack(engine, world, "gbr.viewer", seeded["first"])
    previous = {f.key: f.value for f in first.document.figures()}
    second = _pack(engine, world, "gbr.viewer", seeded["second"], previous=previous)
    figures = _figures(second)
    pledged = figures["headline.pledged_eur"]
    assert pledged.previous == Decimal("0.50") and not pledged.first_edition
    changes = {s.title: s for s in second.document.sections}["Changes since the last summit"]
    assert "Total pledged: 1.50 EUR m, +1.00 EUR m." in changes.paragraphs
    assert figures["ceasefire.violations"].first_edition is False
    assert second.inputs["previous"]["headline.pledged_eur"] == "0.50"


def test_a_cancelled_commitment_opens_no_period(
    engine: Engine, world: World, seeded: dict[str, Any]
) -> None:
    """The first pack runs from the first commitment counted: Poland's of 20 February, not
    a cancelled one announced before it."""
    with transaction(engine, actor="test") as session:
        _pledge(session, world, "gbr.contributor", "GBR", dt.date(2025, 2, 10), 9_000,
                status="cancelled")  # fmt: skip
    found = _pack(engine, world, "gbr.viewer", seeded["first"])
    assert found.document.period_start.date() == dt.date(2025, 2, 20)
    assert _figures(found)["commitments.count"].value == 1


def test_a_hidden_meeting_is_not_found(
    engine: Engine, world: World, seeded: dict[str, Any]
) -> None:
    with pytest.raises(NotFound):
        _pack(engine, world, "gbr.viewer", seeded["secret"])
    with transaction(engine) as session, pytest.raises(NotFound):
        summit.previous_meeting(session, world.principal(None), seeded["secret"])
    with pytest.raises(NotFound):
        _pack(engine, world, "gbr.viewer", 10_000)


def test_a_meeting_with_no_data_gives_a_valid_pack(engine: Engine, world: World) -> None:
    with transaction(engine, actor="test") as session:
        meeting = _meeting(session, world, "An empty summit", dt.date(2025, 1, 10))
    found = _pack(engine, world, "gbr.viewer", meeting, judgements=["   "])
    document = found.document
    assert document.problems() == []
    assert document.number == 1
    assert document.period_start == document.cutoff
    assert document.marking.label == "PUBLIC"
    assert all(f.value in (0, 0.0, Decimal(0)) for f in document.figures())
    assert document.sections[0].paragraphs == ()


# --- sanctions gaps -----------------------------------------------------------------------


def _load_list(engine: Engine, world: World, code: str, entities: list[dict[str, Any]]) -> None:
    body = b"".join(json.dumps(e).encode() + b"\n" for e in entities)
    ingest.import_snapshot(
        engine,
        world.principal("sec.admin"),
        io.BytesIO(body),
        list_code=code,
        taken_on=dt.date(2025, 2, 24),
        sha256=f"{code}-gaps".ljust(64, "0"),
        run_key="",
    )


def _target(eid: str, schema: str, name: str, program: str) -> list[dict[str, Any]]:
    return [
        {"id": eid, "schema": schema, "properties": {"name": [name]}},
        {
            "id": f"{eid}-s",
            "schema": "Sanction",
            "properties": {"entity": [eid], "program": [program], "listingDate": ["2022-03-01"]},
        },
    ]


def test_sanctions_gaps_are_counted_against_the_coalition(
    engine: Engine, world: World, seeded: dict[str, Any]
) -> None:
    _load_list(engine, world, "eu_fsf", [*_target("eu-1", "Vessel", "EAGLE S", "RUS")])
    _load_list(
        engine,
        world,
        "gb_fcdo_sanctions",
        [*_target("uk-1", "Company", "Sovcombank", "Russia"),
         *_target("uk-2", "Person", "Ivan Petrov", "Russia")],
    )  # fmt: skip
    with transaction(engine) as session:
        sec = world.principal("sec.admin")
        for member in ("FRA", "POL"):
            alignment.apply_list(session, sec, member, "eu_fsf", dt.date(2022, 1, 1))
        alignment.apply_list(session, sec, "GBR", "gb_fcdo_sanctions", dt.date(2022, 1, 1))
    reader = world.principal("gbr.viewer")
    with transaction(engine) as session:
        gaps = sanctions.gaps_against_coalition(session, reader, as_of=dt.date(2025, 3, 14))
    assert {m: found[0].total for m, found in gaps.items()} == {"FRA": 2, "GBR": 1, "POL": 2}
    found = _pack(engine, world, "gbr.viewer", seeded["second"])
    figures = _figures(found)
    assert figures["sanctions.open_gaps"].value == 5
    assert figures["sanctions.members_with_gaps"].value == 3
    assert figures["sanctions.gaps.russia"].value == 5
    assert figures["headline.sanctions_gaps"].value == 5
    table = {s.title: s for s in found.document.sections}["Sanctions gaps to close"].items
    rows = {r.cells[0]: r.cells for r in table}
    assert rows["EAGLE S"][3] == "GBR"
    assert rows["Sovcombank"][3] == "FRA, POL"


def test_the_cover_rests_only_on_the_summits_it_counts(
    engine: Engine, world: World, seeded: dict[str, Any]
) -> None:
    """The secretariat's own meetings after the first summit, or not summits, mark nothing."""
    with transaction(engine, actor="test") as session:
        _meeting(
            session,
            world,
            "Secretariat planning",
            dt.date(2025, 2, 1),
            kind=MeetingKind.MINISTERIAL,
            level=MeetingLevel.OFFICIALS,
            marking=Marking.NATIONAL,
        )
    found = _pack(engine, world, "sec.admin", seeded["first"])
    assert found.document.number == 1
    assert found.document.marking.label == "COALITION"
    later = _pack(engine, world, "sec.admin", seeded["second"])
    assert later.document.marking.label == "NATIONAL (SEC)"  # it counts the retreat


def test_a_claim_disputed_by_a_national_review(
    engine: Engine, world: World, seeded: dict[str, Any]
) -> None:
    """GBR's own intelligence disputes a claim the public review calls false: GBR's pack
    counts it disputed and says NATIONAL (GBR); France's pack does not change."""
    monitor = world.principal("gbr.monitor")
    with transaction(engine, actor="test") as session:
        claim = claims.record_claim(
            session,
            monitor,
            claims.ClaimIn(
                summary="Forces in the Kursk region are encircled",
                claimant="A head of state",
                kind="encirclement",
                claimed_at=dt.datetime(2025, 3, 13, 18, tzinfo=dt.UTC),
                marking=Marking.PUBLIC,
            ),
        ).id
        claims.add_review(session, monitor, claim, _review("false", "An analytic body"))
    before = _pack(engine, world, "fra.viewer", seeded["second"])
    with transaction(engine, actor="test") as session:
        claims.add_review(
            session,
            monitor,
            claim,
            _review("mostly_true", "GBR defence intelligence", marking=Marking.NATIONAL),
        )
    after = _pack(engine, world, "fra.viewer", seeded["second"])
    assert to_json(after.document) == to_json(before.document)
    assert _figures(after)["claims.disputed"].value == 0
    assert _figures(after)["claims.in_period"].value == 1
    found = _pack(engine, world, "gbr.viewer", seeded["second"])
    assert _figures(found)["claims.disputed"].value == 1
    section = {s.title: s for s in found.document.sections}["Territory and claims"]
    assert section.items[0].cells[1:3] == (
        "A head of state",
        "Forces in the Kursk region are encircled",
    )
    assert section.marking.label == "NATIONAL (GBR)"
    assert found.inputs["sections"]["Territory and claims"]["disputed_claim_ids"] == [claim]


def test_claims_count_up_to_the_cut_off_not_the_end_of_the_utc_day(
    engine: Engine, world: World, seeded: dict[str, Any]
) -> None:
    """The cut-off is 00:00 in Kyiv, 22:00 UTC on the 14th: a claim made at 22:30 UTC is
    after it, though still on the 14th in UTC."""
    made = {}
    with transaction(engine, actor="test") as session:
        for at in (dt.datetime(2025, 3, 14, 21, 30), dt.datetime(2025, 3, 14, 22, 30)):
            made[at.hour] = claims.record_claim(
                session,
                world.principal("gbr.monitor"),
                claims.ClaimIn(
                    summary=f"A claim made at {at:%H:%M} UTC",
                    claimant="A spokesman",
                    kind="territorial_control",
                    claimed_at=at.replace(tzinfo=dt.UTC),
                    marking=Marking.PUBLIC,
                ),
            ).id
    found = _pack(engine, world, "gbr.viewer", seeded["second"])
    assert _figures(found)["claims.in_period"].value == 1
    assert found.inputs["sections"]["Territory and claims"]["claim_ids"] == [made[21]]


def _review(rating: str, reviewer: str, **kw: Any) -> claims.ReviewIn:
    return claims.ReviewIn(
        reviewer=reviewer,
        reviewer_kind="member_intelligence" if "GBR" in reviewer else "analytic_body",
        reviewed_at=dt.datetime(2025, 3, 14, 20, tzinfo=dt.UTC),
        rating=rating,
        confidence="high",
        marking=kw.pop("marking", Marking.PUBLIC),
        **kw,
    )


def test_an_unknown_zone_is_refused(engine: Engine, world: World, seeded: dict[str, Any]) -> None:
    with pytest.raises(Invalid, match="time zone"):
        _pack(engine, world, "gbr.viewer", seeded["second"], zone="Mars/Olympus")
    found = _pack(engine, world, "gbr.viewer", seeded["second"], zone="Europe/London")
    assert found.document.cutoff.utcoffset() == dt.timedelta(0)
