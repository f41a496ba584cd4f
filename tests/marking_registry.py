"""How the marking matrix makes one record of each marked table.

Every marked table a capability declares in its registry entry has a factory here;
``test_registry`` fails for a marked table without one, and ``test_marking_matrix`` for a
GET route whose path parameters nobody knows how to fill.
A factory writes one record with the given owner, marking and release list, with
``canary`` in a text field a reader would see, and returns the record's key.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from itertools import count
from typing import Any

import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session

from coalition.briefings import document as briefing
from coalition.briefings.model import Edition
from coalition.capabilities import REGISTERED
from coalition.ceasefire import ingest
from coalition.ceasefire.fields import read_report
from coalition.ceasefire.model import (
    Ceasefire,
    CellRollup,
    Incident,
    IncidentMember,
    Report,
    ReportRollup,
)
from coalition.commitments.model import Commitment, Delivery
from coalition.commitments.service import record_id_for
from coalition.core.db import utcnow
from coalition.core.marking import Marking, encode_release
from coalition.core.principal import Principal, Role
from coalition.decisions.model import Position, Proposal, ProposalVoter
from coalition.forcegen.model import ForceOffer, ForcePlan, ForceRequirement, ForceScenario
from coalition.imports.model import ImportReject, ImportRun
from coalition.meetings.model import Attendance, Meeting
from coalition.members.model import Member
from coalition.sanctions.model import (
    Application,
    Designation,
    Entity,
    GapProposal,
    Judgement,
    ListSnapshot,
    SanctionsList,
)
from coalition.situation import territory
from coalition.situation.model import Claim, Review, Snapshot


@dataclass(frozen=True)
class MarkedFactory:
    model: type[Any]
    param: str  # the path parameter naming one record in routes, e.g. "meeting_id"
    create: Callable[[Session, str, Marking, list[str], str], Any]
    api_detail: Callable[[Any], str] | None
    page_detail: Callable[[Any], str] | None


_codes = count()


def _member(session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str) -> str:
    n = next(_codes)
    code = "Q" + chr(ord("A") + n // 26 % 26) + chr(ord("A") + n % 26)
    session.add(
        Member(
            code=code,
            name=canary,
            kind="organisation",
            owner_code=owner,
            marking=marking.value,
            rel_to=encode_release(rel_to),
        )
    )
    session.flush()
    return code


def _meeting(session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str) -> int:
    meeting = Meeting(
        title=canary,
        kind="summit",
        held_on=dt.date(2025, 3, 2),
        format="virtual",
        level="leaders",
        owner_code=owner,
        marking=marking.value,
        rel_to=encode_release(rel_to),
        attendance=[Attendance(member_code="GBR")],
    )
    session.add(meeting)
    session.flush()
    return meeting.id


def _proposal(
    session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str
) -> int:
    # A closed proposal, so its pages carry no "time left" that moves while the test runs.
    opened = dt.datetime(2025, 3, 3, tzinfo=dt.UTC)
    proposal = Proposal(
        title=canary,
        text=canary,
        rule="consensus",
        status="adopted",
        opens_at=opened,
        deadline=opened + dt.timedelta(days=7),
        closed_at=opened + dt.timedelta(days=7),
        outcome_reason=f"adopted by consensus: {canary}",
        owner_code=owner,
        marking=marking.value,
        rel_to=encode_release(rel_to),
        voters=[ProposalVoter(member_code=c, population=1) for c in ("FRA", "GBR")],
    )
    session.add(proposal)
    session.flush()
    session.add(
        Position(
            proposal_id=proposal.id,
            member_code="GBR",
            stance="support",
            text=canary,
            stated_by="gbr.contributor",
            stated_at=opened + dt.timedelta(days=1),
        )
    )
    session.flush()
    return proposal.id


def _requirement(
    session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str
) -> int:
    row = ForceRequirement(
        label=canary,
        capability="FTR_SQN",
        quantity=2,
        phase="reassurance",
        region="kyiv",
        task="air_policing",
        starts_on=dt.date(2025, 6, 1),
        ends_on=dt.date(2025, 12, 31),
        owner_code=owner,
        marking=marking.value,
        rel_to=encode_release(rel_to),
    )
    session.add(row)
    session.flush()
    return row.id


def _offer(session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str) -> int:
    row = ForceOffer(
        capability="FTR_SQN",
        quantity=1,
        starts_on=dt.date(2025, 6, 1),
        ends_on=dt.date(2025, 12, 31),
        status="offered",
        notes=canary,
        owner_code=owner,
        marking=marking.value,
        rel_to=encode_release(rel_to),
    )
    session.add(row)
    session.flush()
    return row.id


def _scenario(
    session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str
) -> int:
    row = ForceScenario(
        name=f"s{next(_codes)}",
        title=canary,
        owner_code=owner,
        marking=marking.value,
        rel_to=encode_release(rel_to),
    )
    session.add(row)
    session.flush()
    return row.id


def _plan(session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str) -> int:
    row = ForcePlan(
        scenario_name=canary,
        computed_by="test",
        backstop=True,
        status="optimal",
        objective=0.0,
        objective_without=0.0,
        greedy_objective=0.0,
        required=0,
        filled=0,
        filled_without=0,
        inputs="{}",
        result="{}",
        created_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
        owner_code=owner,
        marking=marking.value,
        rel_to=encode_release(rel_to),
    )
    session.add(row)
    session.flush()
    return row.id


def _commitment(
    session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str
) -> str:
    # A pledge with a value and a delivery, so totals, charts and exports all see it.
    record_id = record_id_for("manual", None)
    session.add(
        Commitment(
            record_id=record_id,
            revision=1,
            recorded_at=utcnow(),
            announced_on=dt.date(2025, 3, 2),
            category="military",
            item=canary,
            quantity=Decimal("10"),
            unit="vehicles",
            value=Decimal("1000000.00"),
            currency="EUR",
            value_eur=Decimal("1000000.00"),
            rate=Decimal("1"),
            rate_date=dt.date(2025, 3, 2),
            owner_code=owner,
            marking=marking.value,
            rel_to=encode_release(rel_to),
        )
    )
    session.add(
        Delivery(
            record_id=record_id,
            delivered_on=dt.date(2025, 4, 1),
            quantity=Decimal("4"),
            value=Decimal("400000.00"),
            currency="EUR",
            value_eur=Decimal("400000.00"),
            rate=Decimal("1"),
            rate_date=dt.date(2025, 4, 1),
            note=canary,
        )
    )
    session.flush()
    return record_id


def _ceasefire(
    session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str
) -> int:
    ceasefire = Ceasefire(
        name=canary,
        parties="Party A; Party B",
        scope="all_fronts",
        starts_on=dt.date(2025, 3, 25),
        duration_days=30,
        status="in_force",
        owner_code=owner,
        marking=marking.value,
        rel_to=encode_release(rel_to),
    )
    session.add(ceasefire)
    session.flush()
    return ceasefire.id


_reports = count()


def _report(session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str) -> int:
    """One report through the import path, so incidents and rollups include it too."""
    n = next(_reports)
    raw = {
        "source_kind": "monitor_patrol",
        "source_name": "matrix",
        "source_id": f"{canary}-{n}",
        "reliability": "B",
        "credibility": "2",
        "occurred_at": f"2025-03-{26 + n % 4}T10:00:00Z",
        "latitude": f"{46 + (n % 40) * 0.2:.2f}",
        "longitude": "36.5",
        "region": "Donetsk",
        "type": "shelling",
        "attribution": "Party A",
        "casualties": "1",
        "text": canary,
    }
    fields = read_report(raw, dt.datetime(2025, 6, 1, tzinfo=dt.UTC))
    stamp = ingest.Stamp(owner, marking.value, encode_release(rel_to))
    ingest.store_batch(session, stamp, [(1, fields)], f"matrix:{n}", "matrix")
    return int(session.scalar(select(Report.id).where(Report.source_id == f"{canary}-{n}")))


def _incident(
    session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str
) -> int:
    report_id = _report(session, owner, marking, rel_to, canary)
    return int(
        session.scalar(
            select(IncidentMember.incident_id).where(IncidentMember.report_id == report_id)
        )
    )


def _rollup_of(model: Any) -> Callable[[Session, str, Marking, list[str], str], int]:
    def create(
        session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str
    ) -> int:
        _report(session, owner, marking, rel_to, canary)
        return int(
            session.scalar(
                select(model.id)
                .where(model.owner_code == owner, model.marking == marking.value)
                .order_by(model.id.desc())
            )
        )

    return create


_runs = count()


def _import_run(
    session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str
) -> str:
    """A finished run of a file named after the canary, with one rejected row."""
    n = next(_runs)
    key = f"{n:016x}"
    run = ImportRun(
        key=key,
        capability="reports",
        layout="csv",
        file_name=f"{canary}.csv",
        file_size=100,
        file_sha256=f"{n:064x}",
        options={"date_order": "dmy"},
        started_by="matrix",
        started_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
        ended_at=dt.datetime(2025, 6, 1, 0, 1, tzinfo=dt.UTC),
        state="done",
        read=3,
        inserted=2,
        rejected=1,
        owner_code=owner,
        marking=marking.value,
        rel_to=encode_release(rel_to),
        rejects=[ImportReject(line=3, column="latitude", reason=f"{canary}: no latitude")],
    )
    session.add(run)
    session.flush()
    return key


_sanctions = count()
MATRIX_LIST = "matrix_list"  # the list the matrix's entities are on (its routes name it)


def _sanctions_list(
    session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str
) -> str:
    code = f"matrix_{next(_sanctions)}"
    session.add(
        SanctionsList(
            code=code,
            name=canary,
            owner_code=owner,
            marking=marking.value,
            rel_to=encode_release(rel_to),
        )
    )
    session.flush()
    return code


def _matrix_list(session: Session) -> str:
    """The public list every matrix entity and snapshot is on, made at the first need."""
    if session.scalar(select(SanctionsList.id).where(SanctionsList.code == MATRIX_LIST)) is None:
        session.add(SanctionsList(code=MATRIX_LIST, name="matrix list", owner_code="GBR"))
        session.flush()
    return MATRIX_LIST


def _list_snapshot(
    session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str
) -> int:
    snapshot = ListSnapshot(
        list_code=_matrix_list(session),
        taken_on=dt.date(2025, 1, 1) + dt.timedelta(days=next(_sanctions)),
        file_sha256=canary.ljust(64, "0")[:64],
        complete=True,
        read=1,
        inserted=1,
        owner_code=owner,
        marking=marking.value,
        rel_to=encode_release(rel_to),
    )
    session.add(snapshot)
    session.flush()
    return snapshot.id


def _sanctions_entity(
    session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str
) -> str:
    entity_id = f"matrix-{next(_sanctions)}"
    session.add(
        Entity(
            list_code=_matrix_list(session),
            entity_id=entity_id,
            schema="Person",
            caption=canary,
            properties={"name": [canary]},
            changes=[],
            first_seen=dt.date(2025, 1, 1),
            last_seen=dt.date(2025, 1, 1),
            owner_code=owner,
            marking=marking.value,
            rel_to=encode_release(rel_to),
        )
    )
    session.flush()
    return entity_id


def _application(
    session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str
) -> int:
    """The owner applies the matrix list for one day of its own (no two overlap)."""
    since = dt.date(2000, 1, 1) + dt.timedelta(days=2 * next(_sanctions))
    row = Application(
        member_code=owner,
        list_code=_matrix_list(session),
        since=since,
        until=since + dt.timedelta(days=1),
        note=canary,
        owner_code=owner,
        marking=marking.value,
        rel_to=encode_release(rel_to),
    )
    session.add(row)
    session.flush()
    return row.id


def _designation(
    session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str
) -> int:
    ref = f"{_matrix_list(session)}:designated-{next(_sanctions)}"
    row = Designation(
        list_code=MATRIX_LIST,
        ref=ref,
        target_id=ref.partition(":")[2],
        schema="Vessel",
        kind="vessel",
        caption=canary,
        program="RUS",
        theme="russia",
        reason=canary,
        first_seen=dt.date(2025, 1, 1),
        canonical_public=ref,
        canonical_coalition=ref,
        owner_code=owner,
        marking=marking.value,
        rel_to=encode_release(rel_to),
    )
    session.add(row)
    session.flush()
    return row.id


def _judgement(
    session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str
) -> int:
    n = next(_sanctions)
    row = Judgement(
        left_ref=f"{MATRIX_LIST}:judged-{n}-a",
        right_ref=f"{MATRIX_LIST}:judged-{n}-b",
        judgement="positive",
        decided_by="gbr.contributor",
        decided_at=dt.datetime(2025, 3, 3, tzinfo=dt.UTC),
        note=canary,
        owner_code=owner,
        marking=marking.value,
        rel_to=encode_release(rel_to),
    )
    session.add(row)
    session.flush()
    return row.id


def _gap_proposal(
    session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str
) -> int:
    row = GapProposal(
        proposal_id=1_000_000 + next(_sanctions),  # a list kept beside no proposal shown
        party_a="GBR",
        party_b="FRA",
        as_of=dt.date(2025, 3, 1),
        targets=[{"target": "x", "caption": canary}],
        owner_code=owner,
        marking=marking.value,
        rel_to=encode_release(rel_to),
    )
    session.add(row)
    session.flush()
    return row.id


def _edition(session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str) -> int:
    moment = dt.datetime(2025, 3, 10, 22, tzinfo=dt.UTC)
    built = briefing.build(
        "daily",
        number=1,
        title=canary,
        period_start=moment - dt.timedelta(days=1),
        period_end=moment,
        cutoff=moment,
        zone="Europe/Kyiv",
        audience=canary,
        sections=[briefing.Section(title) for title in briefing.DAILY_SECTIONS],
    )
    edition = Edition(
        kind="daily",
        day=dt.date(2025, 3, 10),
        number=1,
        title=canary,
        reader="public",
        status="issued",
        judgements="[]",
        document=json.dumps(briefing.to_json(built)),
        inputs_digest="0" * 64,
        drafted_by=f"matrix@{owner}",
        owner_code=owner,
        marking=marking.value,
        rel_to=encode_release(rel_to),
    )
    session.add(edition)
    session.flush()
    return edition.id


_situation = count(1)


def _snapshot(
    session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str
) -> int:
    n = next(_situation)
    writer = Principal(username=f"matrix.{owner.lower()}", member=owner, role=Role.MONITOR)
    west = 36.0 + (n % 50) * 0.01
    stored = territory.store(
        session,
        writer,
        f"matrix-{n}",
        dt.date(2025, 3, 1),
        "held",
        shapely.box(west, 48.0, west + 0.5, 48.5),
        territory.Labels(method=canary, marking=marking, rel_to=rel_to),
    )
    return stored.snapshot.id


def _claim_row(owner: str, marking: Marking, rel_to: list[str], canary: str) -> Claim:
    return Claim(
        summary=canary,
        claimant="Matrix claimant",
        kind="encirclement",
        claimed_at=dt.datetime(2025, 3, 13, 12, tzinfo=dt.UTC),
        owner_code=owner,
        marking=marking.value,
        rel_to=encode_release(rel_to),
    )


def _claim(session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str) -> int:
    claim = _claim_row(owner, marking, rel_to, canary)
    session.add(claim)
    session.flush()
    return claim.id


def _review(session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str) -> int:
    # Of a claim marked like it (a hidden review of a public claim is in tests/situation).
    claim = _claim_row(owner, marking, rel_to, canary)
    review = Review(
        claim=claim,
        reviewer=canary,
        reviewer_kind="member_intelligence",
        reviewed_at=dt.datetime(2025, 3, 14, tzinfo=dt.UTC),
        rating="false",
        confidence="high",
        summary=canary,
        owner_code=owner,
        marking=marking.value,
        rel_to=encode_release(rel_to),
    )
    session.add(review)
    session.flush()
    return review.id


_FACTORIES: list[MarkedFactory] = [
    MarkedFactory(
        Member, "code", _member, lambda k: f"/api/v1/members/{k}", lambda k: f"/members/{k}"
    ),
    MarkedFactory(
        Meeting,
        "meeting_id",
        _meeting,
        lambda k: f"/api/v1/meetings/{k}",
        lambda k: f"/meetings/{k}",
    ),
    MarkedFactory(
        Proposal,
        "proposal_id",
        _proposal,
        lambda k: f"/api/v1/proposals/{k}",
        lambda k: f"/proposals/{k}",
    ),
    MarkedFactory(
        ForceRequirement,
        "requirement_id",
        _requirement,
        lambda k: f"/api/v1/forcegen/requirements/{k}",
        lambda k: f"/forcegen/requirements/{k}",
    ),
    MarkedFactory(
        ForceOffer,
        "offer_id",
        _offer,
        lambda k: f"/api/v1/forcegen/offers/{k}",
        lambda k: f"/forcegen/offers/{k}",
    ),
    MarkedFactory(
        ForceScenario, "scenario_id", _scenario, lambda k: f"/api/v1/forcegen/scenarios/{k}", None
    ),
    MarkedFactory(
        ForcePlan,
        "plan_id",
        _plan,
        lambda k: f"/api/v1/forcegen/plans/{k}",
        lambda k: f"/forcegen/plans/{k}",
    ),
    MarkedFactory(
        Commitment,
        "commitment_id",
        _commitment,
        lambda k: f"/api/v1/commitments/{k}",
        lambda k: f"/commitments/{k}",
    ),
    MarkedFactory(Ceasefire, "ceasefire_id", _ceasefire, lambda k: f"/api/v1/ceasefires/{k}", None),
    MarkedFactory(
        Report,
        "report_id",
        _report,
        lambda k: f"/api/v1/reports/{k}",
        None,
    ),
    MarkedFactory(
        Incident,
        "incident_id",
        _incident,
        lambda k: f"/api/v1/incidents/{k}",
        lambda k: f"/ceasefire/incidents/{k}",
    ),
    MarkedFactory(
        ImportRun,
        "run_key",
        _import_run,
        lambda k: f"/api/v1/imports/{k}",
        lambda k: f"/imports/{k}",
    ),
    MarkedFactory(SanctionsList, "sanctions_list", _sanctions_list, None, None),
    MarkedFactory(ListSnapshot, "sanctions_snapshot", _list_snapshot, None, None),
    MarkedFactory(
        Entity,
        "entity_id",
        _sanctions_entity,
        lambda k: f"/api/v1/sanctions/entities/{MATRIX_LIST}/{k}",
        lambda k: f"/sanctions/entities/{MATRIX_LIST}/{k}",
    ),
    MarkedFactory(Application, "sanctions_application", _application, None, None),
    MarkedFactory(Designation, "sanctions_designation", _designation, None, None),
    MarkedFactory(Judgement, "sanctions_judgement", _judgement, None, None),
    MarkedFactory(GapProposal, "sanctions_gap_proposal", _gap_proposal, None, None),
    MarkedFactory(ReportRollup, "rollup_id", _rollup_of(ReportRollup), None, None),
    MarkedFactory(CellRollup, "cell_rollup_id", _rollup_of(CellRollup), None, None),
    MarkedFactory(
        Snapshot,
        "snapshot_id",
        _snapshot,
        lambda k: f"/api/v1/situation/snapshots/{k}",
        lambda k: f"/situation/snapshots/{k}",
    ),
    MarkedFactory(
        Claim,
        "claim_id",
        _claim,
        lambda k: f"/api/v1/situation/claims/{k}",
        lambda k: f"/situation/claims/{k}",
    ),
    MarkedFactory(Review, "situation_review", _review, None, None),
    MarkedFactory(
        Edition,
        "edition_id",
        _edition,
        lambda k: f"/api/v1/briefings/editions/{k}",
        lambda k: f"/briefings/editions/{k}",
    ),
]


BY_MODEL: dict[type[Any], MarkedFactory] = {f.model: f for f in _FACTORIES}

# The marked tables of every registered capability, in the registry's order; a table
# without a factory is left out here and named by ``test_registry``.
FACTORIES: list[MarkedFactory] = [
    BY_MODEL[model] for capability in REGISTERED for model in capability.marked if model in BY_MODEL
]


# Path parameters that name something other than a marked record, with a value every
# signed-in reader may use. Capabilities add theirs as they add routes.
EXTRA_PATH_VALUES: dict[str, Any] = {
    "list_code": MATRIX_LIST,  # the sanctions list the matrix's entities are on
    "token": "0" * 32,  # an upload token nobody holds: every reader is answered 404
}
