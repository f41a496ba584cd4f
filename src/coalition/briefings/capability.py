"""Briefings: the daily report and the summit pack, built for one reader, as registered."""

from coalition.briefings import cli, demo, model, pages, routes
from coalition.core.capability import Capability, NavEntry

CAPABILITY = Capability(
    name="briefings",
    api_router=routes.router,
    page_router=pages.router,
    commands=cli.COMMANDS,
    nav=(NavEntry("Briefings", "/briefings"),),
    demo=demo.load,
    models=(model,),
    marked=(model.Edition,),
)
