"""Web pages for meetings: the list, each meeting, and recording one (secretariat staff)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from coalition.core.errors import Forbidden
from coalition.core.forms import (
    Choices,
    PageForm,
    Refusal,
    Short,
    Text,
    submit,
    ticked,
    validate,
    whole,
)
from coalition.core.marking import Marking
from coalition.core.principal import Principal, Role
from coalition.deps import (
    PAGE_ROWS,
    CurrentPrincipal,
    DbSession,
    Limit,
    Offset,
    RecordId,
    Search,
    SignedIn,
)
from coalition.meetings import service
from coalition.meetings.model import MeetingFormat, MeetingKind, MeetingLevel
from coalition.meetings.routes import MeetingSort
from coalition.meetings.schemas import MeetingCreate, MeetingFilters, MeetingUpdate
from coalition.members import service as members
from coalition.web import pages

router = APIRouter(include_in_schema=False)


def may_record(principal: Principal) -> bool:
    return principal.is_secretariat and principal.has_role(Role.CONTRIBUTOR)


def _form(
    request: Request,
    session: Session,
    principal: Principal,
    refusal: Refusal | None = None,
    values: dict[str, Any] | None = None,
    editing: Any = None,
) -> Response:
    return pages.render(
        request,
        "meetings/meeting_form.html",
        status_code=refusal.status if refusal else 200,
        errors=refusal.errors if refusal else None,
        values=values or {},
        editing=editing,
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


class MeetingForm(PageForm):
    """The form recording a meeting, as typed."""

    title: Short = ""
    kind: Short = ""
    held_on: Short = ""
    place: Short = ""
    format: Short = "in_person"
    level: Short = "leaders"
    summary: Text = ""
    attendees: Choices = []
    outcomes: Text = ""
    marking: Short = "COALITION"
    rel_to: Short = ""
    source_title: Short = ""
    source_ref: Short = ""
    illustrative: Short = ""

    def wire(self) -> MeetingCreate:
        return validate(
            MeetingCreate,
            {
                **self.typed(),
                "outcomes": self.outcomes.splitlines(),
                "illustrative": ticked(self.illustrative),
            },
        )


@router.post("/meetings/new", response_class=HTMLResponse)
def create_meeting(
    request: Request,
    session: DbSession,
    principal: SignedIn,
    form: Annotated[MeetingForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    if not may_record(principal):  # refused before the form is read, as the form itself
        raise Forbidden("the secretariat keeps the meeting record")
    result = submit(
        session,
        lambda: service.create_meeting(session, principal, form.wire()),
        MeetingForm.model_fields,
        {"held_on": "Date", "rel_to": "Released to", "attendees": "Attending"},
    )
    if isinstance(result, Refusal):
        return _form(request, session, principal, result, form.typed())
    return pages.saved(request, f"/meetings/{result.id}", "Meeting saved.")


def attended(session: Session, principal: Principal, member_code: str) -> dict[str, Any]:
    """The member page's section: the meetings it attended that the reader may see."""
    return {"attended": service.meetings_attended(session, principal, member_code)}


@router.get("/meetings", response_class=HTMLResponse)
def meetings_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Limit = PAGE_ROWS,
    offset: Offset = 0,
    sort: MeetingSort = None,
    q: Search = None,
) -> Response:
    # The filters are read from the address as typed: a refused one is said on the page.
    filters, refused = pages.read_filters(request, MeetingFilters)
    page = pages.filtered(
        refused,
        lambda: service.list_meetings(
            session, principal, **filters.values(), limit=limit, offset=offset, sort=sort, q=q
        ),
        limit,
        offset,
    )
    return pages.render(
        request,
        "meetings/meetings.html",
        status_code=422 if refused else 200,
        refused=refused,
        page=page,
        may_record=may_record(principal),
        meetings=page.items,
        total=page.total,
        kinds=list(MeetingKind),
        levels=list(MeetingLevel),
        formats=list(MeetingFormat),
        attendees=[
            (m.code, m.name) for m in members.list_members(session, principal, limit=500).items
        ],
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
        may_edit=may_record(principal),
        **pages.sections(request, "meeting", session, principal, meeting_id),
    )


class MeetingChangeForm(PageForm):
    """The form correcting a meeting: what the record may change, as typed."""

    version: Short = ""
    title: Short = ""
    held_on: Short = ""
    place: Short = ""
    format: Short = ""
    level: Short = ""
    summary: Text = ""
    attendees: Choices = []
    outcomes: Text = ""

    def wire(self) -> MeetingUpdate:
        return validate(
            MeetingUpdate,
            {**self.typed(), "outcomes": self.outcomes.splitlines()},
            {"version": whole},
        )


def _editing(session: Session, principal: Principal, meeting_id: int) -> Any:
    if not may_record(principal):
        raise Forbidden("the secretariat keeps the meeting record")
    return service.to_public(
        session, principal, service.get_meeting(session, principal, meeting_id)
    )


@router.get("/meetings/{meeting_id}/edit", response_class=HTMLResponse)
def edit_meeting_form(
    meeting_id: RecordId, request: Request, session: DbSession, principal: SignedIn
) -> Response:
    meeting = _editing(session, principal, meeting_id)
    values = {
        **meeting.model_dump(mode="json"),
        "outcomes": "\n".join(meeting.outcomes),
        "version": str(meeting.version),
    }
    return _form(request, session, principal, values=values, editing=meeting)


@router.post("/meetings/{meeting_id}/edit", response_class=HTMLResponse)
def edit_meeting(
    meeting_id: RecordId,
    request: Request,
    session: DbSession,
    principal: SignedIn,
    form: Annotated[MeetingChangeForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    meeting = _editing(session, principal, meeting_id)
    result = submit(
        session,
        lambda: service.update_meeting(session, principal, meeting_id, form.wire()),
        MeetingChangeForm.model_fields,
        {"held_on": "Date", "attendees": "Attending"},
    )
    if isinstance(result, Refusal):
        typed = {**form.typed(), "kind": meeting.kind.value, "marking": meeting.marking}
        return _form(request, session, principal, result, typed, editing=meeting)
    return pages.saved(request, f"/meetings/{meeting_id}", "Meeting changed.")
