"""Pledges and deliveries, their importer and export, as the application sees them."""

from coalition.commitments import demo, model, pages, routes
from coalition.commitments.commands import export_commitments, import_commitments
from coalition.core.capability import Capability, Command, NavEntry

CAPABILITY = Capability(
    name="commitments",
    api_router=routes.router,
    page_router=pages.router,
    commands=(
        Command("commitments", import_commitments, under="import"),
        Command("commitments", export_commitments, under="export"),
    ),
    nav=(NavEntry("Commitments", "/commitments"),),
    demo=demo.load_demo,
    models=(model,),
    marked=(model.Commitment,),
)
