"""HTTP routes for the situation. Thin: parse, call the service, render."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import Response

from coalition.core.db import utcnow
from coalition.deps import (
    ERROR_RESPONSES,
    CurrentPrincipal,
    DbSession,
    Limit,
    Offset,
    RecordId,
    Search,
    SignedIn,
)
from coalition.situation import claims, service, territory
from coalition.situation.schemas import (
    AreaQuery,
    ChangeOut,
    ChangeQuery,
    ClaimFilters,
    ClaimIn,
    ClaimOut,
    ClaimPage,
    ClaimPatch,
    CompareOut,
    CompareQuery,
    ImportedOut,
    LineQuery,
    MapQuery,
    ReviewIn,
    ReviewOut,
    SeriesPointOut,
    SeriesQuery,
    SnapshotDetail,
    SnapshotFilters,
    SnapshotPage,
    SourceOut,
)

router = APIRouter(tags=["situation"], responses=ERROR_RESPONSES)
GEOJSON = "application/geo+json"
JSONLD = "application/ld+json"


@router.get("/situation/sources", response_model=list[SourceOut])
def list_sources(session: DbSession, principal: CurrentPrincipal) -> list[SourceOut]:
    """The territory sources you may see a snapshot of, with their first and last days."""
    return [SourceOut(**vars(s)) for s in territory.sources(session, principal)]


@router.get("/situation/snapshots", response_model=SnapshotPage)
def list_snapshots(
    session: DbSession,
    principal: CurrentPrincipal,
    filters: Annotated[SnapshotFilters, Query()],
    limit: Limit = 100,
    offset: Offset = 0,
) -> SnapshotPage:
    """Territory snapshots you may see, newest first."""
    return service.snapshot_page(session, principal, filters, limit, offset)


@router.get("/situation/snapshots/{snapshot_id}", response_model=SnapshotDetail)
def get_snapshot(
    snapshot_id: RecordId, session: DbSession, principal: CurrentPrincipal
) -> SnapshotDetail:
    """One snapshot with its area within each region (oblast)."""
    return SnapshotDetail.detail(territory.get_snapshot(session, principal, snapshot_id))


@router.get(
    "/situation/snapshots/{snapshot_id}/geojson",
    responses={200: {"content": {GEOJSON: {}}}},
    response_class=Response,
)
def snapshot_geojson(
    snapshot_id: RecordId,
    session: DbSession,
    principal: CurrentPrincipal,
    view: Annotated[MapQuery, Query()],
) -> Response:
    """The snapshot's shape as GeoJSON, simplified for a map at ``zoom`` and cut to
    ``bbox`` (west,south,east,north) when given."""
    body = service.snapshot_feature(session, principal, snapshot_id, view.zoom, view.bounds())
    return Response(body, media_type=GEOJSON)


@router.get(
    "/situation/line",
    responses={200: {"content": {GEOJSON: {}}}},
    response_class=Response,
)
def line_of_contact(
    session: DbSession, principal: CurrentPrincipal, view: Annotated[LineQuery, Query()]
) -> Response:
    """The line of contact drawn from a held snapshot (a source's on or before ``date``, or
    the latest of any source you may see) as a GeoJSON Feature for a map at ``zoom``."""
    day = view.date or utcnow().date()
    body = service.line_feature(session, principal, view.source, day, view.zoom, view.bounds())
    return Response(body, media_type=GEOJSON)


@router.get("/situation/area", response_model=SnapshotDetail)
def area(
    session: DbSession, principal: CurrentPrincipal, query: Annotated[AreaQuery, Query()]
) -> SnapshotDetail:
    """The area a source shows for a layer on a day (the latest snapshot on or before it),
    in all and by region."""
    found = territory.snapshot_on(session, principal, query.source, query.date, query.layer)
    return SnapshotDetail.detail(found)


@router.get("/situation/series", response_model=list[SeriesPointOut])
def series(
    session: DbSession, principal: CurrentPrincipal, query: Annotated[SeriesQuery, Query()]
) -> list[SeriesPointOut]:
    """The area of each of a source's snapshots of a layer, oldest first."""
    points = territory.series(
        session, principal, query.source, query.layer, since=query.since, until=query.until
    )
    return [
        SeriesPointOut(date=p.day, area_km2=p.area_km2, snapshot_id=p.snapshot_id) for p in points
    ]


