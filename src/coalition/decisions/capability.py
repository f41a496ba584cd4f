"""Proposals, positions and their outcomes, as the application sees them."""

from coalition.core.capability import Capability, CommandGroup, NavEntry
from coalition.decisions import demo, model, pages, routes
from coalition.decisions.commands import decisions_app

CAPABILITY = Capability(
    name="decisions",
    api_router=routes.router,
    page_router=pages.router,
    commands=(CommandGroup("decisions", decisions_app),),
    nav=(NavEntry("Proposals", "/proposals"),),
    demo=demo.load,
    models=(model,),
    marked=(model.Proposal,),
)
