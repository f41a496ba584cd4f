"""The situation picture: dated control of territory and disputed claims, as registered."""

from coalition.core.capability import Capability, NavEntry
from coalition.situation import cli, demo, importing, model, pages, routes

CAPABILITY = Capability(
    name="situation",
    api_router=routes.router,
    page_router=pages.router,
    commands=cli.COMMANDS,
    nav=(NavEntry("Situation", "/situation"),),
    demo=demo.load,
    models=(model,),
    marked=(model.Snapshot, model.Claim, model.Review),
    importers=(importing.IMPORTER,),
)
