"""Operations on proposals and positions. Each takes a session and the acting principal.

Every write to a proposal's positions or status first locks the proposal's row
(``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite serialises writing transactions with
``BEGIN IMMEDIATE``), so two position changes and a close never interleave: no position
is lost and no proposal closes twice.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import ColumnElement, Engine, and_, case, false, select
from sqlalchemy.orm import Session

from coalition.core.db import transaction
from coalition.core.errors import Conflict, Forbidden, Invalid, NotFound
from coalition.core.listing import Listing, ListQuery
from coalition.core.marking import Marking, audience
from coalition.core.principal import SECRETARIAT, Principal, Role
from coalition.core.schemas import Page
from coalition.core.visibility import get_visible, visible_select
from coalition.decisions import annex, rights, rules
from coalition.decisions.model import Position, Proposal, ProposalStatus, ProposalVoter
from coalition.decisions.rules import REINFORCED, Ballot, Rule, Stance, Thresholds
from coalition.decisions.schemas import (
    ClosedProposal,
    OutcomePublic,
    PositionIn,
    PositionPublic,
    ProposalCreate,
    ProposalPublic,
    ProposalSummary,
    Tally,
    Voter,
)
from coalition.decisions.schemas import Thresholds as ThresholdsOut
from coalition.meetings.model import Meeting
from coalition.members.model import Member, MemberKind
from coalition.members.service import require_member, visible_codes

RESULT_STATUS = {
    rules.Result.ADOPTED: ProposalStatus.ADOPTED,
    rules.Result.REJECTED: ProposalStatus.REJECTED,
    rules.Result.LAPSED: ProposalStatus.LAPSED,
}


def _now(now: dt.datetime | None) -> dt.datetime:
    return (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)


# --- reading -------------------------------------------------------------------------


def to_summary(p: Proposal) -> ProposalSummary:
    return ProposalSummary.of(
        p,
        id=p.id,
        title=p.title,
        rule=Rule(p.rule),
        status=ProposalStatus(p.status),
        opens_at=p.opens_at,
        deadline=p.deadline,
        meeting_id=p.meeting_id,
    )


def position_public(pos: Position) -> PositionPublic:
    return PositionPublic(
        id=pos.id,
        member=pos.member_code,
        stance=Stance(pos.stance),
        text=pos.text,
        condition=pos.condition,
        stated_by=pos.stated_by,
        stated_at=pos.stated_at,
        superseded_at=pos.superseded_at,
        live=pos.superseded_at is None,
    )


def _positions(session: Session, proposal_id: int, *, history: bool) -> list[Position]:
    query = select(Position).where(Position.proposal_id == proposal_id)
    if not history:
        query = query.where(Position.superseded_at.is_(None))
    return list(session.scalars(query.order_by(Position.member_code, Position.id)))


def to_public(session: Session, principal: Principal, proposal: Proposal) -> ProposalPublic:
    # Like a meeting's attendance, a member the reader may not see is not named here.
    seen = visible_codes(session, principal)
    return ProposalPublic(
        **to_summary(proposal).model_dump(),
        text=proposal.text,
        tabled_by=proposal.tabled_by,
        thresholds=ThresholdsOut(
            quorum=proposal.quorum,
            members_pct=proposal.members_pct,
            population_pct=proposal.population_pct,
            blocking_members=proposal.blocking_members,
        ),
        voters=[
            Voter(member=v.member_code, population=v.population, basis=v.population_basis)
            for v in proposal.voters
            if v.member_code in seen
        ],
        positions=[
            position_public(p)
            for p in _positions(session, proposal.id, history=False)
            if p.member_code in seen
        ],
        silence_broken_by=(
            proposal.silence_broken_by if proposal.silence_broken_by in seen else None
        ),
        silence_broken_at=proposal.silence_broken_at,
        closed_at=proposal.closed_at,
        outcome_reason=unnamed(proposal.outcome_reason, _hidden_voters(proposal, seen)),
        source_title=proposal.source_title,
        source_ref=proposal.source_ref,
        version=proposal.version,
    )


_OPEN = Proposal.status == ProposalStatus.OPEN.value


def awaited_from(member_code: str) -> ColumnElement[bool]:
    """Open proposals on which ``member_code`` takes part and has stated no position yet."""
    stated = select(Position.proposal_id).where(
        Position.member_code == member_code, Position.superseded_at.is_(None)
    )
    taking_part = select(ProposalVoter.proposal_id).where(ProposalVoter.member_code == member_code)
    return and_(_OPEN, Proposal.id.in_(taking_part), Proposal.id.not_in(stated))


PROPOSALS = Listing(
    model=Proposal,
    sorts={
        "deadline": Proposal.deadline,
        "title": Proposal.title,
        "status": Proposal.status,
        "rule": Proposal.rule,
        "opens_at": Proposal.opens_at,
    },
    # Open ones first (soonest deadline first), then drafts, then the rest (latest first).
    default=[
        case((_OPEN, 0), (Proposal.status == ProposalStatus.DRAFT.value, 1), else_=2),
        case((_OPEN, Proposal.deadline), else_=None),
        Proposal.deadline.desc(),
    ],
    filters={
        "status": lambda status: Proposal.status == status.value,
        "rule": lambda rule: Proposal.rule == rule.value,
        "meeting_id": lambda meeting_id: Proposal.meeting_id == meeting_id,
        "awaiting": awaited_from,  # a member's code: what awaits that member's position
    },
    searched=(Proposal.title, Proposal.text),
)


def list_proposals(
    session: Session,
    principal: Principal,
    *,
    status: ProposalStatus | None = None,
    rule: Rule | None = None,
    meeting_id: int | None = None,
    awaiting: bool = False,
    limit: int = 100,
    offset: int = 0,
    sort: str | None = None,
    q: str | None = None,
) -> Page[ProposalSummary]:
    """Proposals the reader may see: open ones first (soonest deadline first), then the rest.

    ``awaiting`` keeps the open proposals on which the reader's member takes part and has
    stated no position yet; a reader of no member has none awaiting it.
    """
    query = visible_select(principal, Proposal)
    if awaiting and principal.member is None:
        query = query.where(false())
    rows = PROPOSALS.fetch(
        session,
        query,
        ListQuery(limit, offset, sort, q),
        status=status,
        rule=rule,
        meeting_id=meeting_id,
        awaiting=principal.member if awaiting else None,
    )
    return rows.page(to_summary)


def awaiting(session: Session, principal: Principal, limit: int = 5) -> Page[ProposalSummary]:
    """Open proposals the reader may see on which the reader's member takes part and has
    stated no position yet, soonest deadline first."""
    if principal.member is None:
        return Page(items=[], total=0, limit=limit, offset=0)
    return list_proposals(session, principal, awaiting=True, limit=limit, sort="deadline")


def get_proposal(session: Session, principal: Principal, proposal_id: int) -> Proposal:
    return get_visible(session, principal, Proposal, proposal_id)


def list_positions(
    session: Session, principal: Principal, proposal_id: int, *, history: bool = False
) -> list[PositionPublic]:
    """Live positions, or with ``history`` every statement ever made, oldest last per member."""
    proposal = get_proposal(session, principal, proposal_id)
    seen = visible_codes(session, principal)
    return [
        position_public(p)
        for p in _positions(session, proposal.id, history=history)
        if p.member_code in seen
    ]


def ballot_of(session: Session, proposal: Proposal) -> Ballot:
    """The pure rule's view of a proposal: its voters and every statement made."""
    # Columns, not ORM objects: the rule reads the whole history on every outcome.
    rows = session.execute(
        select(Position.member_code, Position.stance, Position.stated_at, Position.id)
        .where(Position.proposal_id == proposal.id)
        .order_by(Position.member_code, Position.id)
    )
    statements = tuple(
        rules.Statement(code, Stance(stance), stated_at, position_id)
        for code, stance, stated_at, position_id in rows
    )
    return Ballot(
        rule=Rule(proposal.rule),
        voters=tuple(
            rules.Voter(v.member_code, v.population, v.population_basis) for v in proposal.voters
        ),
        statements=statements,
        deadline=proposal.deadline,
        quorum=proposal.quorum,
        thresholds=Thresholds(
            proposal.members_pct, proposal.population_pct, proposal.blocking_members
        ),
    )


