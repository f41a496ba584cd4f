"""HTTP routes for briefings. Thin: parse, call the service, render."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from coalition.briefings import render, service
from coalition.briefings.assembled import Assembled
from coalition.briefings.document import Document, to_json
from coalition.briefings.schemas import (
    BriefingOut,
    ChangeOut,
    ComparisonOut,
    EditionIn,
    EditionOut,
    EditionPatch,
    EditionSummary,
    ReproductionOut,
    VersionIn,
)
from coalition.core.errors import Invalid
from coalition.core.middleware import PAGE_CSP
from coalition.core.wiretypes import IsoDate
from coalition.deps import ERROR_RESPONSES, CurrentPrincipal, DbSession, RecordId, SignedIn

router = APIRouter(tags=["briefings"], responses=ERROR_RESPONSES)
Format = Literal["json", "html", "pdf"]
PDF = "application/pdf"
OUTPUTS: dict[int | str, dict[str, Any]] = {200: {"content": {"text/html": {}, PDF: {}}}}


def briefing_policy() -> str:
    """The pages' policy, allowing also the briefing's own inlined stylesheet by its hash."""
    return PAGE_CSP.replace("style-src 'self'", f"style-src 'self' {render.style_source()}")


def filename(document: Document, extension: str) -> str:
    """``daily-report-12.pdf``, ``summit-pack-3.html``."""
    name = "daily-report" if document.kind == "daily" else "summit-pack"
    return f"{name}-{document.number}.{extension}"


def output(document: Document, digest: str, format: Format, status: str) -> BriefingOut | Response:
    """The briefing as JSON, a printable HTML page or a PDF download.

    Anything not issued prints as a draft: a briefing built on request, or one in review.
    """
    status = "issued" if status == "issued" else "draft"
    if format == "html":
        return HTMLResponse(
            render.html(document, status=status, inputs_digest=digest),
            headers={"Content-Security-Policy": briefing_policy()},
        )
    if format == "pdf":
        return Response(
            render.pdf(document, status=status, inputs_digest=digest),
            media_type=PDF,
            headers={"Content-Disposition": f'attachment; filename="{filename(document, "pdf")}"'},
        )
    return BriefingOut(
        marking=document.marking.label, inputs_digest=digest, document=to_json(document)
    )


def _live(built: Assembled, format: Format) -> BriefingOut | Response:
    return output(built.document, built.digest, format, "draft")


@router.get("/briefings/daily", response_model=BriefingOut, responses=OUTPUTS)
def daily_report(
    session: DbSession,
    principal: CurrentPrincipal,
    day: Annotated[IsoDate, Query(description="The day reported on (YYYY-MM-DD)")],
    format: Format = "json",
) -> BriefingOut | Response:
    """The daily report for a day, built now from what you may see (the public edition
    when you are not signed in)."""
    return _live(service.build(session, principal, "daily", day), format)


@router.get("/briefings/summit/{meeting_id}", response_model=BriefingOut, responses=OUTPUTS)
def summit_pack(
    meeting_id: RecordId,
    session: DbSession,
    principal: CurrentPrincipal,
    format: Format = "json",
) -> BriefingOut | Response:
    """The summit pack for a meeting, built now from what you may see."""
    return _live(service.build(session, principal, "summit", meeting_id), format)


@router.get("/briefings/editions", response_model=list[EditionSummary])
def list_editions(
    session: DbSession, principal: CurrentPrincipal, kind: Literal["daily", "summit"] | None = None
) -> list[EditionSummary]:
    """The editions you may see, newest first."""
    return [
        EditionSummary.from_row(e) for e in service.list_editions(session, principal, kind=kind)
    ]


@router.post("/briefings/editions", response_model=EditionOut, status_code=201)
def draft_edition(data: EditionIn, session: DbSession, principal: SignedIn) -> EditionOut:
    """Draft an edition for yourself, or the public edition (``public``)."""
    about = data.day if data.kind == "daily" else data.meeting_id
    if about is None:
        raise Invalid(
            "a daily report names its day"
            if data.kind == "daily"
            else "a summit pack names its meeting_id"
        )
    edition = service.draft(
        session,
        principal,
        data.kind,
        about,
        public=data.public,
        judgements=[j.written() for j in data.judgements],
    )
    return EditionOut.from_row(edition)


@router.get("/briefings/editions/{edition_id}", response_model=EditionOut, responses=OUTPUTS)
def get_edition(
    edition_id: RecordId,
    session: DbSession,
    principal: CurrentPrincipal,
    format: Format = "json",
) -> EditionOut | Response:
    """An edition as stored: JSON, its printable HTML, or its PDF."""
    edition = service.get_edition(session, principal, edition_id)
    if format == "json":
        return EditionOut.from_row(edition)
    printed = output(service.document_of(edition), edition.inputs_digest, format, edition.status)
    assert isinstance(printed, Response)  # HTML or PDF, never the JSON of a built briefing
    return printed


@router.patch("/briefings/editions/{edition_id}", response_model=EditionOut)
def revise_edition(
    edition_id: RecordId, data: EditionPatch, session: DbSession, principal: SignedIn
) -> EditionOut:
    """Replace a draft's judgements; it is rebuilt from the records as they are now."""
    edition = service.revise(
        session, principal, edition_id, data.version, [j.written() for j in data.judgements]
    )
    return EditionOut.from_row(edition)


@router.post("/briefings/editions/{edition_id}/review", response_model=EditionOut)
def submit_edition(
    edition_id: RecordId, data: VersionIn, session: DbSession, principal: SignedIn
) -> EditionOut:
    """Send a draft to review."""
    return EditionOut.from_row(service.submit(session, principal, edition_id, data.version))


@router.post("/briefings/editions/{edition_id}/return", response_model=EditionOut)
def return_edition(
    edition_id: RecordId, data: VersionIn, session: DbSession, principal: SignedIn
) -> EditionOut:
    """Return an edition under review to draft."""
    return EditionOut.from_row(service.send_back(session, principal, edition_id, data.version))


@router.post("/briefings/editions/{edition_id}/issue", response_model=EditionOut)
def issue_edition(
    edition_id: RecordId, data: VersionIn, session: DbSession, principal: SignedIn
) -> EditionOut:
    """Issue a reviewed edition; refused (409) if what it rests on changed since review."""
    return EditionOut.from_row(service.issue(session, principal, edition_id, data.version))


@router.get("/briefings/editions/{edition_id}/reproduce", response_model=ReproductionOut)
def reproduce_edition(
    edition_id: RecordId, session: DbSession, principal: SignedIn
) -> ReproductionOut:
    """Rebuild an edition now: whether its inputs and document are unchanged, and which
    figures moved."""
    found = service.reproduce(session, principal, edition_id)
    return ReproductionOut.of(found.same_inputs, found.same_document, found.changes)


@router.get("/briefings/editions/{edition_id}/changes", response_model=ComparisonOut)
def edition_changes(
    edition_id: RecordId, session: DbSession, principal: CurrentPrincipal
) -> ComparisonOut:
    """The figures that changed since the previous issued edition of the same briefing."""
    before, changes = service.changes_since_previous(session, principal, edition_id)
    return ComparisonOut(
        previous_id=None if before is None else before.id,
        changes=[ChangeOut.of(c) for c in changes],
    )
