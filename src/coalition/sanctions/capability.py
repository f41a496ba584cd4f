"""Sanctions lists, their dated snapshots and FollowTheMoney entities, as registered."""

from coalition.core.capability import Capability, NavEntry
from coalition.sanctions import cli, demo, importing, model, pages, routes

CAPABILITY = Capability(
    name="sanctions",
    api_router=routes.router,
    page_router=pages.router,
    commands=cli.COMMANDS,
    nav=(NavEntry("Sanctions", "/sanctions"),),
    demo=demo.load,
    models=(model,),
    marked=(
        model.SanctionsList,
        model.ListSnapshot,
        model.Entity,
        model.Application,
        model.Designation,
        model.Judgement,
        model.GapProposal,
    ),
    importers=(importing.IMPORTER,),
)
