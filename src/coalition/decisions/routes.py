"""HTTP routes for proposals, positions and outcomes. Thin: parse, call the service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from coalition.core import exports
from coalition.core.schemas import Page
from coalition.decisions import service
from coalition.decisions.schemas import (
    OutcomePublic,
    PositionIn,
    PositionPublic,
    ProposalCreate,
    ProposalFilters,
    ProposalPublic,
    ProposalSummary,
    Withdrawal,
)
from coalition.deps import (
    ERROR_RESPONSES,
    CurrentPrincipal,
    DbSession,
    Limit,
    Offset,
    Search,
    SignedIn,
)

# Record ids are 32-bit integers on PostgreSQL; anything outside is a 422, not a crash.
# A path parameter is HTTP's business, so it is declared here, not in the schemas.
ProposalId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Proposal id")]
ProposalSort = Annotated[str | None, service.PROPOSALS.sort_param()]
ProposalQuery = Annotated[ProposalFilters, Query()]

router = APIRouter(tags=["decisions"], responses=ERROR_RESPONSES)


def proposal_rows(
    session: DbSession,
    principal: CurrentPrincipal,
    filters: ProposalQuery,
    sort: ProposalSort = None,
    q: Search = None,
) -> Callable[[int, int], Page[ProposalSummary]]:
    """The proposals list as its reader asked for it, one page at a time."""

    def rows(limit: int, offset: int) -> Page[ProposalSummary]:
        return service.list_proposals(
            session, principal, **filters.values(), limit=limit, offset=offset, sort=sort, q=q
        )

    return rows


ProposalRows = Annotated[Callable[[int, int], Page[ProposalSummary]], Depends(proposal_rows)]


@router.get("/proposals", response_model=Page[ProposalSummary])
def list_proposals(
    rows: ProposalRows, limit: Limit = 100, offset: Offset = 0
) -> Page[ProposalSummary]:
    """Proposals you may see: open ones first, soonest deadline first."""
    return rows(limit, offset)


exports.route(
    router,
    "proposals",
    ProposalSummary,
    proposal_rows,
    "The proposals you may see as a file, filtered as the list is.",
)


@router.post("/proposals", response_model=ProposalPublic, status_code=201)
def table_proposal(data: ProposalCreate, session: DbSession, principal: SignedIn) -> ProposalPublic:
    """Table a proposal (secretariat staff, or a member's administrator)."""
    return service.to_public(session, principal, service.table_proposal(session, principal, data))


@router.get("/proposals/{proposal_id}", response_model=ProposalPublic)
def get_proposal(
    proposal_id: ProposalId, session: DbSession, principal: CurrentPrincipal
) -> ProposalPublic:
    return service.to_public(
        session, principal, service.get_proposal(session, principal, proposal_id)
    )


@router.post("/proposals/{proposal_id}/open", response_model=ProposalPublic)
def open_proposal(
    proposal_id: ProposalId, session: DbSession, principal: SignedIn
) -> ProposalPublic:
    """Open a draft for positions; the members taking part are fixed now."""
    return service.to_public(
        session, principal, service.open_proposal(session, principal, proposal_id)
    )


@router.post("/proposals/{proposal_id}/withdraw", response_model=ProposalPublic)
def withdraw_proposal(
    proposal_id: ProposalId, data: Withdrawal, session: DbSession, principal: SignedIn
) -> ProposalPublic:
    proposal = service.withdraw_proposal(session, principal, proposal_id, data.version)
    return service.to_public(session, principal, proposal)


@router.get("/proposals/{proposal_id}/positions", response_model=list[PositionPublic])
def list_positions(
    proposal_id: ProposalId, session: DbSession, principal: CurrentPrincipal, history: bool = False
) -> list[PositionPublic]:
    """Each member's live position, or with ``history=true`` every statement ever made."""
    return service.list_positions(session, principal, proposal_id, history=history)


@router.post("/proposals/{proposal_id}/positions", response_model=PositionPublic, status_code=201)
def state_position(
    proposal_id: ProposalId, data: PositionIn, session: DbSession, principal: SignedIn
) -> PositionPublic:
    """State or change your member's position until the deadline."""
    position = service.state_position(session, principal, proposal_id, data)
    return service.position_public(position)


@router.get("/proposals/{proposal_id}/outcome", response_model=OutcomePublic)
def get_outcome(
    proposal_id: ProposalId, session: DbSession, principal: CurrentPrincipal
) -> OutcomePublic:
    """The outcome and its reason once closed; while open, how things stand."""
    return service.outcome(session, principal, proposal_id)
