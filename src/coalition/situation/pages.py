"""The situation pages: the overview (latest areas, the chart of area over time, claims by
status), the snapshots and one snapshot on the map, the change between two days, two
sources side by side, and the claims with their reviews and the forms that record them.

Every figure is read through the reader's principal: a snapshot, claim or review the
reader may not see is in no list, total, chart or map. The maps ask the API for their
shapes (``/api/v1/situation/...``) at each zoom and move, as the ceasefire map does.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from coalition.core.db import utcnow
from coalition.core.errors import Forbidden, Invalid, NotFound
from coalition.core.forms import (
    BadInput,
    FormErrors,
    PageForm,
    Refusal,
    Short,
    Text,
    blank_none,
    form_errors,
    submit,
    utc_text,
    validate,
)
from coalition.core.marking import Marking
from coalition.core.principal import Principal
from coalition.core.visibility import note_aggregated, visible_select
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
from coalition.meetings import service as meetings
from coalition.meetings.model import MeetingKind
from coalition.situation import chart, claims, service, territory, verdicts
from coalition.situation.model import Claim, Review
from coalition.situation.outlines import outlines
from coalition.situation.schemas import (
    ChangeQuery,
    ClaimFilters,
    ClaimIn,
    ClaimPage,
    CompareQuery,
    EvidenceIn,
    ReviewIn,
    SnapshotDetail,
    SnapshotFilters,
    SnapshotOut,
    SnapshotPage,
)
from coalition.web import pages

router = APIRouter(include_in_schema=False)

API = "/api/v1/situation"
EVIDENCE_ROWS = 3
EVIDENCE_FIELDS = ("kind", "source", "url", "dated", "note")


def may_record(principal: Principal) -> bool:
    """Whether the reader may record claims and reviews (a monitor or a contributor)."""
    try:
        territory.require_analyst(principal)
    except Forbidden:
        return False
    return True


def _region_names() -> dict[str, str]:
    return {outline.code: outline.name for outline in outlines()}


def _asked(
    request: Request, model: type[BaseModel], names: tuple[str, ...], labels: dict[str, str]
) -> tuple[dict[str, str], Any, FormErrors | None]:
    """A question the address asks (``names`` as the API names them), as typed, read as
    ``model``, and why it was refused; nothing asked, nothing read."""
    typed = {name: (request.query_params.get(name) or "").strip() for name in names}
    if not any(typed.values()):
        return typed, None, None
    try:
        return typed, model.model_validate({k: v for k, v in typed.items() if v}), None
    except ValidationError as exc:
        return typed, None, form_errors(exc, names, labels)


# --- the overview --------------------------------------------------------------------


@router.get("/situation", response_class=HTMLResponse)
def overview_page(request: Request, session: DbSession, principal: CurrentPrincipal) -> Response:
    found = territory.sources(session, principal)
    latest: list[SnapshotOut] = []
    lines: list[chart.Series] = []
    for summary in found:
        for layer in summary.layers:
            snapshot = territory.snapshot_on(
                session, principal, summary.source, summary.last, layer
            )
            latest.append(SnapshotOut.from_row(snapshot))
        layer = "held" if "held" in summary.layers else summary.layers[0]
        points = territory.series(session, principal, summary.source, layer)
        name = summary.source if layer == "held" else f"{summary.source} ({layer})"
        lines.append(chart.Series(name, [(p.day, p.area_km2) for p in points]))
    counts = claims.status_counts(session, principal)
    # The counts rest on every claim and review the reader may see: the page's marking too.
    note_aggregated(session, visible_select(principal, Claim))
    note_aggregated(session, visible_select(principal, Review))
    recent = service.claim_page(session, principal, ClaimFilters(), None, 5, 0)
    return pages.render(
        request,
        "situation/overview.html",
        sources=found,
        latest=latest,
        chart=Markup(chart.area_chart(lines, "Held area over time by source")),  # noqa: S704 - built from escaped parts
        counts=counts,
        claims_total=sum(counts.values()),
        recent=recent.items,
        may_record=may_record(principal),
    )


# --- snapshots -----------------------------------------------------------------------


@router.get("/situation/snapshots", response_class=HTMLResponse)
def snapshots_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Limit = PAGE_ROWS,
    offset: Offset = 0,
) -> Response:
    filters, refused = pages.read_filters(request, SnapshotFilters)
    page = (
        SnapshotPage(items=[], total=0, limit=limit, offset=offset)
        if refused
        else service.snapshot_page(session, principal, filters, limit, offset)
    )
    return pages.render(
        request,
        "situation/snapshots.html",
        status_code=422 if refused else 200,
        refused=refused,
        page=page,
        snapshots=page.items,
        sources=[s.source for s in territory.sources(session, principal)],
        layers=territory.LAYERS,
    )


def _neighbour(
    session: Session, principal: Principal, snapshot: SnapshotOut, later: bool
) -> SnapshotOut | None:
    """The snapshot of the same source and layer just before (or after) this one."""
    step = dt.timedelta(days=1)
    since = snapshot.taken_on + step if later else None
    until = None if later else snapshot.taken_on - step
    total, rows = territory.list_snapshots(
        session,
        principal,
        source=snapshot.source,
        layer=snapshot.layer,
        since=since,
        until=until,
        limit=1,
    )
    if later and total > 1:  # newest first: the next one is the last of the list
        _, rows = territory.list_snapshots(
            session,
            principal,
            source=snapshot.source,
            layer=snapshot.layer,
            since=since,
            limit=1,
            offset=total - 1,
        )
    return SnapshotOut.from_row(rows[0]) if rows else None


@router.get("/situation/snapshots/{snapshot_id}", response_class=HTMLResponse)
def snapshot_page(
    snapshot_id: RecordId, request: Request, session: DbSession, principal: CurrentPrincipal
) -> Response:
    detail = SnapshotDetail.detail(territory.get_snapshot(session, principal, snapshot_id))
    names = _region_names()
    regions = sorted(detail.regions, key=lambda r: -r.area_km2)
    return pages.render(
        request,
        "situation/snapshot.html",
        snapshot=detail,
        regions=[(r.code, names.get(r.code, r.code), r.area_km2) for r in regions],
        previous=_neighbour(session, principal, detail, later=False),
        following=_neighbour(session, principal, detail, later=True),
        geojson=f"{API}/snapshots/{detail.id}/geojson",
    )


# --- change between two days, and two sources side by side ---------------------------------

CHANGE_FIELDS = ("source", "from", "to", "layer")
SLIVER_KM2 = 0.5
CHANGE_LABELS = {"start": "From", "end": "To", "from": "From", "to": "To"}


@router.get("/situation/change", response_class=HTMLResponse)
def change_page(request: Request, session: DbSession, principal: CurrentPrincipal) -> Response:
    known = territory.sources(session, principal)
    typed, query, refused = _asked(request, ChangeQuery, CHANGE_FIELDS, CHANGE_LABELS)
    found = None
    if query is not None:
        try:
            found = service.change_out(session, principal, query)
        except (Invalid, NotFound) as exc:
            refused = form_errors(exc, CHANGE_FIELDS, CHANGE_LABELS)
    slivers = 0
    if found is not None:
        # The regions that moved first, then the largest; a region holding less than
        # half a km² on both days, and gaining and losing less, is left out and counted.
        kept = [
            r
            for r in found.regions
            if max(r.earlier_km2, r.later_km2, r.gained_km2, r.lost_km2) >= SLIVER_KM2
        ]
        slivers = len(found.regions) - len(kept)
        found.regions = sorted(kept, key=lambda r: (-(r.gained_km2 + r.lost_km2), -r.later_km2))
    if not any(typed.values()) and known:  # nothing asked: the longest source's whole span
        longest = max(known, key=lambda s: (s.snapshots, s.last))
        typed = {
            "source": longest.source,
            "from": longest.first.isoformat(),
            "to": longest.last.isoformat(),
            "layer": "held" if "held" in longest.layers else longest.layers[0],
        }
    summit = None
    if typed.get("source"):
        summit = _last_summit(session, principal, _day_or_today(typed.get("to")))
    change_api = ""
    if found is not None:
        change_api = (
            f"{API}/change?source={found.source}&from={query.start.isoformat()}"
            f"&to={query.end.isoformat()}&layer={found.layer}&geometry=true"
        )
    return pages.render(
        request,
        "situation/change.html",
        status_code=422 if refused else 200,
        refused=refused,
        values=typed,
        change=found,
        slivers=slivers,
        sources=[s.source for s in known],
        layers=territory.LAYERS,
        change_api=change_api,
        later_geojson=f"{API}/snapshots/{found.later.id}/geojson" if found else "",
        summit=summit,
    )


def _day_or_today(text: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(text or "")
    except ValueError:
        return utcnow().date()


def _last_summit(session: Session, principal: Principal, day: dt.date) -> Any:
    """The latest summit the reader may see held on or before ``day``, or None: the
    change since it is what leaders ask for before the next one."""
    found = meetings.list_meetings(
        session, principal, kind=MeetingKind.SUMMIT, until=day, sort="-held_on", limit=1
    )
    return found.items[0] if found.items else None


COMPARE_FIELDS = ("a", "b", "date", "layer")
COMPARE_LABELS = {"a": "Source A", "b": "Source B", "date": "Day"}


@router.get("/situation/compare", response_class=HTMLResponse)
def compare_page(request: Request, session: DbSession, principal: CurrentPrincipal) -> Response:
    known = territory.sources(session, principal)
    typed, query, refused = _asked(request, CompareQuery, COMPARE_FIELDS, COMPARE_LABELS)
    found = None
    if query is not None:
        try:
            found = service.compare_out(session, principal, query)
        except (Invalid, NotFound) as exc:
            refused = form_errors(exc, COMPARE_FIELDS, COMPARE_LABELS)
    if not any(typed.values()) and known:
        typed = {
            "a": known[0].source,
            "b": known[1].source if len(known) > 1 else "",
            "date": max(s.last for s in known).isoformat(),
            "layer": "held",
        }
    return pages.render(
        request,
        "situation/compare.html",
        status_code=422 if refused else 200,
        refused=refused,
        values=typed,
        comparison=found,
        sources=[s.source for s in known],
        layers=territory.LAYERS,
        geojson=[f"{API}/snapshots/{found.a.id}/geojson", f"{API}/snapshots/{found.b.id}/geojson"]
        if found
        else [],
    )


# --- claims --------------------------------------------------------------------------


@router.get("/situation/claims", response_class=HTMLResponse)
def claims_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Limit = PAGE_ROWS,
    offset: Offset = 0,
    q: Search = None,
) -> Response:
    filters, refused = pages.read_filters(request, ClaimFilters)
    page = None if refused else service.claim_page(session, principal, filters, q, limit, offset)
    return pages.render(
        request,
        "situation/claims.html",
        status_code=422 if refused else 200,
        refused=refused,
        page=page or ClaimPage(items=[], total=0, limit=limit, offset=offset),
        claims=page.items if page else [],
        kinds=list(verdicts.ClaimKind),
        statuses=list(verdicts.Status),
        may_record=may_record(principal),
    )


class ClaimForm(PageForm):
    """The form recording a claim; its time is in UTC unless it names a zone."""

    summary: Short = ""
    text: Text = ""
    claimant: Short = ""
    claimant_type: Short = "person"
    kind: Short = ""
    claimed_at: Short = ""
    appeared_in: Short = ""
    appeared_url: Short = ""
    place: Short = ""
    marking: Short = "COALITION"
    rel_to: Short = ""

    def wire(self) -> ClaimIn:
        return validate(
            ClaimIn,
            {
                **{name: value.strip() for name, value in self.typed().items()},
                "text": self.text.strip(),
                "claimed_at": utc_text(self.claimed_at),
            },
            {"kind": blank_none, "claimed_at": blank_none},
        )


CLAIM_LABELS = {
    "claimant_type": "Claimant is",
    "claimed_at": "Claimed at",
    "appeared_in": "Appeared in",
    "appeared_url": "Address where it appeared",
    "rel_to": "Released to",
}


def _new_claim(request: Request, refusal: Refusal | None, values: dict[str, Any]) -> HTMLResponse:
    return pages.render(
        request,
        "situation/claim_form.html",
        status_code=refusal.status if refusal else 200,
        errors=refusal.errors if refusal else None,
        values=values,
        kinds=list(verdicts.ClaimKind),
        claimant_types=list(verdicts.ClaimantType),
        markings=list(Marking),
    )


@router.get("/situation/claims/new", response_class=HTMLResponse)
def new_claim_page(request: Request, principal: SignedIn) -> Response:
    territory.require_analyst(principal)  # no form a user could not submit
    return _new_claim(request, None, {})


@router.post("/situation/claims")
def record_claim_form(
    request: Request,
    session: DbSession,
    principal: SignedIn,
    form: Annotated[ClaimForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    territory.require_analyst(principal)  # refused before its input is read
    result = submit(
        session,
        lambda: claims.record_claim(session, principal, service.claim_in(form.wire())),
        ClaimForm.model_fields,
        CLAIM_LABELS,
    )
    if isinstance(result, Refusal):
        return _new_claim(request, result, form.typed())
    return pages.saved(request, f"/situation/claims/{result.id}", "Claim recorded.")


def _claim(
    request: Request,
    session: Session,
    principal: Principal,
    claim_id: int,
    refusal: Refusal | None = None,
    values: dict[str, Any] | None = None,
) -> HTMLResponse:
    claim = service.claim_out(session, principal, claim_id)
    return pages.render(
        request,
        "situation/claim.html",
        status_code=refusal.status if refusal else 200,
        errors=refusal.errors if refusal else None,
        # No time filled in: a page the same for every reader at every minute, and a
        # review dated by the one who records it, not by when the form was opened.
        values=values or {"confidence": "moderate"},
        claim=claim,
        claimreview=f"{API}/claims/{claim.id}/claimreview",
        may_record=may_record(principal),
        ratings=list(verdicts.Rating),
        confidences=list(verdicts.Confidence),
        reviewer_kinds=list(verdicts.ReviewerKind),
        evidence_kinds=list(verdicts.EvidenceKind),
        evidence_rows=range(1, EVIDENCE_ROWS + 1),
        markings=list(Marking),
    )


@router.get("/situation/claims/{claim_id}", response_class=HTMLResponse)
def claim_page(
    claim_id: RecordId, request: Request, session: DbSession, principal: CurrentPrincipal
) -> Response:
    return _claim(request, session, principal, claim_id)


class ReviewForm(PageForm):
    """The form adding a review to a claim, with up to three pieces of evidence."""

    reviewer: Short = ""
    reviewer_kind: Short = ""
    reviewed_at: Short = ""
    rating: Short = ""
    confidence: Short = ""
    summary: Text = ""
    url: Short = ""
    marking: Short = "COALITION"
    rel_to: Short = ""
    evidence1_kind: Short = ""
    evidence1_source: Short = ""
    evidence1_url: Short = ""
    evidence1_dated: Short = ""
    evidence1_note: Short = ""
    evidence2_kind: Short = ""
    evidence2_source: Short = ""
    evidence2_url: Short = ""
    evidence2_dated: Short = ""
    evidence2_note: Short = ""
    evidence3_kind: Short = ""
    evidence3_source: Short = ""
    evidence3_url: Short = ""
    evidence3_dated: Short = ""
    evidence3_note: Short = ""

    def evidence(self) -> tuple[list[EvidenceIn], list[tuple[str | None, str]]]:
        """The evidence rows filled in (a blank row is none), and the problems of each,
        named by the row's field."""
        found: list[EvidenceIn] = []
        problems: list[tuple[str | None, str]] = []
        for i in range(1, EVIDENCE_ROWS + 1):
            row = {
                name: str(getattr(self, f"evidence{i}_{name}")).strip() for name in EVIDENCE_FIELDS
            }
            if not any(row.values()):
                continue
            try:
                found.append(validate(EvidenceIn, row, {"kind": blank_none, "dated": blank_none}))
            except BadInput as exc:
                problems += [(f"evidence{i}_{n}" if n else None, m) for n, m in exc.problems]
        return found, problems

    def wire(self) -> ReviewIn:
        evidence, problems = self.evidence()
        own = {
            name: getattr(self, name).strip()
            for name in ReviewIn.model_fields
            if name != "evidence"
        }
        try:
            built = validate(
                ReviewIn,
                {**own, "reviewed_at": utc_text(self.reviewed_at)},
                {
                    "reviewer_kind": blank_none,
                    "rating": blank_none,
                    "confidence": blank_none,
                    "reviewed_at": blank_none,
                },
            )
        except BadInput as exc:
            raise BadInput([*exc.problems, *problems]) from None
        if problems:
            raise BadInput(problems)
        return built.model_copy(update={"evidence": evidence})


REVIEW_LABELS = {
    "reviewer_kind": "Reviewer is",
    "reviewed_at": "Reviewed at",
    "url": "Published at",
    "rel_to": "Released to",
    **{
        f"evidence{i}_{name}": f"Evidence {i}, {name if name != 'dated' else 'date'}"
        for i in range(1, EVIDENCE_ROWS + 1)
        for name in EVIDENCE_FIELDS
    },
}


@router.post("/situation/claims/{claim_id}/reviews")
def add_review_form(
    claim_id: RecordId,
    request: Request,
    session: DbSession,
    principal: SignedIn,
    form: Annotated[ReviewForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    claims.get_claim(session, principal, claim_id)  # 404 before anything else
    territory.require_analyst(principal)
    result = submit(
        session,
        lambda: claims.add_review(session, principal, claim_id, service.review_in(form.wire())),
        ReviewForm.model_fields,
        REVIEW_LABELS,
    )
    if isinstance(result, Refusal):
        return _claim(request, session, principal, claim_id, result, form.typed())
    return pages.saved(
        request, f"/situation/claims/{claim_id}#review-{result.id}", "Review recorded."
    )
