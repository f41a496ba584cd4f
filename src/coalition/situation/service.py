"""The situation's answers in their wire shapes, for the routes, the pages and the commands.

The operations themselves are in :mod:`~coalition.situation.territory` (snapshots, areas,
changes) and :mod:`~coalition.situation.claims` (claims and reviews); this module turns
their results into :mod:`~coalition.situation.schemas` shapes, so that the API, the pages
and the command line say the same thing.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy.orm import Session

from coalition.core.marking import Marking
from coalition.core.principal import Principal
from coalition.core.visibility import visible_select
from coalition.situation import claimreview, claims, frontline, geometry, territory, verdicts
from coalition.situation.model import Claim, Review
from coalition.situation.schemas import (
    ChangeOut,
    ChangeQuery,
    ClaimFilters,
    ClaimIn,
    ClaimOut,
    ClaimPage,
    CompareOut,
    CompareQuery,
    ImportedOut,
    RegionChangeOut,
    ReviewIn,
    ReviewOut,
    SnapshotFilters,
    SnapshotOut,
    SnapshotPage,
    claim_summary,
)


def snapshot_page(
    session: Session, principal: Principal, filters: SnapshotFilters, limit: int, offset: int
) -> SnapshotPage:
    total, rows = territory.list_snapshots(
        session, principal, **filters.values(), limit=limit, offset=offset
    )
    return SnapshotPage(
        items=[SnapshotOut.from_row(r) for r in rows], total=total, limit=limit, offset=offset
    )


def snapshot_feature(
    session: Session,
    principal: Principal,
    snapshot_id: int,
    zoom: int,
    bounds: tuple[float, float, float, float] | None,
) -> str:
    """The snapshot as a GeoJSON Feature for a map at ``zoom``: its shape simplified (and
    cut to ``bounds``), its figures as properties."""
    snapshot = territory.get_snapshot(session, principal, snapshot_id)
    shape = territory.map_shape(session, snapshot, zoom, bounds)
    properties = {
        "id": snapshot.id,
        "source": snapshot.source,
        "date": snapshot.taken_on.isoformat(),
        "layer": snapshot.layer,
        "area_km2": snapshot.area_km2,
        "marking": snapshot.marking_label,
        "illustrative": snapshot.illustrative,
    }
    SnapshotOut.from_row(snapshot)  # notes the marking shown
    drawn = geometry.to_geojson(shape, geometry.precision_for(zoom))
    return (
        '{"type":"Feature","properties":'
        + json.dumps(properties, separators=(",", ":"))
        + ',"geometry":'
        + drawn
        + "}"
    )


def line_feature(
    session: Session,
    principal: Principal,
    source: str | None,
    day: dt.date,
    zoom: int,
    bounds: tuple[float, float, float, float] | None,
) -> str:
    """The line of contact drawn from the held snapshot of ``source`` on ``day`` (or the
    latest before it), as a GeoJSON Feature for a map at ``zoom``."""
    snapshot = territory.latest_held(session, principal, source, day)
    line = frontline.line_of_contact(territory.map_shape(session, snapshot, zoom, bounds))
    properties = {
        "snapshot_id": snapshot.id,
        "source": snapshot.source,
        "date": snapshot.taken_on.isoformat(),
        "method": snapshot.method,
        "marking": snapshot.marking_label,
        "illustrative": snapshot.illustrative,
    }
    SnapshotOut.from_row(snapshot)  # notes the marking shown
    drawn = geometry.to_geojson(line, geometry.precision_for(zoom))
    return (
        '{"type":"Feature","properties":'
        + json.dumps(properties, separators=(",", ":"))
        + ',"geometry":'
        + drawn
        + "}"
    )


def _shape_json(shape: Any) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(geometry.to_geojson(shape, 5))
    return found


def change_out(session: Session, principal: Principal, query: ChangeQuery) -> ChangeOut:
    found = territory.change(session, principal, query.source, query.start, query.end, query.layer)
    return ChangeOut(
        source=found.source,
        layer=found.layer,
        earlier=SnapshotOut.from_row(found.earlier),
        later=SnapshotOut.from_row(found.later),
        earlier_km2=found.earlier_km2,
        later_km2=found.later_km2,
        gained_km2=found.gained_km2,
        lost_km2=found.lost_km2,
        net_km2=round(found.later_km2 - found.earlier_km2, 3),
        regions=[RegionChangeOut(**vars(r)) for r in found.regions],
        gained=_shape_json(found.gained) if query.geometry and found.gained is not None else None,
        lost=_shape_json(found.lost) if query.geometry and found.lost is not None else None,
    )


def compare_out(session: Session, principal: Principal, query: CompareQuery) -> CompareOut:
    found = territory.compare(session, principal, query.a, query.b, query.date, query.layer)
    return CompareOut(
        date=found.day,
        layer=found.layer,
        a=SnapshotOut.from_row(found.a),
        b=SnapshotOut.from_row(found.b),
        only_a_km2=found.only_a_km2,
        only_b_km2=found.only_b_km2,
    )


# Claims --------------------------------------------------------------------------------


def claim_in(data: ClaimIn) -> claims.ClaimIn:
    return claims.ClaimIn(
        summary=data.summary,
        text=data.text,
        claimant=data.claimant,
        claimant_type=data.claimant_type.value,
        kind=data.kind.value,
        claimed_at=data.claimed_at,
        appeared_in=data.appeared_in,
        appeared_url=data.appeared_url,
        place=data.place,
        area=data.area,
        marking=data.marking,
        rel_to=data.rel_to,
    )


def review_in(data: ReviewIn) -> claims.ReviewIn:
    return claims.ReviewIn(
        reviewer=data.reviewer,
        reviewer_kind=data.reviewer_kind.value,
        reviewed_at=data.reviewed_at,
        rating=data.rating.value,
        confidence=data.confidence.value,
        summary=data.summary,
        url=data.url,
        evidence=[
            claims.EvidenceIn(e.kind.value, e.source, e.url, e.dated, e.note) for e in data.evidence
        ],
        marking=data.marking,
        rel_to=data.rel_to,
    )


def claim_out(session: Session, principal: Principal, claim_id: int) -> ClaimOut:
    view = claims.view_claim(session, principal, claim_id)
    claim = view.claim
    return ClaimOut.of(
        claim,
        id=claim.id,
        summary=claim.summary,
        text=claim.text,
        claimant=claim.claimant,
        claimant_type=claim.claimant_type,
        kind=claim.kind,
        claimed_at=claim.claimed_at,
        appeared_in=claim.appeared_in,
        appeared_url=claim.appeared_url,
        place=claim.place,
        area=json.loads(claim.area) if claim.area else None,
        status=view.status.value,
        history=[(at, status.value) for at, status in view.history],
        reviews=[ReviewOut.from_row(r) for r in view.reviews],
        snapshots=[SnapshotOut.from_row(s) for s in view.snapshots],
        version=claim.version,
    )


def claim_page(
    session: Session,
    principal: Principal,
    filters: ClaimFilters,
    q: str | None,
    limit: int,
    offset: int,
) -> ClaimPage:
    values = filters.values()
    total, rows = claims.list_claims(
        session,
        principal,
        kind=values["kind"].value if values["kind"] else None,
        status=values["status"].value if values["status"] else None,
        claimant=values["claimant"],
        since=values["since"],
        until=values["until"],
        q=q,
        limit=limit,
        offset=offset,
    )
    return ClaimPage(
        items=[claim_summary(r.claim, r.status.value, r.reviews) for r in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


# ClaimReview ---------------------------------------------------------------------------


def claimreviews(
    session: Session, principal: Principal, claim_id: int, base_url: str
) -> list[dict[str, Any]]:
    """The claim's reviews the reader may see as ClaimReview JSON-LD documents, each at
    this site's page of the review (the reviewer's own page, if any, is what it is based
    on)."""
    view = claims.view_claim(session, principal, claim_id)
    claim = view.claim
    facts = claimreview.ClaimFacts(
        summary=claim.summary,
        claimant=claim.claimant,
        claimant_type=verdicts.ClaimantType(claim.claimant_type),
        claimed_at=claim.claimed_at,
        text=claim.text,
        appeared_in=claim.appeared_in,
        appeared_url=claim.appeared_url,
    )
    page = f"{base_url.rstrip('/')}/situation/claims/{claim.id}"
    return [
        claimreview.to_claimreview(
            facts,
            claimreview.ReviewFacts(
                reviewer=r.reviewer,
                reviewed_at=r.reviewed_at,
                rating=verdicts.Rating(r.rating),
                confidence=verdicts.Confidence(r.confidence),
                summary=r.summary,
                url=r.url,
            ),
            f"{page}#review-{r.id}",  # the reviewer's own page goes in isBasedOn
        )
        for r in view.reviews
    ]


def import_claimreviews(session: Session, principal: Principal, source: object) -> ImportedOut:
    """Record ClaimReview JSON-LD as claims and reviews, PUBLIC like the fact-checks they
    are. A claim already held (same words, same claimant) gains the review; a review
    already held (same claim, reviewer and time) is skipped, so importing twice adds
    nothing."""
    territory.require_analyst(principal)
    made_claims = made_reviews = read = 0
    problems: list[str] = []
    for item in claimreview.from_claimreview(source):
        if isinstance(item, claimreview.Problem):
            problems.append(f"{item.where}: {item.reason}")
            continue
        read += 1
        found, review = item.claim, item.review
        claimant = found.claimant or "unnamed"
        claim = claims.find_claim(session, principal, found.summary, claimant)
        if claim is None:
            claim = claims.record_claim(
                session,
                principal,
                claims.ClaimIn(
                    summary=found.summary,
                    claimant=claimant,
                    kind=verdicts.ClaimKind.OTHER.value,
                    claimed_at=found.claimed_at or review.reviewed_at,
                    text=found.text,
                    claimant_type=found.claimant_type.value,
                    appeared_in=found.appeared_in,
                    appeared_url=found.appeared_url,
                    marking=Marking.PUBLIC,
                    source_title=f"ClaimReview by {review.reviewer}"[:300],
                    source_ref=review.url,
                ),
            )
            made_claims += 1
        if claims.has_review(session, claim, review.reviewer, review.reviewed_at):
            continue
        claims.add_review(
            session,
            principal,
            claim.id,
            claims.ReviewIn(
                reviewer=review.reviewer,
                reviewer_kind=verdicts.ReviewerKind.FACT_CHECKER.value,
                reviewed_at=max(review.reviewed_at, claim.claimed_at),
                rating=review.rating.value,
                confidence=review.confidence.value,
                summary=review.summary,
                url=review.url,
                marking=Marking.PUBLIC,
                source_title=f"ClaimReview by {review.reviewer}"[:300],
                source_ref=review.url,
            ),
        )
        made_reviews += 1
    return ImportedOut(read=read, claims=made_claims, reviews=made_reviews, problems=problems[:200])


# A period's claims ---------------------------------------------------------------------


def claims_in_period(
    session: Session, principal: Principal, since: dt.datetime, until: dt.datetime
) -> list[ClaimOut]:
    """The claims the reader may see that were made, or given a review the reader may see,
    in ``[since, until)``: each whole, as :func:`claim_out` gives it, oldest claim first.

    A review the reader may not see brings no claim in, so the list never hints at it."""
    reviewed = (
        visible_select(principal, Review)
        .with_only_columns(Review.claim_id)
        .where(Review.reviewed_at >= since, Review.reviewed_at < until)
    )
    ids = session.scalars(
        visible_select(principal, Claim)
        .with_only_columns(Claim.id)
        .where(
            or_(
                and_(Claim.claimed_at >= since, Claim.claimed_at < until),
                Claim.id.in_(reviewed),
            )
        )
    )
    found = [claim_out(session, principal, claim_id) for claim_id in ids]
    return sorted(found, key=lambda c: (c.claimed_at, c.id))
