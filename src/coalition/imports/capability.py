"""Import runs: the record of every import, as the application sees it."""

from coalition.core.capability import Capability, NavEntry
from coalition.imports import cli, demo, model, pages, routes

CAPABILITY = Capability(
    name="imports",
    api_router=routes.router,
    page_router=pages.router,
    commands=cli.COMMANDS,
    nav=(NavEntry("Imports", "/imports", signed_in_only=True),),
    demo=demo.load_demo,
    models=(model,),
    marked=(model.ImportRun,),
)
