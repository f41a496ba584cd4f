"""The proposals pages: the list, one proposal with its grid of positions, the forms."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from coalition.core.errors import NotFound
from coalition.core.forms import (
    PageForm,
    Refusal,
    Short,
    Text,
    submit,
    ticked,
    utc_text,
    validate,
    whole,
)
from coalition.core.marking import Marking
from coalition.core.principal import Principal
from coalition.decisions import rights, service
from coalition.decisions.display import grid, time_left
from coalition.decisions.model import ProposalStatus
from coalition.decisions.routes import ProposalId, ProposalSort
from coalition.decisions.rules import Rule, Stance
from coalition.decisions.schemas import PositionIn, ProposalCreate, ProposalFilters
from coalition.deps import PAGE_ROWS, CurrentPrincipal, DbSession, Limit, Offset, Search, SignedIn
from coalition.meetings import service as meetings
from coalition.members import service as members
from coalition.web import pages

router = APIRouter(include_in_schema=False)


@router.get("/proposals", response_class=HTMLResponse)
def proposals_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Limit = PAGE_ROWS,
    offset: Offset = 0,
    sort: ProposalSort = None,
    q: Search = None,
) -> Response:
    # The filters are read from the address as typed: a refused one is said on the page.
    filters, refused = pages.read_filters(request, ProposalFilters)
    page = pages.filtered(
        refused,
        lambda: service.list_proposals(
            session, principal, **filters.values(), limit=limit, offset=offset, sort=sort, q=q
        ),
        limit,
        offset,
    )
    now = dt.datetime.now(dt.UTC)
    return pages.render(
        request,
        "decisions/proposals.html",
        status_code=422 if refused else 200,
        refused=refused,
        page=page,
        proposals=page.items,
        total=page.total,
        statuses=list(ProposalStatus),
        rules=[(r.value, r.label) for r in Rule],
        meetings=[
            (m.id, f"{m.held_on.isoformat()} {m.title}")
            for m in meetings.list_meetings(session, principal, limit=500).items
        ],
        # Only a member's users have positions to state; the secretariat states none.
        may_await=principal.member is not None and not principal.is_secretariat,
        left={p.id: time_left(p.deadline, now) for p in page.items if p.status == "open"},
        may_table=service.may_table(principal),
    )


@router.get("/proposals/new", response_class=HTMLResponse)
def new_proposal_page(
    request: Request, session: DbSession, principal: SignedIn, meeting: int | None = None
) -> Response:
    service.require_tabler(principal)  # no form a user could not submit
    return _new_proposal(request, session, principal, None, {"meeting_id": str(meeting or "")})


def _new_proposal(
    request: Request,
    session: Session,
    principal: Principal,
    refusal: Refusal | None,
    values: dict[str, Any],
) -> Response:
    return pages.render(
        request,
        "decisions/new.html",
        status_code=refusal.status if refusal else 200,
        rules=list(Rule),
        markings=list(Marking),
        meetings=meetings.list_meetings(session, principal, limit=500).items,
        errors=refusal.errors if refusal else None,
        values=values,
    )


class ProposalForm(PageForm):
    """The form tabling a proposal; its deadline is in UTC unless it names a zone."""

    title: Short = ""
    text: Text = ""
    rule: Short = "consensus"
    deadline: Short = ""
    meeting_id: Short = ""
    marking: Short = "COALITION"
    rel_to: Short = ""
    quorum: Short = "0"
    reinforced: Short = ""

    def wire(self) -> ProposalCreate:
        return validate(
            ProposalCreate,
            {
                **self.typed(),
                "title": self.title.strip(),
                "text": self.text.strip(),
                "deadline": utc_text(self.deadline),
                "reinforced": ticked(self.reinforced),
            },
            {"meeting_id": whole, "quorum": whole},
        )


@router.post("/proposals")
def table_proposal_form(
    request: Request,
    session: DbSession,
    principal: SignedIn,
    form: Annotated[ProposalForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    service.require_tabler(principal)  # refused before its input is read
    result = submit(
        session,
        lambda: service.table_proposal(session, principal, form.wire()),
        ProposalForm.model_fields,
        {"rule": "Decision rule", "meeting_id": "Meeting", "rel_to": "Released to"},
    )
    if isinstance(result, Refusal):
        return _new_proposal(request, session, principal, result, form.typed())
    return RedirectResponse(f"/proposals/{result.id}", status_code=303)


@router.get("/proposals/{proposal_id}", response_class=HTMLResponse)
def proposal_page(
    proposal_id: ProposalId, request: Request, session: DbSession, principal: CurrentPrincipal
) -> Response:
    return _proposal(request, session, principal, proposal_id)


def _proposal(
    request: Request,
    session: Session,
    principal: Principal,
    proposal_id: int,
    refusal: Refusal | None = None,
    values: dict[str, Any] | None = None,
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
    # A member taking part in an open proposal: its spokespeople get the form, its other
    # users a line saying who states the position.
    asked = (
        proposal.status is ProposalStatus.OPEN
        and principal.member in voters
        and proposal.opens_at <= now < proposal.deadline
    )
    refusal_note = rights.position_refusal(principal, principal.member or "") if asked else None
    return pages.render(
        request,
        "decisions/proposal.html",
        status_code=refusal.status if refusal else 200,
        errors=refusal.errors if refusal else None,
        values=values or {},
        proposal=proposal,
        outcome=result,
        cells=grid(proposal, seen, names),
        history=[h for h in history if h.member in seen],
        meeting=meeting,
        left=time_left(proposal.deadline, now) if proposal.status == "open" else None,
        may_state=asked and refusal_note is None,
        state_note=refusal_note,
        stances=list(Stance),
        own=next((p for p in proposal.positions if p.member == principal.member), None),
    )


class PositionForm(PageForm):
    """The form stating a member's position on a proposal."""

    stance: Short = ""
    text: Text = ""
    condition: Short = ""

    def wire(self) -> PositionIn:
        return validate(PositionIn, self.typed())


@router.post("/proposals/{proposal_id}/positions")
def state_position_form(
    proposal_id: ProposalId,
    request: Request,
    session: DbSession,
    principal: SignedIn,
    form: Annotated[PositionForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    service.get_proposal(session, principal, proposal_id)  # 404 before anything else
    service.require_spokesperson(principal, principal.member or "")
    result = submit(
        session,
        lambda: service.state_position(session, principal, proposal_id, form.wire()),
        PositionForm.model_fields,
        {"stance": "Position", "text": "Statement"},
    )
    if isinstance(result, Refusal):
        return _proposal(request, session, principal, proposal_id, result, form.typed())
    return RedirectResponse(f"/proposals/{proposal_id}#grid", status_code=303)
