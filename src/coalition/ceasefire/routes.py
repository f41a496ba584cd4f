"""HTTP routes for ceasefire monitoring. Thin: parse, call the service, render."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, fields
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response

from coalition.ceasefire import exports, service, stats
from coalition.ceasefire.incident_list import IncidentFilters
from coalition.ceasefire.schemas import (
    CeasefireCreate,
    CeasefirePublic,
    CeasefireStats,
    CeasefireUpdate,
    CursorPage,
    Grid,
    IncidentPublic,
    ReportCreate,
    ReportPublic,
    StatusChangeIn,
)
from coalition.ceasefire.search import MAX_SEARCH
from coalition.ceasefire.vocabulary import IncidentType, Verification
from coalition.core.errors import Invalid
from coalition.core.patterns import BBOX, CURSOR
from coalition.core.wiretypes import NO_NUL, IsoDate, IsoTime
from coalition.deps import ERROR_RESPONSES, CurrentPrincipal, DbSession, Limit, RecordId, SignedIn

router = APIRouter(tags=["ceasefire"], responses=ERROR_RESPONSES)

Bbox = Annotated[
    str | None,
    Query(
        max_length=120,
        pattern=BBOX,
        description="west,south,east,north in degrees (west above east crosses 180°)",
        examples=["36,47,39,49"],
    ),
]
Cursor = Annotated[
    str | None,
    Query(max_length=200, pattern=CURSOR, description="next_cursor of the last page"),
]
Attribution = Annotated[str | None, Query(max_length=80, pattern=NO_NUL)]


@router.get("/ceasefires", response_model=list[CeasefirePublic])
def list_ceasefires(session: DbSession, principal: CurrentPrincipal) -> list[CeasefirePublic]:
    return service.list_ceasefires(session, principal)


@router.get("/ceasefires/{ceasefire_id}", response_model=CeasefirePublic)
def get_ceasefire(
    ceasefire_id: RecordId, session: DbSession, principal: CurrentPrincipal
) -> CeasefirePublic:
    return service.ceasefire_public(service.get_ceasefire(session, principal, ceasefire_id))


@router.post("/ceasefires", response_model=CeasefirePublic, status_code=201)
def create_ceasefire(
    data: CeasefireCreate, session: DbSession, principal: SignedIn
) -> CeasefirePublic:
    return service.ceasefire_public(service.create_ceasefire(session, principal, data))


@router.patch("/ceasefires/{ceasefire_id}", response_model=CeasefirePublic)
def update_ceasefire(
    ceasefire_id: RecordId, data: CeasefireUpdate, session: DbSession, principal: SignedIn
) -> CeasefirePublic:
    """Extend a ceasefire or change its status."""
    return service.ceasefire_public(
        service.update_ceasefire(session, principal, ceasefire_id, data)
    )


@router.get("/ceasefires/{ceasefire_id}/stats", response_model=CeasefireStats)
def get_stats(
    ceasefire_id: RecordId,
    session: DbSession,
    principal: CurrentPrincipal,
    on: IsoDate | None = None,
) -> CeasefireStats:
    """Statistics over the reports you may see; ``on`` fixes the day (default: today)."""
    c = service.get_ceasefire(session, principal, ceasefire_id)
    return stats.ceasefire_stats(session, principal, c, on or dt.datetime.now(dt.UTC).date())


@dataclass
class ReportQuery:
    """The filters and page of a report list, shared by its JSON and GeoJSON routes."""

    limit: Limit = 100
    cursor: Cursor = None
    since: IsoTime | None = None
    until: IsoTime | None = None
    bbox: Bbox = None
    type: IncidentType | None = None
    attribution: Attribution = None

    def arguments(self) -> dict[str, Any]:
        """Keyword arguments for the service's list functions, the box parsed."""
        given = {f.name: getattr(self, f.name) for f in fields(self)}
        return {**given, "bbox": service.parse_bbox(self.bbox)}


Search = Annotated[
    str | None,
    Query(
        max_length=MAX_SEARCH,
        pattern=NO_NUL,
        description="Text found in the oblast, type or attribution (taken literally)",
    ),
]
Region = Annotated[str | None, Query(max_length=80, pattern=NO_NUL, description="Oblast")]


@dataclass
class IncidentQuery(ReportQuery):
    status: Verification | None = None
    q: Search = None
    region: Region = None


@router.get("/reports", response_model=CursorPage[ReportPublic])
def list_reports(
    session: DbSession, principal: CurrentPrincipal, query: Annotated[ReportQuery, Depends()]
) -> CursorPage[ReportPublic]:
    return service.list_reports(session, principal, **query.arguments())


