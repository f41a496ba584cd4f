"""Import runs: the record of every import, as the application sees it."""

from fastapi import APIRouter

from coalition.core.capability import Capability, NavEntry
from coalition.imports import cli, demo, intake_pages, intake_routes, jobs, model, pages, routes

# The fixed paths (uploads) before the run's own, which take a key.
api_router = APIRouter()
api_router.routes.extend([*intake_routes.router.routes, *routes.router.routes])
page_router = APIRouter(include_in_schema=False)
page_router.routes.extend([*intake_pages.router.routes, *pages.router.routes])

CAPABILITY = Capability(
    name="imports",
    api_router=api_router,
    page_router=page_router,
    commands=cli.COMMANDS,
    nav=(NavEntry("Imports", "/imports", signed_in_only=True),),
    demo=demo.load_demo,
    models=(model,),
    marked=(model.ImportRun,),
    on_start=jobs.pick_up,
    upload_paths=(
        "/api/v1" + intake_routes.UPLOADS,
        "/api/v1/imports",
        intake_pages.UPLOADS,
    ),
)
