"""Web pages for meetings: the list, each meeting, and recording one (secretariat staff)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from coalition.core.errors import Forbidden, Invalid
from coalition.core.marking import Marking
from coalition.core.principal import Principal, Role
from coalition.core.schemas import describe_validation
from coalition.deps import CurrentPrincipal, DbSession, RecordId, SignedIn
from coalition.meetings import service
from coalition.meetings.model import MeetingFormat, MeetingKind, MeetingLevel
from coalition.meetings.schemas import MeetingCreate
from coalition.members import service as members
from coalition.web import pages

router = APIRouter(include_in_schema=False)


def may_record(principal: Principal) -> bool:
    return principal.is_secretariat and principal.has_role(Role.CONTRIBUTOR)


def _form(
    request: Request,
    session: Session,
    principal: Principal,
    status: int = 200,
    error: str | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    return pages.render(
        request,
        "meetings/meeting_form.html",
        status_code=status,
        error=error,
        values=values or {},
        members=members.list_members(session, principal, limit=500).items,
        kinds=list(MeetingKind),
        formats=list(MeetingFormat),
        levels=list(MeetingLevel),
        markings=list(Marking),
    )


@router.get("/meetings/new", response_class=HTMLResponse)
def new_meeting(request: Request, session: DbSession, principal: CurrentPrincipal) -> Response:
    if principal.is_anonymous:
        return RedirectResponse("/login?next=/meetings/new", status_code=303)
    if not may_record(principal):
        raise Forbidden("the secretariat keeps the meeting record")
    return _form(request, session, principal)


@router.post("/meetings/new", response_class=HTMLResponse)
async def create_meeting(
    request: Request,
    session: DbSession,
    principal: SignedIn,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    pages.check_csrf(request, csrf_token)
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if k != "attendees"}
    attendees = [str(a) for a in form.getlist("attendees")]
    values["attendees"] = ",".join(attendees)
    try:
        # pydantic parses the form's strings into dates, enums and lists
        data = MeetingCreate.model_validate(
            dict(
                title=values.get("title", ""),
                kind=values.get("kind", ""),
                held_on=values.get("held_on", ""),
                place=values.get("place", ""),
                format=values.get("format", "in_person"),
                level=values.get("level", "leaders"),
                summary=values.get("summary", ""),
                attendees=attendees,
                outcomes=values.get("outcomes", "").splitlines(),
                marking=values.get("marking", "COALITION"),
                rel_to=[c for c in values.get("rel_to", "").replace(",", " ").split() if c],
                source_title=values.get("source_title", ""),
                source_ref=values.get("source_ref", ""),
                illustrative=values.get("illustrative") == "on",
            )
        )
        meeting = service.create_meeting(session, principal, data)
    except ValidationError as exc:
        return _form(request, session, principal, 422, describe_validation(exc), values)
    except Invalid as exc:
        session.rollback()
        return _form(request, session, principal, 422, exc.detail, values)
    return RedirectResponse(f"/meetings/{meeting.id}", status_code=303)


def attended(session: Session, principal: Principal, member_code: str) -> dict[str, Any]:
    """The member page's section: the meetings it attended that the reader may see."""
    return {"attended": service.meetings_attended(session, principal, member_code)}


@router.get("/meetings", response_class=HTMLResponse)
def meetings_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    kind: MeetingKind | None = None,
) -> Response:
    page = service.list_meetings(session, principal, kind=kind, limit=500)
    return pages.render(
        request,
        "meetings/meetings.html",
        may_record=may_record(principal),
        meetings=page.items,
        total=page.total,
        kind=kind,
        kinds=list(MeetingKind),
    )


@router.get("/meetings/{meeting_id}", response_class=HTMLResponse)
def meeting_page(
    meeting_id: RecordId, request: Request, session: DbSession, principal: CurrentPrincipal
) -> Response:
    meeting = service.to_public(
        session, principal, service.get_meeting(session, principal, meeting_id)
    )
    names = {m.code: m.name for m in members.list_members(session, principal, limit=500).items}
    return pages.render(
        request,
        "meetings/meeting.html",
        meeting=meeting,
        names=names,
        **pages.sections(request, "meeting", session, principal, meeting_id),
    )