@router.get("/situation/change", response_model=ChangeOut)
def change(
    session: DbSession, principal: CurrentPrincipal, query: Annotated[ChangeQuery, Query()]
) -> ChangeOut:
    """What a source's layer gained and lost between two days, in all and by region."""
    return service.change_out(session, principal, query)


@router.get("/situation/compare", response_model=CompareOut)
def compare(
    session: DbSession, principal: CurrentPrincipal, query: Annotated[CompareQuery, Query()]
) -> CompareOut:
    """Two sources on one day: the area each shows that the other does not."""
    return service.compare_out(session, principal, query)


# Claims --------------------------------------------------------------------------------


@router.get("/situation/claims", response_model=ClaimPage)
def list_claims(
    session: DbSession,
    principal: CurrentPrincipal,
    filters: Annotated[ClaimFilters, Query()],
    q: Search = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> ClaimPage:
    """Claims you may see, newest first, each with the status the reviews you may see give."""
    return service.claim_page(session, principal, filters, q, limit, offset)


@router.post("/situation/claims", response_model=ClaimOut, status_code=201)
def record_claim(data: ClaimIn, session: DbSession, principal: SignedIn) -> ClaimOut:
    """Record a claim: what was claimed, by whom, when and where it first appeared."""
    claim = claims.record_claim(session, principal, service.claim_in(data))
    return service.claim_out(session, principal, claim.id)


@router.get("/situation/claims/{claim_id}", response_model=ClaimOut)
def get_claim(claim_id: RecordId, session: DbSession, principal: CurrentPrincipal) -> ClaimOut:
    """A claim with the reviews you may see, its status, its history and the territory
    snapshots of its days."""
    return service.claim_out(session, principal, claim_id)


@router.patch("/situation/claims/{claim_id}", response_model=ClaimOut)
def edit_claim(
    claim_id: RecordId, data: ClaimPatch, session: DbSession, principal: SignedIn
) -> ClaimOut:
    """Change a claim's fields; ``version`` is the one you read (a stale one is a 409)."""
    # No field of a claim may be emptied to null: a null is a field left as it is.
    changes = data.model_dump(exclude_unset=True, exclude_none=True, exclude={"version"})
    claims.edit_claim(session, principal, claim_id, data.version, changes)
    return service.claim_out(session, principal, claim_id)


@router.post("/situation/claims/{claim_id}/reviews", response_model=ReviewOut, status_code=201)
def add_review(
    claim_id: RecordId, data: ReviewIn, session: DbSession, principal: SignedIn
) -> ReviewOut:
    """Record a review of a claim, with its evidence. Reviews are never edited: a changed
    view is a new review."""
    review = claims.add_review(session, principal, claim_id, service.review_in(data))
    return ReviewOut.from_row(review)


@router.get(
    "/situation/claims/{claim_id}/claimreview",
    responses={200: {"content": {JSONLD: {}}}},
    response_class=Response,
)
def claimreview(
    claim_id: RecordId, request: Request, session: DbSession, principal: CurrentPrincipal
) -> Response:
    """The claim's reviews you may see as schema.org ClaimReview JSON-LD (a list)."""
    documents = service.claimreviews(session, principal, claim_id, str(request.base_url))
    return Response(json.dumps(documents, ensure_ascii=False), media_type=JSONLD)


@router.post("/situation/claimreview", response_model=ImportedOut, status_code=201)
def import_claimreview(
    data: Annotated[Any, Body(description="ClaimReview JSON-LD: an object, a list or an @graph")],
    session: DbSession,
    principal: SignedIn,
) -> ImportedOut:
    """Record fact-checkers' ClaimReview JSON-LD (an object, a list or an @graph) as
    claims and reviews, marked PUBLIC; a document that cannot be read is reported."""
    return service.import_claimreviews(session, principal, data)
