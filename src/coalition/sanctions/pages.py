"""Sanctions pages: the lists, the entities listed on a day, one entity (with every
listing of its target across members), the members × themes matrix, the gap between two
parties (and a proposal tabled from it), and the review queue of candidate pairs."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from coalition.core.db import utcnow
from coalition.core.errors import Forbidden, Invalid, NotFound
from coalition.core.filters import ListFilters
from coalition.core.forms import (
    FormErrors,
    PageForm,
    Refusal,
    Short,
    Text,
    blank_none,
    form_errors,
    submit,
    ticked,
    utc_text,
    validate,
    whole,
)
from coalition.core.marking import Marking, note_shown
from coalition.core.principal import WRITING_ROLES, Principal
from coalition.core.schemas import Page
from coalition.core.wiretypes import IsoDate
from coalition.deps import CurrentPrincipal, DbSession, Limit, Offset, Search, SignedIn
from coalition.meetings import service as meetings
from coalition.meetings.model import MeetingKind
from coalition.members import service as members
from coalition.sanctions import alignment, matching, proposals, resolution, service
from coalition.sanctions.clusters import Judgement
from coalition.sanctions.model import Entity
from coalition.sanctions.reading import property_labels
from coalition.sanctions.routes import (
    EntityIdPath,
    EntitySort,
    ListCodePath,
    application_out,
    judgement_out,
)
from coalition.sanctions.schemas import (
    EntityFilters,
    GapProposalIn,
    JudgementIn,
    Kind,
    Party,
    RevisitIn,
    Theme,
)
from coalition.sanctions.themes import THEMES
from coalition.web import pages

router = APIRouter(include_in_schema=False)

# Other capabilities through their declared surfaces (pyproject's import contract): the
# decisions service as sanctions reaches it to table a gap (``proposals``), for who may
# table a proposal and the rules one is put under; the meetings service's kinds.

PAGE_ROWS = 50
FILTERS = ("list", "schema", "as_of")  # as the page's address and the API name them
SCHEMAS = ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane", "Sanction")


def _filters(request: Request) -> tuple[EntityFilters, FormErrors | None]:
    """The filters the address names; a refused one is said beside its field."""
    data = {
        name: text.strip()
        for name in FILTERS
        if (text := request.query_params.get(name)) is not None and text.strip()
    }
    try:
        return EntityFilters.model_validate(data), None
    except ValidationError as exc:
        return EntityFilters(), form_errors(exc, list(FILTERS), EntityFilters.labels)


@router.get("/sanctions", response_class=HTMLResponse)
def lists_page(request: Request, session: DbSession, principal: CurrentPrincipal) -> Response:
    return pages.render(
        request, "sanctions/lists.html", lists=service.list_lists(session, principal)
    )


@router.get("/sanctions/entities", response_class=HTMLResponse)
def entities_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Limit = PAGE_ROWS,
    offset: Offset = 0,
    sort: EntitySort = None,
    q: Search = None,
) -> Response:
    filters, refused = _filters(request)
    page = pages.filtered(
        refused,
        lambda: service.list_entities(
            session, principal, **filters.values(), limit=limit, offset=offset, sort=sort, q=q
        ),
        limit,
        offset,
    )
    return pages.render(
        request,
        "sanctions/entities.html",
        status_code=422 if refused else 200,
        refused=refused,
        page=page,
        entities=page.items,
        total=page.total,
        as_of=filters.as_of,
        lists=[(x.code, x.name) for x in service.list_lists(session, principal)],
        schemas=SCHEMAS,
    )


@router.get("/sanctions/entities/{list_code}/{entity_id}", response_class=HTMLResponse)
def entity_page(
    list_code: ListCodePath,
    entity_id: EntityIdPath,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
) -> Response:
    entity = service.get_entity(session, principal, list_code, entity_id)
    labelled = property_labels(entity.schema_name, sorted(entity.properties))
    timeline = alignment.target_timeline(session, principal, list_code, entity_id)
    return pages.render(
        request,
        "sanctions/entity.html",
        entity=entity,
        labelled=labelled,
        timeline=timeline,
        themes=THEMES,
    )


# --- the members × themes matrix ---------------------------------------------------------


class DayFilter(ListFilters):
    """The day a page answers as of (default: today)."""

    as_of: IsoDate | None = None

    labels = {"as_of": "As of"}


@router.get("/sanctions/matrix", response_class=HTMLResponse)
def matrix_page(request: Request, session: DbSession, principal: CurrentPrincipal) -> Response:
    filters, refused = pages.read_filters(request, DayFilter)
    found = None if refused else alignment.matrix(session, principal, as_of=filters.as_of)
    held: dict[str, list[Any]] = {}
    if found is not None:
        for row in alignment.applications(session, principal, as_of=found.as_of):
            held.setdefault(row.member_code, []).append(application_out(row))
    return pages.render(
        request,
        "sanctions/matrix.html",
        status_code=422 if refused else 200,
        refused=refused,
        matrix=found,
        applications=held,
        themes=THEMES,
        coalition=alignment.COALITION,
    )


# --- the gap between two parties ----------------------------------------------------------


class GapFilters(ListFilters):
    """The gap page's question, as its address names it (the API's ``GapQuery``)."""

    a: Party | None = None
    b: Party | None = None
    theme: Theme | None = None
    kind: Kind | None = None
    as_of: IsoDate | None = None
    since: IsoDate | None = None

    labels = {"a": "Listed by (A)", "b": "Not listed by (B)", "as_of": "As of", "since": "Since"}


GAP_FIELDS = tuple(GapFilters.model_fields)


def _refusal_of(error: Invalid | NotFound, filters: GapFilters) -> FormErrors:
    """A refused question in plain words; an unknown party beside its field."""
    refused = form_errors(error, GAP_FIELDS, GapFilters.labels)
    if isinstance(error, NotFound):
        unknown = error.detail.rsplit(" ", 1)[-1]
        for name in ("a", "b"):
            if getattr(filters, name) == unknown:
                return FormErrors(refused.summary, {name: error.detail})
    return refused


def _last_summit(session: Session, principal: Principal, day: dt.date) -> Any:
    """The latest summit the reader may see held before ``day``, or None."""
    found = meetings.list_meetings(
        session,
        principal,
        kind=MeetingKind.SUMMIT,
        until=day - dt.timedelta(days=1),
        sort="-held_on",
        limit=1,
    )
    return found.items[0] if found.items else None


def _parties(session: Session, principal: Principal) -> list[tuple[str, str]]:
    """The parties a reader may name: the coalition, the members, the lists it may see."""
    codes = sorted(members.visible_codes(session, principal))
    lists = [(x.code, x.name) for x in service.list_lists(session, principal)]
    return [(alignment.COALITION, "every member's lists"), *[(c, c) for c in codes], *lists]


class GapProposalForm(PageForm):
    """The form tabling a proposal to align on a gap's targets (the gap's own fields hidden)."""

    a: Short = ""
    b: Short = ""
    theme: Short = ""
    kind: Short = ""
    as_of: Short = ""
    title: Short = ""
    text: Text = ""
    rule: Short = "consensus"
    deadline: Short = ""
    meeting_id: Short = ""
    marking: Short = "COALITION"
    rel_to: Short = ""
    limit: Short = "100"
    reinforced: Short = ""

    def wire(self) -> GapProposalIn:
        return validate(
            GapProposalIn,
            {
                **self.typed(),
                "title": self.title.strip(),
                "text": self.text.strip(),
                "deadline": utc_text(self.deadline),
                "reinforced": ticked(self.reinforced),
            },
            {
                "meeting_id": whole,
                "limit": whole,
                "theme": blank_none,
                "kind": blank_none,
                "as_of": blank_none,
            },
        )


PROPOSAL_LABELS = {
    "rule": "Decision rule",
    "meeting_id": "Meeting",
    "rel_to": "Released to",
    "limit": "Targets",
}


def _gap_page(
    request: Request,
    session: Session,
    principal: Principal,
    limit: int,
    offset: int,
    refusal: Refusal | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    filters, refused = pages.read_filters(request, GapFilters)
    found = None
    if refused is None and filters.a and filters.b:
        try:
            found = alignment.gap(
                session, principal, **filters.values(), limit=limit, offset=offset
            )
        except (Invalid, NotFound) as exc:
            refused = _refusal_of(exc, filters)
    rows: Page[alignment.GapRow] = Page(
        items=found.rows if found else [],
        total=found.total if found else 0,
        limit=limit,
        offset=offset,
    )
    day = found.as_of if found else (filters.as_of or utcnow().date())
    may_table = found is not None and found.total > 0 and proposals.may_table(principal)
    status = refusal.status if refusal else (422 if refused else 200)
    return pages.render(
        request,
        "sanctions/gap.html",
        status_code=status,
        refused=refused,
        gap=found,
        page=rows,
        summit=_last_summit(session, principal, day) if found else None,
        parties=_parties(session, principal),
        themes=THEMES,
        kinds=[(k, k) for k in alignment.KIND_ORDER],
        may_table=may_table,
        rules=list(proposals.RULES),
        markings=list(Marking),
        meetings=meetings.list_meetings(session, principal, limit=500).items if may_table else [],
        errors=refusal.errors if refusal else None,
        values=values or {"limit": str(min(found.total, 100)) if found else "100"},
        max_targets=proposals.MAX_TARGETS,
    )


@router.get("/sanctions/gap", response_class=HTMLResponse)
def gap_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Limit = PAGE_ROWS,
    offset: Offset = 0,
) -> Response:
    return _gap_page(request, session, principal, limit, offset)


@router.post("/sanctions/gap/proposals")
def table_gap_form(
    request: Request,
    session: DbSession,
    principal: SignedIn,
    form: Annotated[GapProposalForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    proposals.require_tabler(principal)  # refused before its input is read

    def table() -> int:
        data = form.wire()
        found = alignment.gap(
            session,
            principal,
            data.a,
            data.b,
            theme=data.theme,
            kind=data.kind,
            as_of=data.as_of,
            limit=data.limit,
        )
        proposal_id, _ = proposals.table_gap(
            session, principal, proposals.proposal_of(data), found, limit=data.limit
        )
        return proposal_id

    result = submit(session, table, GapProposalForm.model_fields, PROPOSAL_LABELS)
    if isinstance(result, Refusal):
        # The form posts to an address carrying the gap's question: shown again as asked.
        return _gap_page(request, session, principal, PAGE_ROWS, 0, result, form.typed())
    return pages.saved(request, f"/proposals/{result}", "Proposal tabled with the gap's targets.")


# --- the review queue ---------------------------------------------------------------------

REVIEW_ROWS = 20
JUDGEMENT_WORDS = {"positive": "Same", "negative": "Different", "unsure": "Unsure"}


def may_judge(principal: Principal) -> bool:
    """Whether the reader may judge pairs and run resolution (a member's writing role)."""
    return principal.member is not None and principal.role in WRITING_ROLES


def _require_judge(principal: Principal) -> None:
    if not may_judge(principal):
        raise Forbidden("a viewer reads judgements; a member's user with a writing role makes them")


def _briefs(session: Session, principal: Principal, refs: list[str]) -> dict[str, Entity]:
    """The latest listing of each target the reader may see (noted for the page's
    marking), in one query per list; a malformed ref is left out."""
    try:
        found = resolution.entities_of(session, principal, refs)
    except Invalid:
        found = {}
        for ref in refs:
            try:
                found.update(resolution.entities_of(session, principal, [ref]))
            except Invalid:
                continue
    for entity in found.values():
        note_shown(Marking(entity.marking), entity.owner_code, entity.rel_to)
    return found


# The properties each of the resolver's compared features is read from.
EVIDENCE_PROPERTIES: dict[str, tuple[str, ...]] = {
    "name": (*matching.NAMES, *matching.PERSON_PARTS),
    "year": matching.YEARS,
    "country": matching.COUNTRIES,
    **{name: props for name, props, _ in matching.STRONG},
}


def _side_by_side(
    left: Entity | None, right: Entity | None, evidence: list[list[Any]]
) -> list[tuple[str, list[str], list[str], str]]:
    """(label, left values, right values, agree|disagree|"") per property of either side."""
    props_left = left.properties if left else {}
    props_right = right.properties if right else {}
    names = sorted(set(props_left) | set(props_right))
    either = left or right
    schema = either.schema if either is not None else "Thing"
    verdicts: dict[str, str] = {}
    for item in evidence:
        if len(item) >= 4:
            for prop in EVIDENCE_PROPERTIES.get(str(item[0]), (str(item[0]),)):
                verdicts.setdefault(prop, str(item[3]))
    return [
        (label, props_left.get(name, []), props_right.get(name, []), verdicts.get(name, ""))
        for name, label in property_labels(schema, names)
    ]


def _pair(
    session: Session,
    principal: Principal,
    left: str,
    right: str,
    held: dict[str, Entity] | None = None,
    history: list[Any] | None = None,
) -> dict[str, Any]:
    """Two targets side by side with the pair's history; ``held`` and ``history`` what
    was already read for a whole page."""
    held = held if held is not None else _briefs(session, principal, [left, right])
    if history is None:
        history = resolution.history(session, principal, left, right)
    return {
        "left_ref": left,
        "right_ref": right,
        "left": held.get(left),
        "right": held.get(right),
        "history": [judgement_out(j) for j in history],
    }


def _review_page(
    request: Request,
    session: Session,
    principal: Principal,
    limit: int,
    offset: int,
    left: str | None = None,
    right: str | None = None,
    refusal: Refusal | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    found, total = resolution.open_candidates(session, principal, limit=limit, offset=offset)
    held = _briefs(session, principal, [ref for c in found for ref in (c.left_ref, c.right_ref)])
    pasts = resolution.histories(session, principal, [(c.left_ref, c.right_ref) for c in found])
    queue = []
    for c in found:
        past = pasts[(min(c.left_ref, c.right_ref), max(c.left_ref, c.right_ref))]
        pair = _pair(session, principal, c.left_ref, c.right_ref, held, past)
        evidence = [list(e) for e in c.evidence]
        queue.append(
            {
                **pair,
                "id": c.id,
                "score": c.score,
                "rule": c.rule,
                "evidence": evidence,
                "rows": _side_by_side(pair["left"], pair["right"], evidence),
            }
        )
    looked_up = None
    if left and right:
        looked_up = _pair(session, principal, left, right)
        looked_up["rows"] = _side_by_side(looked_up["left"], looked_up["right"], [])
    return pages.render(
        request,
        "sanctions/review.html",
        status_code=refusal.status if refusal else 200,
        queue=queue,
        page=Page(items=queue, total=total, limit=limit, offset=offset),
        looked_up=looked_up,
        may_judge=may_judge(principal),
        markings=list(Marking),
        words=JUDGEMENT_WORDS,
        errors=refusal.errors if refusal else None,
        values=values or {},
    )


Ref = Annotated[str | None, Query(max_length=250)]


@router.get("/sanctions/review", response_class=HTMLResponse)
def review_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Limit = REVIEW_ROWS,
    offset: Offset = 0,
    left: Ref = None,
    right: Ref = None,
) -> Response:
    return _review_page(request, session, principal, limit, offset, left, right)


class JudgementForm(PageForm):
    """A person's judgement of a pair: same, different or unsure, with a note."""

    left: Short = ""
    right: Short = ""
    judgement: Short = ""
    note: Text = ""
    marking: Short = "COALITION"
    rel_to: Short = ""

    def wire(self) -> JudgementIn:
        return validate(JudgementIn, {**self.typed(), "note": self.note.strip()})


def _back_to_pair(left: str, right: str) -> str:
    from urllib.parse import urlencode

    return "/sanctions/review?" + urlencode({"left": left, "right": right}) + "#pair"


@router.post("/sanctions/review/judgements")
def judge_form(
    request: Request,
    session: DbSession,
    principal: SignedIn,
    form: Annotated[JudgementForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    _require_judge(principal)

    def judge() -> Any:
        data = form.wire()
        return resolution.judge(
            session,
            principal,
            data.left,
            data.right,
            Judgement(data.judgement),
            note=data.note,
            marking=data.marking,
            rel_to=data.rel_to,
        )

    result = submit(session, judge, JudgementForm.model_fields, {"rel_to": "Released to"})
    if isinstance(result, Refusal):
        return _review_page(
            request,
            session,
            principal,
            REVIEW_ROWS,
            0,
            form.left[:250] or None,
            form.right[:250] or None,
            result,
            form.typed(),
        )
    word = JUDGEMENT_WORDS.get(form.judgement, form.judgement)
    return pages.saved(
        request, _back_to_pair(result.left_ref, result.right_ref), f"Judged: {word}."
    )


class RevisitForm(PageForm):
    left: Short = ""
    right: Short = ""

    def wire(self) -> RevisitIn:
        return validate(RevisitIn, self.typed())


@router.post("/sanctions/review/revisit")
def revisit_form(
    request: Request,
    session: DbSession,
    principal: SignedIn,
    form: Annotated[RevisitForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    _require_judge(principal)

    def revisit() -> Any:
        data = form.wire()
        return resolution.revisit(session, principal, data.left, data.right)

    result = submit(session, revisit, RevisitForm.model_fields)
    if isinstance(result, Refusal):
        return _review_page(
            request,
            session,
            principal,
            REVIEW_ROWS,
            0,
            form.left[:250] or None,
            form.right[:250] or None,
            result,
            {**form.typed(), "revisit": True},
        )
    return pages.saved(
        request, _back_to_pair(form.left, form.right), "Judgement ended: the pair is open again."
    )


class FindForm(PageForm):
    """Run resolution over every list the reader may see."""


@router.post("/sanctions/review/find")
def find_form(
    request: Request,
    session: DbSession,
    principal: SignedIn,
    form: Annotated[FindForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    _require_judge(principal)
    found = resolution.find_candidates(session, principal)
    return pages.saved(
        request,
        "/sanctions/review",
        f"Found {found.candidates} candidate pairs among {found.targets} targets; "
        f"{found.judged_by_rule} judged the same by rule, {found.refused} refused by rule.",
    )