def _hidden_voters(proposal: Proposal, seen: set[str]) -> set[str]:
    return {v.member_code for v in proposal.voters} - seen


def unnamed(text: str, hidden: set[str]) -> str:
    """``text`` with the codes of members the reader may not see replaced by "a member".

    The outcome is computed over every voter, but a reason must not name a participant
    whose membership the reader may not see.
    """
    if not text or not hidden:
        return text
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, hidden))) + r")\b")
    return pattern.sub("a member", text)


def outcome(session: Session, principal: Principal, proposal_id: int) -> OutcomePublic:
    proposal = get_proposal(session, principal, proposal_id)
    hidden = _hidden_voters(proposal, visible_codes(session, principal))
    ballot = ballot_of(session, proposal)
    standing = rules.decide(ballot)
    status = ProposalStatus(proposal.status)
    positions = standing.positions
    members_share = population_share = None
    if ballot.rule is Rule.QUALIFIED_MAJORITY:
        dm = rules.double_majority(ballot)
        members_share = round(float(dm.members_share), 4)
        population_share = round(float(dm.population_share), 4)
    if status in RESULT_STATUS.values():
        result: rules.Result | None = rules.Result(status.value)
        reason = proposal.outcome_reason
    else:
        result = None
        reason = (
            "withdrawn"
            if status is ProposalStatus.WITHDRAWN
            else f"{status.value}: decided at the deadline, {rules.day(proposal.deadline)}"
        )
    return OutcomePublic(
        proposal_id=proposal.id,
        status=status,
        result=result,
        reason=unnamed(reason, hidden),
        standing=unnamed(standing.reason, hidden),
        tally=Tally(
            support=standing.count(Stance.SUPPORT),
            abstain=standing.count(Stance.ABSTAIN),
            object=standing.count(Stance.OBJECT),
            reserve=standing.count(Stance.RESERVE),
            no_position=len(ballot.voters) - len(positions),
        ),
        members_share=members_share,
        population_share=population_share,
        silence_broken_by=None
        if proposal.silence_broken_by in hidden
        else proposal.silence_broken_by,
        silence_broken_at=proposal.silence_broken_at,
        closed_at=proposal.closed_at,
    )


