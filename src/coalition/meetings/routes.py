"""HTTP routes for meetings. Thin: parse, call the service, render."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi.responses import Response

from coalition.core import exports
from coalition.core.schemas import Page
from coalition.core.wiretypes import IsoDate
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
from coalition.meetings import service
from coalition.meetings.model import MeetingKind
from coalition.meetings.schemas import MeetingCreate, MeetingPublic, MeetingSummary, MeetingUpdate

router = APIRouter(tags=["meetings"], responses=ERROR_RESPONSES)

MeetingSort = Annotated[str | None, service.MEETINGS.sort_param()]


@router.get("/meetings", response_model=Page[MeetingSummary])
def list_meetings(
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Limit = 100,
    offset: Offset = 0,
    sort: MeetingSort = None,
    kind: MeetingKind | None = None,
    since: IsoDate | None = None,
    until: IsoDate | None = None,
    q: Search = None,
) -> Page[MeetingSummary]:
    return service.list_meetings(
        session,
        principal,
        kind=kind,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
        sort=sort,
        q=q,
    )


@router.get("/export/meetings", response_class=Response, responses=exports.RESPONSES)
def export_meetings(
    session: DbSession,
    principal: CurrentPrincipal,
    format: exports.ListFormat = "csv",
    sort: MeetingSort = None,
    kind: MeetingKind | None = None,
    since: IsoDate | None = None,
    until: IsoDate | None = None,
    q: Search = None,
) -> Response:
    """The meetings you may see as a file, filtered as the list is."""
    rows = exports.every_row(
        lambda limit, offset: service.list_meetings(
            session,
            principal,
            kind=kind,
            since=since,
            until=until,
            limit=limit,
            offset=offset,
            sort=sort,
            q=q,
        )
    )
    return exports.attachment(
        exports.export(rows, MeetingSummary, format, "meetings"), format, "meetings"
    )


@router.get("/meetings/{meeting_id}", response_model=MeetingPublic)
def get_meeting(
    meeting_id: RecordId, session: DbSession, principal: CurrentPrincipal
) -> MeetingPublic:
    return service.to_public(
        session, principal, service.get_meeting(session, principal, meeting_id)
    )


@router.post("/meetings", response_model=MeetingPublic, status_code=201)
def create_meeting(data: MeetingCreate, session: DbSession, principal: SignedIn) -> MeetingPublic:
    meeting = service.create_meeting(session, principal, data)
    return service.to_public(session, principal, meeting)


@router.patch("/meetings/{meeting_id}", response_model=MeetingPublic)
def update_meeting(
    meeting_id: RecordId, data: MeetingUpdate, session: DbSession, principal: SignedIn
) -> MeetingPublic:
    meeting = service.update_meeting(session, principal, meeting_id, data)
    return service.to_public(session, principal, meeting)
