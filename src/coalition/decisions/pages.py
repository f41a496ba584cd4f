"""The proposals pages: the list, one proposal with its grid of positions, the forms."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from coalition.core.errors import Invalid, NotFound
from coalition.core.marking import Marking
from coalition.decisions import service
from coalition.decisions.display import grid, time_left
from coalition.decisions.model import ProposalStatus
from coalition.decisions.rules import Rule, Stance
from coalition.decisions.schemas import PositionIn, ProposalCreate, ProposalId
from coalition.deps import CurrentPrincipal, DbSession, SignedIn
from coalition.meetings import service as meetings
from coalition.members import service as members
from coalition.web import pages

router = APIRouter(include_in_schema=False)


@router.get("/proposals", response_class=HTMLResponse)
def proposals_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    status: ProposalStatus | None = None,
) -> Response:
    page = service.list_proposals(session, principal, status=status, limit=500)
    now = dt.datetime.now(dt.UTC)
    return pages.render(
        request,
        "decisions/proposals.html",
        proposals=page.items,
        total=page.total,
        status=status,
        statuses=list(ProposalStatus),
        left={p.id: time_left(p.deadline, now) for p in page.items if p.status == "open"},
        may_table=service.may_table(principal),
    )


@router.get("/proposals/new", response_class=HTMLResponse)
def new_proposal_page(
    request: Request, session: DbSession, principal: SignedIn, meeting: int | None = None
) -> Response:
    return pages.render(
        request,
        "decisions/new.html",
        rules=list(Rule),
        markings=list(Marking),
        meetings=meetings.list_meetings(session, principal, limit=500).items,
        meeting=meeting,
        may_table=service.may_table(principal),
    )


def _utc(value: str, what: str) -> dt.datetime:
    try:
        at = dt.datetime.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{what}: not a date and time") from None
    # The form's fields are in UTC, as every time in Coalition.
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at


@router.post("/proposals")
def table_proposal_form(
    request: Request,
    session: DbSession,
    principal: SignedIn,
    title: Annotated[str, Form(max_length=200)] = "",
    text: Annotated[str, Form(max_length=20_000)] = "",
    rule: Annotated[Rule, Form()] = Rule.CONSENSUS,
    deadline: Annotated[str, Form(max_length=40)] = "",
    meeting_id: Annotated[str, Form(max_length=12)] = "",
    marking: Annotated[Marking, Form()] = Marking.COALITION,
    rel_to: Annotated[str, Form(max_length=400)] = "",
    quorum: Annotated[int, Form(ge=0, le=1000)] = 0,
    reinforced: Annotated[bool, Form()] = False,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    pages.check_csrf(request, csrf_token)
    try:
        data = ProposalCreate(
            title=title.strip(),
            text=text.strip(),
            rule=rule,
            deadline=_utc(deadline, "deadline"),
            meeting_id=int(meeting_id) if meeting_id.strip() else None,
            marking=marking,
            rel_to=[c for c in rel_to.replace(",", " ").split() if c],
            quorum=quorum,
            reinforced=reinforced,
        )
    except ValueError as exc:
        raise Invalid(str(exc).splitlines()[-1].strip() or "invalid proposal") from None
    proposal = service.table_proposal(session, principal, data)
    return RedirectResponse(f"/proposals/{proposal.id}", status_code=303)


@router.get("/proposals/{proposal_id}", response_class=HTMLResponse)
def proposal_page(
    proposal_id: ProposalId, request: Request, session: DbSession, principal: CurrentPrincipal
) -> Response:
    proposal = service.to_public(
        session, principal, service.get_proposal(session, principal, proposal_id)
    )
    result = service.outcome(session, principal, proposal_id)
    seen = members.visible_codes(session, principal)
    names = {m.code: m.name for m in members.list_members(session, principal, limit=500).items}
    history = service.list_positions(session, principal, proposal_id, history=True)
    meeting = None
    if proposal.meeting_id is not None:
        try:
            meeting = meetings.get_meeting(session, principal, proposal.meeting_id)
        except NotFound:
            meeting = None  # a meeting the reader may not see is not named
    now = dt.datetime.now(dt.UTC)
    voters = {v.member for v in proposal.voters}
    may_state = (
        proposal.status is ProposalStatus.OPEN
        and principal.member in voters
        and principal.member is not None
        and principal.may_write_for(principal.member)
        and proposal.opens_at <= now < proposal.deadline
    )
    return pages.render(
        request,
        "decisions/proposal.html",
        proposal=proposal,
        outcome=result,
        cells=grid(proposal, seen, names),
        history=[h for h in history if h.member in seen],
        meeting=meeting,
        left=time_left(proposal.deadline, now) if proposal.status == "open" else None,
        may_state=may_state,
        stances=list(Stance),
        own=next((p for p in proposal.positions if p.member == principal.member), None),
    )


@router.post("/proposals/{proposal_id}/positions")
def state_position_form(
    proposal_id: ProposalId,
    request: Request,
    session: DbSession,
    principal: SignedIn,
    stance: Annotated[Stance, Form()],
    text: Annotated[str, Form(max_length=4000)] = "",
    condition: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    pages.check_csrf(request, csrf_token)
    data = PositionIn(stance=stance, text=text, condition=condition)
    service.state_position(session, principal, proposal_id, data)
    return RedirectResponse(f"/proposals/{proposal_id}#grid", status_code=303)
