"""Ceasefire monitoring: agreements, reports, incidents, as the application sees them."""

from typing import Any

from fastapi import APIRouter
from sqlalchemy.orm import Session

from coalition.ceasefire import (
    batchcheck,
    cli,
    daily,
    demo,
    importing,
    incident_pages,
    integrity,
    model,
    pages,
    routes,
)
from coalition.core.capability import Capability, NavEntry, PageSection
from coalition.core.db import utcnow
from coalition.core.principal import Principal


def _dashboard_tile(session: Session, principal: Principal, _key: Any) -> dict[str, Any]:
    """The ceasefire's day, and yesterday's reports and incidents the reader may see."""
    return {"ceasefire_glance": daily.glance(session, principal, utcnow().date())}


page_router = APIRouter(include_in_schema=False)
page_router.include_router(incident_pages.router)
page_router.include_router(pages.router)

CAPABILITY = Capability(
    name="ceasefire",
    api_router=routes.router,
    page_router=page_router,
    commands=cli.COMMANDS,
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
    # Reports loaded in bulk are covered by one audit entry per batch (see ``ingest``);
    # rollups, incidents and each report's region are derived from reports, and
    # ``audit verify`` recomputes them (see ``integrity``).
    batch_checks={"report_batch": (model.Report.__tablename__, batchcheck.verify_batches)},
    derived_checks=integrity.CHECKS,
    importers=(importing.IMPORTER,),
    sections=(PageSection("dashboard tiles", "ceasefire/dashboard_tile.html", _dashboard_tile),),
)
