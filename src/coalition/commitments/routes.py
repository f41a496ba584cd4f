"""HTTP routes for the commitments ledger. Thin: parse, call the service, render."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from starlette.convertors import Convertor, register_url_convertor

from coalition.commitments import export, service
from coalition.commitments.model import Category, Status
from coalition.commitments.schemas import (
    CommitmentCreate,
    CommitmentPublic,
    CommitmentUpdate,
    DeliveryCreate,
    DeliveryPublic,
    Summary,
)
from coalition.core.schemas import Page
from coalition.core.wiretypes import IsoDate, IsoTime
from coalition.deps import (
    ERROR_RESPONSES,
    CurrentPrincipal,
    DbSession,
    Limit,
    Offset,
    Search,
    SignedIn,
)
from coalition.members.service import MemberStanding

router = APIRouter(tags=["commitments"], responses=ERROR_RESPONSES)


class RecordIdConvertor(Convertor[str]):
    """Routes only a stable identity (32 hex digits) to a commitment, so ``export`` and
    ``summary`` are never read as one: ``PATCH /commitments/export`` is a 405, not a 422."""

    regex = "[0-9a-f]{32}"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("record_id", RecordIdConvertor())

RecordId = Annotated[
    str, Path(pattern=r"^[0-9a-f]{32}$", description="The commitment's stable identity")
]
MemberCode = Annotated[str | None, Query(pattern=r"^[A-Za-z]{2,4}$", description="Member code")]
Since = Annotated[IsoDate | None, Query(description="Announced on or after")]
Until = Annotated[IsoDate | None, Query(description="Announced on or before")]
AsOf = Annotated[
    IsoTime | None,
    Query(description="What the ledger held at this moment (ISO 8601 with a zone)"),
]
CommitmentSort = Annotated[str | None, service.COMMITMENTS.sort_param()]
Standing = Annotated[
    MemberStanding | None,
    Query(description="Coalition members' commitments, partners', or (left out) both"),
]
AtMeeting = Annotated[
    int | None,
    Query(ge=1, le=2**31 - 1, description="Commitments announced at this meeting"),
]


def _filters(
    member: str | None,
    category: Category | None,
    status: Status | None,
    since: dt.date | None,
    until: dt.date | None,
    as_of: dt.datetime | None = None,
    standing: MemberStanding | None = None,
    meeting: int | None = None,
) -> service.Filters:
    if as_of is not None:
        as_of = as_of.astimezone(dt.UTC)  # its years keep it inside the calendar
    return service.Filters(member, category, status, since, until, as_of, standing, meeting)


@router.get("/commitments", response_model=Page[CommitmentPublic])
def list_commitments(
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Limit = 100,
    offset: Offset = 0,
    sort: CommitmentSort = None,
    member: MemberCode = None,
    category: Category | None = None,
    status: Status | None = None,
    since: Since = None,
    until: Until = None,
    as_of: AsOf = None,
    standing: Standing = None,
    meeting: AtMeeting = None,
    q: Search = None,
) -> Page[CommitmentPublic]:
    filters = _filters(member, category, status, since, until, as_of, standing, meeting)
    return service.list_commitments(
        session, principal, filters, limit=limit, offset=offset, sort=sort, q=q
    )


@router.get("/commitments/summary", response_model=Summary)
def summary(
    session: DbSession,
    principal: CurrentPrincipal,
    member: MemberCode = None,
    category: Category | None = None,
    status: Status | None = None,
    since: Since = None,
    until: Until = None,
    standing: Standing = None,
    meeting: AtMeeting = None,
) -> Summary:
    """Totals by member, category and month over the commitments you may see."""
    filters = _filters(member, category, status, since, until, standing=standing, meeting=meeting)
    return service.summary(session, principal, filters)


@router.get(
    "/commitments/export",
    response_class=Response,
    responses={200: {"content": {t: {} for t in export.MEDIA_TYPES.values()}}},
)
def export_commitments(
    session: DbSession,
    principal: CurrentPrincipal,
    format: export.ExportFormat = "csv",
    member: MemberCode = None,
    category: Category | None = None,
    status: Status | None = None,
    since: Since = None,
    until: Until = None,
    standing: Standing = None,
    meeting: AtMeeting = None,
) -> Response:
    """The commitments you may see as a file; without signing in, PUBLIC records only."""
    filters = _filters(member, category, status, since, until, standing=standing, meeting=meeting)
    body = export.export(session, principal, format, filters)
    return Response(
        body,
        media_type=export.MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="commitments.{format}"'},
    )


@router.get("/commitments/{commitment_id:record_id}", response_model=CommitmentPublic)
def get_commitment(
    commitment_id: RecordId, session: DbSession, principal: CurrentPrincipal, as_of: AsOf = None
) -> CommitmentPublic:
    as_of = _filters(None, None, None, None, None, as_of).as_of
    row = service.get_commitment(session, principal, commitment_id, as_of)
    return service.publish(session, principal, [row])[0]


@router.get(
    "/commitments/{commitment_id:record_id}/revisions", response_model=list[CommitmentPublic]
)
def revisions(
    commitment_id: RecordId, session: DbSession, principal: CurrentPrincipal
) -> list[CommitmentPublic]:
    """Every revision of the commitment, oldest first: the ledger's history of it."""
    rows = service.revisions(session, principal, commitment_id)
    return service.publish(session, principal, rows)


@router.get(
    "/commitments/{commitment_id:record_id}/deliveries", response_model=list[DeliveryPublic]
)
def deliveries(
    commitment_id: RecordId, session: DbSession, principal: CurrentPrincipal
) -> list[DeliveryPublic]:
    return service.list_deliveries(session, principal, commitment_id)


@router.post("/commitments", response_model=CommitmentPublic, status_code=201)
def create_commitment(
    data: CommitmentCreate, session: DbSession, principal: SignedIn
) -> CommitmentPublic:
    row = service.create_commitment(session, principal, data)
    return service.publish(session, principal, [row])[0]


@router.patch("/commitments/{commitment_id:record_id}", response_model=CommitmentPublic)
def update_commitment(
    commitment_id: RecordId, data: CommitmentUpdate, session: DbSession, principal: SignedIn
) -> CommitmentPublic:
    """Record a change: a new revision supersedes the current one, which is kept."""
    row = service.update_commitment(session, principal, commitment_id, data)
    return service.publish(session, principal, [row])[0]


@router.post(
    "/commitments/{commitment_id:record_id}/deliveries",
    response_model=DeliveryPublic,
    status_code=201,
)
def add_delivery(
    commitment_id: RecordId, data: DeliveryCreate, session: DbSession, principal: SignedIn
) -> DeliveryPublic:
    delivery = service.add_delivery(session, principal, commitment_id, data)
    return service.delivery_public(delivery)
