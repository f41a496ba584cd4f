"""Ceasefire monitoring: agreements, reports, incidents, as the application sees them."""

from coalition.ceasefire import demo, model, pages, routes
from coalition.ceasefire.commands import ceasefire_app, export_incidents, import_reports
from coalition.core.capability import Capability, Command, CommandGroup, NavEntry

CAPABILITY = Capability(
    name="ceasefire",
    api_router=routes.router,
    page_router=pages.router,
    commands=(
        Command("reports", import_reports, under="import"),
        Command("incidents", export_incidents, under="export"),
        CommandGroup("ceasefire", ceasefire_app),
    ),
    nav=(NavEntry("Ceasefire", "/ceasefire"),),
    demo=demo.load,
    models=(model,),
    marked=(
        model.Ceasefire,
        model.Report,
        model.Incident,
        model.ReportRollup,
        model.CellRollup,
    ),
)