def proposals_for_meeting(
    session: Session, principal: Principal, meeting_id: int
) -> list[ProposalSummary]:
    """The proposals of one meeting that the reader may see."""
    return list_proposals(session, principal, meeting_id=meeting_id, limit=500).items


# --- tabling and opening ----------------------------------------------------------------


def may_table(principal: Principal) -> bool:
    """Secretariat staff (contributor and above) table proposals, as do members' admins."""
    if principal.member == SECRETARIAT:
        return principal.has_role(Role.CONTRIBUTOR, Role.PLANNER, Role.MONITOR)
    return principal.role is Role.ADMIN


def require_tabler(principal: Principal) -> None:
    if not may_table(principal):
        raise Forbidden(
            "proposals are tabled by secretariat staff and members' administrators; "
            f"your role ({principal.role.value if principal.role else 'none'}) may not"
        )


def _electorate(
    session: Session,
    proposal: Proposal,
    populations: dict[str, int],
    tables: dict[int, annex.CouncilTable] | None = None,
) -> list[ProposalVoter]:
    """The members taking part: active at opening, able to see it, never the secretariat.

    A qualified majority weighs states by population, so only states with a population
    take part in one; organisations take part under the other rules. The population is
    the proposal's own figure if it gives one, else the Council's table (Annex III) in
    force in the year the proposal opens for a Member State it names, else the register's;
    each voter keeps the basis of its figure.
    """
    register = list(session.scalars(select(Member).order_by(Member.code)))
    seeing = audience(
        proposal.owner_code, Marking(proposal.marking), proposal.rel_to, (m.code for m in register)
    )
    members = [m for m in register if m.code in seeing]
    day = proposal.opens_at.date()
    members = [m for m in members if m.kind != MemberKind.SECRETARIAT.value and m.is_active_on(day)]
    if Rule(proposal.rule) is Rule.QUALIFIED_MAJORITY:
        members = [m for m in members if m.kind == MemberKind.STATE.value]
    unknown = set(populations) - {m.code for m in members}
    if unknown:
        raise Invalid(f"population given for members not taking part: {', '.join(sorted(unknown))}")
    if Rule(proposal.rule) is not Rule.QUALIFIED_MAJORITY:
        voters = [
            ProposalVoter(member_code=m.code, population=populations.get(m.code, m.population or 0))
            for m in members
        ]
    else:
        year = proposal.opens_at.astimezone(dt.UTC).year
        table = annex.table_for(annex.shipped() if tables is None else tables, year)
        voters = []
        for m in members:
            weight, basis = annex.weigh(
                m.code,
                year=year,
                table=table,
                register=m.population,
                register_year=m.population_year,
                given=populations.get(m.code),
            )
            if weight > 0:
                voters.append(
                    ProposalVoter(member_code=m.code, population=weight, population_basis=basis)
                )
    if not voters:
        raise Invalid("no member would take part in this proposal")
    return voters


