"""Force generation: requirements, offers, scenarios and plans, as the application sees them."""

from typing import Any

from sqlalchemy.orm import Session

from coalition.core.capability import Capability, NavEntry, PageSection
from coalition.core.principal import Principal
from coalition.forcegen import cli, demo, model, pages, plans, routes


def _dashboard_tile(session: Session, principal: Principal, _key: Any) -> dict[str, Any]:
    """The newest plan the reader may see: how much of the force it fills, with and without."""
    newest = plans.list_plans(session, principal, limit=1).items  # newest first
    return {"last_plan": newest[0] if newest else None}


CAPABILITY = Capability(
    name="forcegen",
    api_router=routes.router,
    page_router=pages.router,
    commands=cli.COMMANDS,
    nav=(NavEntry("Force generation", "/forcegen"),),
    demo=demo.load,
    models=(model,),
    marked=(model.ForceRequirement, model.ForceOffer, model.ForceScenario, model.ForcePlan),
    sections=(PageSection("dashboard tiles", "forcegen/dashboard_tile.html", _dashboard_tile),),
)
