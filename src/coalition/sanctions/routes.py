"""HTTP routes for sanctions. Thin: parse, call the service, render."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel

from coalition.core import exports
from coalition.core.schemas import Page
from coalition.core.wiretypes import IsoDate
from coalition.deps import (
    ERROR_RESPONSES,
    CurrentPrincipal,
    DbSession,
    Limit,
    Offset,
    Search,
    SignedIn,
)
from coalition.sanctions import alignment, proposals, resolution, service
from coalition.sanctions.clusters import Judgement
from coalition.sanctions.schemas import (
    ApplicationIn,
    ApplicationPublic,
    CandidateOut,
    CandidatePage,
    EntityFilters,
    EntityPublic,
    EntitySummary,
    GapOut,
    GapProposalIn,
    GapProposalOut,
    GapQuery,
    GapRowOut,
    JudgementIn,
    JudgementOut,
    Kind,
    ListingOut,
    ListPublic,
    MatrixOut,
    MatrixRow,
    Party,
    ResolveIn,
    ResolveOut,
    RevisitIn,
    TargetBrief,
    Theme,
)
from coalition.sanctions.vocabulary import LIST_CODE_TEXT

router = APIRouter(tags=["sanctions"], responses=ERROR_RESPONSES)

EntitySort = Annotated[str | None, service.ENTITIES.sort_param()]
EntityQuery = Annotated[EntityFilters, Query()]
ListCodePath = Annotated[str, Path(pattern=LIST_CODE_TEXT, description="The list's code")]
EntityIdPath = Annotated[str, Path(max_length=200, description="The entity's FtM id")]


@router.get("/sanctions/lists", response_model=list[ListPublic])
def list_lists(session: DbSession, principal: CurrentPrincipal) -> list[ListPublic]:
    """The sanctions lists you may see, with what each lists now and its latest snapshot."""
    return service.list_lists(session, principal)


@router.get("/sanctions/entities", response_model=Page[EntitySummary])
def list_entities(
    session: DbSession,
    principal: CurrentPrincipal,
    filters: EntityQuery,
    sort: EntitySort = None,
    q: Search = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page[EntitySummary]:
    """Entities you may see listed on ``as_of`` (default: listed now); every filter holds."""
    return service.list_entities(
        session, principal, **filters.values(), limit=limit, offset=offset, sort=sort, q=q
    )


@router.get("/sanctions/entities/{list_code}/{entity_id}", response_model=EntityPublic)
def get_entity(
    list_code: ListCodePath,
    entity_id: EntityIdPath,
    session: DbSession,
    principal: CurrentPrincipal,
) -> EntityPublic:
    """One entity of one list, with every listing period and the changes within each."""
    return service.get_entity(session, principal, list_code, entity_id)


def gap_out(found: alignment.Gap) -> GapOut:
    return GapOut(
        a=found.a,
        b=found.b,
        theme=found.theme,
        kind=found.kind,
        as_of=found.as_of,
        since=found.since,
        total=found.total,
        rows=[
            GapRowOut(
                target=r.target,
                caption=r.caption,
                kind=r.kind,
                schema_name=r.schema,
                members=r.members,
                un_listed=r.un_listed,
                first_listed=r.first_listed,
                opened=r.opened,
                listings=[ListingOut(**vars(x)) for x in r.listings],
            )
            for r in found.rows
        ],
    )


def matrix_out(found: alignment.Matrix) -> MatrixOut:
    return MatrixOut(
        as_of=found.as_of,
        themes=found.themes,
        rows=[MatrixRow(party=p, counts=c, total=t) for p, c, t in found.rows],
    )


def application_out(row: Any) -> ApplicationPublic:
    return ApplicationPublic.of(
        row,
        id=row.id,
        member_code=row.member_code,
        list_code=row.list_code,
        since=row.since,
        until=row.until,
        note=row.note,
    )


def judgement_out(row: Any) -> JudgementOut:
    return JudgementOut.of(
        row,
        id=row.id,
        left_ref=row.left_ref,
        right_ref=row.right_ref,
        judgement=row.judgement,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        note=row.note,
        ended_at=row.ended_at,
        ended_by=row.ended_by,
    )


def brief(entity: Any) -> TargetBrief | None:
    if entity is None:
        return None
    return TargetBrief(
        ref=f"{entity.list_code}:{entity.entity_id}",
        list_code=entity.list_code,
        schema_name=entity.schema,
        caption=entity.caption,
        properties=entity.properties,
    )


def candidates_out(session: Any, principal: Any, limit: int, offset: int) -> CandidatePage:
    rows, total = resolution.open_candidates(session, principal, limit=limit, offset=offset)
    held = resolution.entities_of(
        session, principal, [ref for c in rows for ref in (c.left_ref, c.right_ref)]
    )
    return CandidatePage(
        total=total,
        items=[
            CandidateOut(
                id=c.id,
                left_ref=c.left_ref,
                right_ref=c.right_ref,
                score=c.score,
                rule=c.rule,
                evidence=[[str(v) for v in e] for e in c.evidence],
                left=brief(held.get(c.left_ref)),
                right=brief(held.get(c.right_ref)),
            )
            for c in rows
        ],
    )


GapParams = Annotated[GapQuery, Query()]


@router.get("/sanctions/gap", response_model=GapOut)
def get_gap(
    params: GapParams,
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Limit = 100,
    offset: Offset = 0,
) -> GapOut:
    """Targets party ``a`` lists (under ``theme``) and ``b`` does not, on ``as_of``,
    ranked (most members listing it, the UN's, vessels and banks, the longest listed),
    each with every listing you may see as its evidence."""
    return gap_out(
        alignment.gap(session, principal, **params.model_dump(), limit=limit, offset=offset)
    )


@router.get("/sanctions/matrix", response_model=MatrixOut)
def get_matrix(
    session: DbSession, principal: CurrentPrincipal, as_of: IsoDate | None = None
) -> MatrixOut:
    """For each member (and the coalition), distinct targets its lists designate, by theme."""
    return matrix_out(alignment.matrix(session, principal, as_of=as_of))


@router.get("/sanctions/applications", response_model=list[ApplicationPublic])
def list_applications(
    session: DbSession, principal: CurrentPrincipal, as_of: IsoDate | None = None
) -> list[ApplicationPublic]:
    """Which member applies which list, since when."""
    return [application_out(a) for a in alignment.applications(session, principal, as_of=as_of)]


@router.post("/sanctions/applications", response_model=ApplicationPublic, status_code=201)
def add_application(
    data: ApplicationIn, session: DbSession, principal: SignedIn
) -> ApplicationPublic:
    """Record that a member applies a list from a day (its own users, or the secretariat)."""
    row = alignment.apply_list(
        session, principal, data.member, data.list, data.since, until=data.until, note=data.note
    )
    return application_out(row)


@router.get("/sanctions/candidates", response_model=CandidatePage)
def list_candidates(
    session: DbSession, principal: CurrentPrincipal, limit: Limit = 50, offset: Offset = 0
) -> CandidatePage:
    """Pairs the resolver proposes that no judgement you may see settles, best first."""
    return candidates_out(session, principal, limit, offset)


@router.post("/sanctions/resolve", response_model=ResolveOut)
def resolve(data: ResolveIn, session: DbSession, principal: SignedIn) -> ResolveOut:
    """Propose pairs across the lists you may see; judge by rule those a strong
    identifier joins (between public lists)."""
    found = resolution.find_candidates(session, principal, data.lists)
    return ResolveOut(**vars(found))


@router.post("/sanctions/judgements", response_model=JudgementOut, status_code=201)
def add_judgement(data: JudgementIn, session: DbSession, principal: SignedIn) -> JudgementOut:
    """Judge two targets the same (positive), different (negative) or unsure."""
    row = resolution.judge(
        session,
        principal,
        data.left,
        data.right,
        Judgement(data.judgement),
        note=data.note,
        marking=data.marking,
        rel_to=data.rel_to,
    )
    return judgement_out(row)


@router.post("/sanctions/judgements/revisit", response_model=list[JudgementOut])
def revisit_judgement(
    data: RevisitIn, session: DbSession, principal: SignedIn
) -> list[JudgementOut]:
    """End the live judgement of two targets; the pair's history, ended ones included."""
    resolution.revisit(session, principal, data.left, data.right)
    return [judgement_out(j) for j in resolution.history(session, principal, data.left, data.right)]


@router.get("/sanctions/judgements", response_model=list[JudgementOut])
def pair_history(
    session: DbSession,
    principal: CurrentPrincipal,
    left: Annotated[str, Query(max_length=250)],
    right: Annotated[str, Query(max_length=250)],
) -> list[JudgementOut]:
    """Every judgement of a pair you may see, oldest first."""
    return [judgement_out(j) for j in resolution.history(session, principal, left, right)]


@router.post("/sanctions/gap/proposals", response_model=GapProposalOut, status_code=201)
def table_gap(data: GapProposalIn, session: DbSession, principal: SignedIn) -> GapProposalOut:
    """Table a proposal to align on the gap's first ``limit`` targets, the list attached."""
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
    proposal = proposals.proposal_of(data)
    proposal_id, attached = proposals.table_gap(
        session, principal, proposal, found, limit=data.limit
    )
    return GapProposalOut(proposal_id=proposal_id, targets=len(attached.targets))


class GapLine(BaseModel):
    """One listing of one target of a gap, as a line of the gap's file."""

    rank: int
    target: str
    caption: str
    kind: str
    members_listing: list[str]
    un_listed: bool
    first_listed: dt.date
    opened: bool
    list_code: str
    list_members: list[str]
    program: str
    theme: str
    authority_id: str
    listing_date: dt.date | None
    reason: str


def gap_lines(found: alignment.Gap) -> list[GapLine]:
    return [
        GapLine(
            rank=rank,
            target=r.target,
            caption=r.caption,
            kind=r.kind,
            members_listing=r.members,
            un_listed=r.un_listed,
            first_listed=r.first_listed,
            opened=r.opened,
            list_code=x.list_code,
            list_members=x.members,
            program=x.program,
            theme=x.theme,
            authority_id=x.authority_id,
            listing_date=x.listing_date,
            reason=x.reason,
        )
        for rank, r in enumerate(found.rows, start=1)
        for x in r.listings
    ]


@router.get("/sanctions/gap/export", response_class=Response, responses=exports.RESPONSES)
def export_gap(
    session: DbSession,
    principal: CurrentPrincipal,
    a: Party,
    b: Party,
    theme: Theme | None = None,
    kind: Kind | None = None,
    as_of: IsoDate | None = None,
    since: IsoDate | None = None,
    format: exports.ListFormat = "csv",
) -> Response:
    """The gap as a file, one line per listing of each target, ranked as the gap is.

    The CSV's first line is ``# marking: ...`` (the highest marking of what the gap rests
    on); its text cells are neutralised. The JSON carries ``"marking"`` beside its rows."""
    found = alignment.gap(
        session, principal, a, b, theme=theme, kind=kind, as_of=as_of, since=since
    )
    body = exports.export(gap_lines(found), GapLine, format, "rows")
    return exports.attachment(body, format, f"gap-{found.a}-{found.b}-{found.as_of}")