def table_proposal(
    session: Session, principal: Principal, data: ProposalCreate, *, now: dt.datetime | None = None
) -> Proposal:
    require_tabler(principal)
    assert principal.member is not None
    now = _now(now)
    owner = principal.member
    if data.on_behalf_of is not None and data.on_behalf_of != owner:
        if owner != SECRETARIAT:
            raise Forbidden("only the secretariat tables a proposal on behalf of a member")
        owner = require_member(session, data.on_behalf_of).code
    if data.meeting_id is not None:
        get_visible(session, principal, Meeting, data.meeting_id)
    opens_at = data.opens_at or now
    if data.deadline <= opens_at:
        raise Invalid("the deadline must come after the opening time")
    if data.deadline <= now:
        raise Invalid("the deadline has already passed")
    thresholds = REINFORCED if data.reinforced else Thresholds()
    proposal = Proposal(
        title=data.title,
        text=data.text,
        rule=data.rule.value,
        status=ProposalStatus.DRAFT.value,
        opens_at=opens_at,
        deadline=data.deadline,
        meeting_id=data.meeting_id,
        tabled_by=principal.username or "",
        quorum=data.quorum,
        members_pct=data.members_pct or thresholds.members_pct,
        population_pct=(
            data.population_pct if data.population_pct is not None else thresholds.population_pct
        ),
        blocking_members=(
            data.blocking_members
            if data.blocking_members is not None
            else thresholds.blocking_members
        ),
        source_title=data.source_title,
        source_ref=data.source_ref,
        illustrative=data.illustrative,
    )
    proposal.mark(session, principal, data.marking, data.rel_to, owner=owner)
    if data.populations and data.rule is not Rule.QUALIFIED_MAJORITY:
        raise Invalid("a population table applies to a qualified-majority vote only")
    if data.populations and data.draft:
        raise Invalid("a population table is fixed at opening: table the proposal open")
    # Validate the electorate now, so a proposal nobody could decide is refused at once.
    voters = _electorate(session, proposal, data.populations)
    _check_quorum(proposal.quorum, len(voters))
    if not data.draft:
        proposal.status = ProposalStatus.OPEN.value
        proposal.voters = voters
    session.add(proposal)
    session.flush()
    return proposal


def _check_quorum(quorum: int, voters: int) -> None:
    """A quorum the members taking part could never meet makes a decision that must lapse."""
    if quorum > voters:
        raise Invalid(
            f"quorum: {quorum} positions can never be stated by the {voters} members taking part"
        )


