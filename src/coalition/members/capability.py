"""Members, their users and roles, as the application sees them."""

from coalition.core.capability import Capability, CommandGroup, NavEntry
from coalition.members import demo, model, pages, routes
from coalition.members.commands import users_app

CAPABILITY = Capability(
    name="members",
    api_router=routes.router,
    page_router=pages.router,
    commands=(CommandGroup("users", users_app),),
    nav=(NavEntry("Members", "/members"),),
    demo=demo.load,
    models=(model,),
    marked=(model.Member,),
)
