"""Pledges and deliveries, their importer and export, as the application sees them."""

from typing import Any

from sqlalchemy.orm import Session

from coalition.commitments import charts, cli, demo, importing, model, pages, routes, service
from coalition.core.capability import Capability, NavEntry, PageSection
from coalition.core.principal import Principal
from coalition.core.visibility import note_aggregated


def _dashboard_tile(session: Session, principal: Principal, _key: Any) -> dict[str, Any]:
    """Pledged and delivered in euros, over the commitments the reader may see."""
    figures = service.summary(session, principal)
    note_aggregated(session, service.visible_commitments(principal))
    return {"pledges": figures, "euros": charts.euros}


CAPABILITY = Capability(
    name="commitments",
    api_router=routes.router,
    page_router=pages.router,
    commands=cli.COMMANDS,
    nav=(NavEntry("Commitments", "/commitments"),),
    demo=demo.load_demo,
    models=(model,),
    marked=(model.Commitment,),
    importers=(importing.IMPORTER,),
    sections=(
        PageSection("dashboard tiles", "commitments/dashboard_tile.html", _dashboard_tile),
        PageSection("meeting", "commitments/meeting_commitments.html", pages.announced_at),
        PageSection("member", "commitments/member_commitments.html", pages.pledged_by),
    ),
)
