"""Force generation: requirements, offers, scenarios and plans, as the application sees them."""

from coalition.core.capability import Capability, CommandGroup, NavEntry
from coalition.forcegen import demo, model, pages, routes
from coalition.forcegen.commands import forcegen_app

CAPABILITY = Capability(
    name="forcegen",
    api_router=routes.router,
    page_router=pages.router,
    commands=(CommandGroup("forcegen", forcegen_app),),
    nav=(NavEntry("Force generation", "/forcegen"),),
    demo=demo.load,
    models=(model,),
    marked=(model.ForceRequirement, model.ForceOffer, model.ForceScenario, model.ForcePlan),
)
