"""HTTP routes for meetings. Thin: parse, call the service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from coalition.core import exports
from coalition.core.schemas import Page
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
from coalition.meetings.schemas import (
    MeetingCreate,
    MeetingFilters,
    MeetingPublic,
    MeetingSummary,
    MeetingUpdate,
)

router = APIRouter(tags=["meetings"], responses=ERROR_RESPONSES)

MeetingSort = Annotated[str | None, service.MEETINGS.sort_param()]
MeetingQuery = Annotated[MeetingFilters, Query()]


def meeting_rows(
    session: DbSession,
    principal: CurrentPrincipal,
    filters: MeetingQuery,
    sort: MeetingSort = None,
    q: Search = None,
) -> Callable[[int, int], Page[MeetingSummary]]:
    """The meetings list as its reader asked for it, one page at a time."""

    def rows(limit: int, offset: int) -> Page[MeetingSummary]:
        return service.list_meetings(
            session, principal, **filters.values(), limit=limit, offset=offset, sort=sort, q=q
        )

    return rows


MeetingRows = Annotated[Callable[[int, int], Page[MeetingSummary]], Depends(meeting_rows)]


@router.get("/meetings", response_model=Page[MeetingSummary])
def list_meetings(
    rows: MeetingRows, limit: Limit = 100, offset: Offset = 0
) -> Page[MeetingSummary]:
    """Meetings you may see, latest first; every filter given must hold."""
    return rows(limit, offset)


exports.route(
    router,
    "meetings",
    MeetingSummary,
    meeting_rows,
    "The meetings you may see as a file, filtered as the list is.",
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