@router.get("/reports/geojson", response_model=dict[str, Any])
def reports_geojson(
    session: DbSession, principal: CurrentPrincipal, query: Annotated[ReportQuery, Depends()]
) -> dict[str, Any]:
    """The same list as a GeoJSON FeatureCollection (``next_cursor`` as a foreign member)."""
    page = service.list_reports(session, principal, **query.arguments())
    return _collection(page.items, page.next_cursor)


@router.get("/reports/{report_id}", response_model=ReportPublic)
def get_report(
    report_id: RecordId, session: DbSession, principal: CurrentPrincipal
) -> ReportPublic:
    return service.get_report(session, principal, report_id)


@router.post("/reports", response_model=ReportPublic, status_code=201)
def file_report(data: ReportCreate, session: DbSession, principal: SignedIn) -> ReportPublic:
    report = service.file_report(session, principal, data)
    return service.get_report(session, principal, report.id)


@router.get("/incidents", response_model=CursorPage[IncidentPublic])
def list_incidents(
    session: DbSession, principal: CurrentPrincipal, query: Annotated[IncidentQuery, Depends()]
) -> CursorPage[IncidentPublic]:
    return service.list_incidents(session, principal, **query.arguments())


@router.get("/incidents/geojson", response_model=dict[str, Any])
def incidents_geojson(
    session: DbSession, principal: CurrentPrincipal, query: Annotated[IncidentQuery, Depends()]
) -> dict[str, Any]:
    """The same list as a GeoJSON FeatureCollection (``next_cursor`` as a foreign member)."""
    page = service.list_incidents(session, principal, **query.arguments())
    return _collection(page.items, page.next_cursor)


EXPORT_TYPES = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json"}


@router.get(
    "/incidents/export",
    response_class=Response,
    responses={200: {"content": {t: {} for t in EXPORT_TYPES.values()}}},
)
def export_incidents(
    session: DbSession,
    principal: CurrentPrincipal,
    format: Literal["csv", "geojson"] = "csv",
    q: Search = None,
    status: Verification | None = None,
    type: IncidentType | None = None,
    region: Region = None,
    since: IsoDate | None = None,
    until: IsoDate | None = None,
) -> Response:
    """The incidents you may see, filtered as the incidents table is (days inclusive, UTC).

    The CSV's first line is ``# marking: ...``; its text cells are neutralised.
    """
    filters = IncidentFilters(
        q=q.strip() or None if q else None,
        status=status,
        type=type,
        region=region,
        since=since,
        until=until,
    )
    out = io.StringIO(newline="")
    write = exports.write_csv if format == "csv" else exports.write_geojson
    write(session, principal, out, filters)
    return Response(
        out.getvalue().encode("utf-8"),
        media_type=EXPORT_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="incidents.{format}"'},
    )


@router.get("/incidents/{incident_id}", response_model=IncidentPublic)
def get_incident(
    incident_id: RecordId, session: DbSession, principal: CurrentPrincipal
) -> IncidentPublic:
    return service.incident_public(service.get_incident(session, principal, incident_id))


@router.post("/incidents/{incident_id}/status", response_model=IncidentPublic)
def set_status(
    incident_id: RecordId, data: StatusChangeIn, session: DbSession, principal: SignedIn
) -> IncidentPublic:
    return service.incident_public(service.set_status(session, principal, incident_id, data))


@router.get("/map/grid", response_model=Grid)
def map_grid(
    session: DbSession,
    principal: CurrentPrincipal,
    bbox: Annotated[
        str, Query(max_length=120, pattern=BBOX, description="west,south,east,north")
    ] = "-180,-90,180,90",
    since: IsoDate | None = None,
    until: IsoDate | None = None,
    type: IncidentType | None = None,
    status: Verification | None = None,
    region: Region = None,
    cells: Annotated[int, Query(ge=4, le=128, description="Cells across the view")] = 48,
) -> Grid:
    """Report counts on a grid fitted to the view, so a map never loads reports one by one.

    With ``status`` or ``region`` the counts are the reports of the matching incidents.
    """
    box = service.parse_bbox(bbox)
    if box is None:
        raise Invalid("bbox is required: west,south,east,north")
    return service.grid(
        session,
        principal,
        box,
        since=since,
        until=until,
        type=type,
        status=status,
        region=region,
        cells_across=cells,
    )


def _collection(items: list[Any], next_cursor: str | None) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "next_cursor": next_cursor,
        "features": [
            {
                "type": "Feature",
                "id": item.id,
                "geometry": {"type": "Point", "coordinates": [item.longitude, item.latitude]},
                "properties": item.model_dump(mode="json", exclude={"latitude", "longitude"}),
            }
            for item in items
        ],
    }