def _lock(session: Session, proposal_id: int) -> Proposal:
    """Re-read the proposal under a row lock (PostgreSQL); SQLite's writer lock suffices."""
    row = session.scalars(
        select(Proposal)
        .where(Proposal.id == proposal_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise NotFound(f"no proposal {proposal_id}")
    return row


def _require_steward(principal: Principal, proposal: Proposal) -> None:
    if not (may_table(principal) and (principal.member in (SECRETARIAT, proposal.owner_code))):
        raise Forbidden("only the secretariat or the member that tabled it may do this")


def open_proposal(
    session: Session, principal: Principal, proposal_id: int, *, now: dt.datetime | None = None
) -> Proposal:
    """Open a draft for positions; the members taking part are fixed now."""
    get_proposal(session, principal, proposal_id)
    proposal = _lock(session, proposal_id)
    _require_steward(principal, proposal)
    if proposal.status != ProposalStatus.DRAFT.value:
        raise Conflict(f"proposal {proposal_id} is {proposal.status}, not a draft")
    now = _now(now)
    if proposal.opens_at < now:
        proposal.opens_at = now
    if proposal.deadline <= proposal.opens_at:
        raise Invalid("the deadline has passed; table the proposal again with a new deadline")
    proposal.voters = _electorate(session, proposal, {})
    _check_quorum(proposal.quorum, len(proposal.voters))
    proposal.status = ProposalStatus.OPEN.value
    session.flush()
    return proposal


def withdraw_proposal(
    session: Session, principal: Principal, proposal_id: int, version: int
) -> Proposal:
    get_proposal(session, principal, proposal_id)
    proposal = _lock(session, proposal_id)
    _require_steward(principal, proposal)
    if proposal.version != version:
        raise Conflict(
            f"proposal was changed by someone else (you read version {version}, "
            f"it is now version {proposal.version}); reload and retry"
        )
    if ProposalStatus(proposal.status).closed:
        raise Conflict(f"proposal {proposal_id} is already {proposal.status}")
    proposal.status = ProposalStatus.WITHDRAWN.value
    session.flush()
    return proposal


# --- positions -------------------------------------------------------------------------


def _check_statement(data: PositionIn) -> None:
    if data.stance is Stance.RESERVE and not (data.text.strip() and data.condition.strip()):
        raise Invalid("a reservation needs its text and the condition for lifting it")
    if data.stance is not Stance.RESERVE and data.condition.strip():
        raise Invalid("only a reservation carries a condition")


def require_spokesperson(principal: Principal, member_code: str) -> None:
    """Refuse anyone but ``member_code``'s liaison officers and administrators."""
    refusal = rights.position_refusal(principal, member_code)
    if refusal is not None:
        raise Forbidden(refusal)


def state_position(
    session: Session,
    principal: Principal,
    proposal_id: int,
    data: PositionIn,
    *,
    now: dt.datetime | None = None,
) -> Position:
    """State (or change) a member's position; the old one is kept, marked superseded.

    Only the member's liaison officers and administrators speak for it (:mod:`rights`).
    """
    get_proposal(session, principal, proposal_id)  # 404 before anything else
    member_code = data.member or principal.member or ""
    require_spokesperson(principal, member_code)
    _check_statement(data)
    now = _now(now)
    proposal = _lock(session, proposal_id)
    status = ProposalStatus(proposal.status)
    if status is not ProposalStatus.OPEN:
        raise Conflict(f"proposal {proposal_id} is {status.value}: positions are closed")
    if now < proposal.opens_at:
        raise Conflict(f"proposal {proposal_id} opens on {proposal.opens_at.isoformat()}")
    if now >= proposal.deadline:
        raise Conflict(
            f"the deadline of proposal {proposal_id} passed on {proposal.deadline.isoformat()}"
        )
    if member_code not in {v.member_code for v in proposal.voters}:
        raise Forbidden(f"{member_code} does not take part in proposal {proposal_id}")
    member = session.get(Member, member_code)
    if member is None or not member.is_active_on(now.date()):
        raise Forbidden(f"{member_code} is no longer a member of the coalition")
    live = session.scalars(
        select(Position).where(
            Position.proposal_id == proposal.id,
            Position.member_code == member_code,
            Position.superseded_at.is_(None),
        )
    ).first()
    if live is not None:
        if live.stated_at > now:
            raise Conflict("a later position of this member is already recorded")
        live.superseded_at = now
        session.flush()  # the old row leaves the live index before the new one enters it
    position = Position(
        proposal_id=proposal.id,
        member_code=member_code,
        stance=data.stance.value,
        text=data.text.strip(),
        condition=data.condition.strip(),
        stated_by=principal.username or "",
        stated_at=now,
    )
    session.add(position)
    if (
        Rule(proposal.rule) is Rule.SILENCE
        and data.stance in (Stance.OBJECT, Stance.RESERVE)
        and proposal.silence_broken_by is None
    ):
        proposal.silence_broken_by = member_code
        proposal.silence_broken_at = now
    session.flush()
    return position


# --- closing ---------------------------------------------------------------------------


def close(session: Session, proposal_id: int, *, now: dt.datetime | None = None) -> Proposal | None:
    """Close one proposal past its deadline; ``None`` if it is not open or not yet due.

    Safe to call twice or from two processes: the row is locked and re-read, and only an
    open proposal is closed.
    """
    now = _now(now)
    proposal = _lock(session, proposal_id)
    if proposal.status != ProposalStatus.OPEN.value or proposal.deadline > now:
        return None
    decided = rules.decide(ballot_of(session, proposal))
    proposal.status = RESULT_STATUS[decided.result].value
    proposal.outcome_reason = decided.reason
    proposal.closed_at = now
    if decided.silence_broken_by is not None:
        proposal.silence_broken_by = decided.silence_broken_by
        proposal.silence_broken_at = decided.silence_broken_at
    session.flush()
    return proposal


def due_ids(session: Session, now: dt.datetime | None = None) -> list[int]:
    """Open proposals whose deadline has passed, oldest deadline first."""
    return list(
        session.scalars(
            select(Proposal.id)
            .where(Proposal.status == ProposalStatus.OPEN.value, Proposal.deadline <= _now(now))
            .order_by(Proposal.deadline, Proposal.id)
        )
    )


def close_due(engine: Engine, *, now: dt.datetime | None = None) -> list[ClosedProposal]:
    """Close every proposal past its deadline, each in its own transaction.

    Running it again, or in two processes at once, closes nothing twice: each proposal is
    re-checked under its row lock before it is closed.
    """
    now = _now(now)
    with transaction(engine, actor="close-due") as session:
        ids = due_ids(session, now)
    closed = []
    for proposal_id in ids:
        with transaction(engine, actor="close-due") as session:
            proposal = close(session, proposal_id, now=now)
            if proposal is not None:
                closed.append(
                    ClosedProposal(
                        id=proposal.id,
                        status=ProposalStatus(proposal.status),
                        reason=proposal.outcome_reason,
                    )
                )
    return closed
