"""Proposals, positions and their outcomes, as the application sees them."""

from typing import Any

from sqlalchemy.orm import Session

from coalition.core.capability import Capability, NavEntry, PageSection
from coalition.core.principal import Principal
from coalition.decisions import cli, demo, model, pages, routes, service


def _dashboard_tile(session: Session, principal: Principal, _key: Any) -> dict[str, Any]:
    """Open proposals awaiting the position of the reader's member."""
    return {"awaiting": service.awaiting(session, principal, limit=3)}


def _meeting_proposals(session: Session, principal: Principal, meeting_id: Any) -> dict[str, Any]:
    return {"proposals": service.proposals_for_meeting(session, principal, meeting_id)}


CAPABILITY = Capability(
    name="decisions",
    api_router=routes.router,
    page_router=pages.router,
    commands=cli.COMMANDS,
    nav=(NavEntry("Proposals", "/proposals"),),
    demo=demo.load,
    models=(model,),
    marked=(model.Proposal,),
    sections=(
        PageSection("meeting", "decisions/meeting_proposals.html", _meeting_proposals),
        PageSection("dashboard tiles", "decisions/dashboard_tile.html", _dashboard_tile),
    ),
)
