"""The briefings pages: build a daily report or a summit pack, draft, review and issue.

A briefing itself is printed as the standalone HTML or the PDF the API serves (no site
navigation, the marking on every page); these pages list what the reader may build and
the editions they may see, and carry the forms that move an edition from draft to issue.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from coalition.briefings import service
from coalition.briefings.document import delta
from coalition.briefings.language import CONFIDENCE, yardstick
from coalition.briefings.model import PUBLIC_READER, Edition
from coalition.briefings.render import value_text
from coalition.briefings.schemas import EditionSummary
from coalition.briefings.written import Written
from coalition.core.errors import Invalid, NotFound
from coalition.core.forms import PageForm, Refusal, Short, Text, submit
from coalition.core.principal import WRITING_ROLES, Principal
from coalition.deps import CurrentPrincipal, DbSession, RecordId, SignedIn
from coalition.meetings import service as meetings
from coalition.meetings.model import MeetingKind
from coalition.web import pages

router = APIRouter(include_in_schema=False)

API = "/api/v1/briefings"
JUDGEMENT_ROWS = 6


def may_draft(principal: Principal) -> bool:
    return principal.member is not None and principal.role in WRITING_ROLES


def _summits(session: Session, principal: Principal) -> list[Any]:
    found = meetings.list_meetings(session, principal, kind=MeetingKind.SUMMIT, limit=500)
    return sorted(found.items, key=lambda m: (m.held_on, m.id), reverse=True)


@router.get("/briefings", response_class=HTMLResponse)
def index(request: Request, session: DbSession, principal: CurrentPrincipal) -> HTMLResponse:
    return _index(request, session, principal)


def _index(
    request: Request,
    session: Session,
    principal: Principal,
    refusal: Refusal | None = None,
    values: dict[str, Any] | None = None,
) -> HTMLResponse:
    return pages.render(
        request,
        "briefings/index.html",
        status_code=refusal.status if refusal else 200,
        errors=refusal.errors if refusal else None,
        values=values or {"kind": "daily"},
        api=API,
        summits=_summits(session, principal),
        editions=[EditionSummary.from_row(e) for e in service.list_editions(session, principal)],
        may_draft=may_draft(principal),
    )


class DraftForm(PageForm):
    kind: Short = "daily"
    day: Short = ""
    meeting_id: Short = ""
    public: Short = ""


@router.post("/briefings/editions")
def draft_form(
    request: Request,
    session: DbSession,
    principal: SignedIn,
    form: Annotated[DraftForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    about = form.day.strip() if form.kind == "daily" else form.meeting_id.strip()
    result = submit(
        session,
        lambda: service.draft(session, principal, form.kind, about, public=bool(form.public)),
        DraftForm.model_fields,
        {"meeting_id": "Meeting", "day": "Day"},
    )
    if isinstance(result, Refusal):
        return _index(request, session, principal, result, form.typed())
    return pages.saved(request, f"/briefings/editions/{result.id}", "Draft built.")


def _figures(edition: Edition) -> list[dict[str, str]]:
    document = service.document_of(edition)
    return [
        {
            "section": section.title,
            "label": f.label,
            "value": value_text(f),
            "delta": delta(f),
            "source": f.source,
        }
        for section in document.sections
        for f in section.figures
    ]


def _edition(
    request: Request,
    session: Session,
    principal: Principal,
    edition_id: int,
    refusal: Refusal | None = None,
    values: dict[str, Any] | None = None,
) -> HTMLResponse:
    edition = service.get_edition(session, principal, edition_id)
    before, changes = service.changes_since_previous(session, principal, edition_id)
    written = service.judgements_of(edition)
    if values is None:
        values = {}
        for number in range(1, JUDGEMENT_ROWS + 1):
            held = written[number - 1] if number <= len(written) else None
            values[f"text_{number}"] = held.text if held else ""
            values[f"confidence_{number}"] = held.confidence if held else "moderate"
    mine = edition.owner_code == principal.member and edition.reader in (
        PUBLIC_READER,
        principal.username,
    )
    return pages.render(
        request,
        "briefings/edition.html",
        status_code=refusal.status if refusal else 200,
        errors=refusal.errors if refusal else None,
        values=values,
        edition=edition,
        summary=EditionSummary.from_row(edition),
        judgements=written,
        figures=_figures(edition),
        previous=None if before is None else EditionSummary.from_row(before),
        changes=changes,
        may_edit=mine and may_draft(principal),
        rows=range(1, JUDGEMENT_ROWS + 1),
        confidences=CONFIDENCE,
        terms=yardstick().terms,
        yardstick_name=yardstick().name,
        api=API,
    )


@router.get("/briefings/editions/{edition_id}", response_class=HTMLResponse)
def edition_page(
    edition_id: RecordId, request: Request, session: DbSession, principal: CurrentPrincipal
) -> HTMLResponse:
    return _edition(request, session, principal, edition_id)


class JudgementsForm(PageForm):
    version: Short = ""
    text_1: Text = ""
    confidence_1: Short = "moderate"
    text_2: Text = ""
    confidence_2: Short = "moderate"
    text_3: Text = ""
    confidence_3: Short = "moderate"
    text_4: Text = ""
    confidence_4: Short = "moderate"
    text_5: Text = ""
    confidence_5: Short = "moderate"
    text_6: Text = ""
    confidence_6: Short = "moderate"

    def written(self) -> list[Written]:
        typed = self.typed()
        return [
            Written(typed[f"text_{n}"], typed[f"confidence_{n}"])
            for n in range(1, JUDGEMENT_ROWS + 1)
            if typed[f"text_{n}"].strip()
        ]


def _version(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise Invalid("the form's version is missing; reload the page") from None


@router.post("/briefings/editions/{edition_id}/judgements")
def judgements_form(
    edition_id: RecordId,
    request: Request,
    session: DbSession,
    principal: SignedIn,
    form: Annotated[JudgementsForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    result = submit(
        session,
        lambda: service.revise(
            session, principal, edition_id, _version(form.version), form.written()
        ),
        JudgementsForm.model_fields,
    )
    if isinstance(result, Refusal):
        return _edition(request, session, principal, edition_id, result, form.typed())
    return pages.saved(request, f"/briefings/editions/{edition_id}", "Judgements saved.")


class StepForm(PageForm):
    version: Short = ""


STEPS = {
    "review": (service.submit, "Sent to review."),
    "return": (service.send_back, "Returned to draft."),
    "issue": (service.issue, "Issued."),
}


@router.post("/briefings/editions/{edition_id}/{step}")
def step_form(
    edition_id: RecordId,
    step: str,
    request: Request,
    session: DbSession,
    principal: SignedIn,
    form: Annotated[StepForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    if step not in STEPS:
        raise NotFound(f"no step {step[:40]!r} of an edition")
    act, notice = STEPS[step]
    result = submit(session, lambda: act(session, principal, edition_id, _version(form.version)))
    if isinstance(result, Refusal):
        return _edition(request, session, principal, edition_id, result)
    return pages.saved(request, f"/briefings/editions/{edition_id}", notice)


@router.get("/briefings/summit")
def summit_pack(meeting_id: int, format: Literal["html", "pdf"] = "html") -> RedirectResponse:
    """The summit form's choice, to the pack the API builds for the reader."""
    return RedirectResponse(f"{API}/summit/{meeting_id}?format={format}", status_code=303)
