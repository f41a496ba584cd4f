"""Claims and their reviews: recording them, and each claim's status as its reader sees it.

A claim is recorded once and edited in place (its version guards a stale edit); a review
is never edited: a reviewer who changes their view records a new review, so the history
of a claim's status is the history of its reviews. The status is computed, not stored,
from the reviews the reader may see (:mod:`coalition.situation.verdicts`): a review
marked NATIONAL moves the status its own nation reads and no other.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import shape as to_shape
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from coalition.core.editing import check_version
from coalition.core.errors import Invalid, NotFound
from coalition.core.marking import Marking
from coalition.core.principal import Principal
from coalition.core.visibility import visible_select
from coalition.situation import verdicts
from coalition.situation.model import Claim, Evidence, Review, Snapshot
from coalition.situation.territory import require_analyst

MAX_AREA_VERTICES = 5000  # a claim's place is an outline, not a front line
LINK_DAYS = 1  # snapshots within a day of the claim are linked to it


@dataclass(frozen=True)
class EvidenceIn:
    kind: str
    source: str
    url: str = ""
    dated: dt.date | None = None
    note: str = ""


@dataclass(frozen=True)
class ClaimIn:
    summary: str
    claimant: str
    kind: str
    claimed_at: dt.datetime
    text: str = ""
    claimant_type: str = "person"
    appeared_in: str = ""
    appeared_url: str = ""
    place: str = ""
    area: dict[str, Any] | None = None
    marking: Marking = Marking.COALITION
    rel_to: Sequence[str] = ()
    source_title: str = ""
    source_ref: str = ""
    illustrative: bool = False


@dataclass(frozen=True)
class ReviewIn:
    reviewer: str
    reviewer_kind: str
    reviewed_at: dt.datetime
    rating: str
    confidence: str
    summary: str = ""
    url: str = ""
    evidence: Sequence[EvidenceIn] = ()
    marking: Marking = Marking.COALITION
    rel_to: Sequence[str] = ()
    source_title: str = ""
    source_ref: str = ""
    illustrative: bool = False


def _choice(name: str, value: str, allowed: Iterable[str]) -> str:
    allowed = list(allowed)
    if value not in allowed:
        raise Invalid(f"{name}: one of {', '.join(allowed)}, not {value[:30]!r}")
    return value


def checked_area(area: dict[str, Any] | None) -> str:
    """A claim's place as GeoJSON text: a valid polygon or point of a sensible size."""
    if area is None:
        return ""
    try:
        found = to_shape(area)
    except Exception as exc:  # shapely raises many kinds on a malformed mapping
        raise Invalid(f"area: not a GeoJSON geometry ({str(exc)[:80]})") from None
    if found.is_empty:
        raise Invalid("area: empty geometry")
    if found.geom_type not in {"Point", "MultiPoint", "Polygon", "MultiPolygon"}:
        raise Invalid(f"area: a point or a polygon, not a {found.geom_type}")
    if shapely.get_num_coordinates(found) > MAX_AREA_VERTICES:
        raise Invalid(f"area: more than {MAX_AREA_VERTICES} vertices")
    west, south, east, north = found.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise Invalid("area: coordinates outside longitude -180..180, latitude -90..90")
    if not found.is_valid:
        found = shapely.make_valid(found)
    return json.dumps(shapely.geometry.mapping(found), separators=(",", ":"))


def _aware(value: dt.datetime, name: str) -> dt.datetime:
    if value.tzinfo is None:
        raise Invalid(f"{name}: a time with its zone (e.g. 2025-03-13T18:00:00Z)")
    return value.astimezone(dt.UTC)


def record_claim(session: Session, principal: Principal, wanted: ClaimIn) -> Claim:
    require_analyst(principal)
    if not wanted.summary.strip() or not wanted.claimant.strip():
        raise Invalid("summary and claimant: say what was claimed and by whom")
    claim = Claim(
        summary=wanted.summary.strip()[:300],
        text=wanted.text.strip(),
        claimant=wanted.claimant.strip()[:200],
        claimant_type=_choice("claimant_type", wanted.claimant_type, ("person", "organization")),
        kind=_choice("kind", wanted.kind, [k.value for k in verdicts.ClaimKind]),
        claimed_at=_aware(wanted.claimed_at, "claimed_at"),
        appeared_in=wanted.appeared_in.strip()[:300],
        appeared_url=wanted.appeared_url.strip()[:500],
        place=wanted.place.strip()[:200],
        area=checked_area(wanted.area),
        source_title=wanted.source_title[:300],
        source_ref=wanted.source_ref[:500],
        illustrative=wanted.illustrative,
    )
    claim.mark(session, principal, wanted.marking, wanted.rel_to)
    session.add(claim)
    session.flush()
    return claim


def edit_claim(
    session: Session, principal: Principal, claim_id: int, version: int, changes: dict[str, Any]
) -> Claim:
    """Change a claim's text fields; ``version`` is the one the editor read."""
    require_analyst(principal)
    claim = get_claim(session, principal, claim_id)
    if not principal.is_secretariat and claim.owner_code != principal.member:
        raise NotFound(f"no claim {claim_id} of yours to edit")
    check_version(claim, version)
    for name, value in changes.items():
        if name == "kind":
            value = _choice("kind", value, [k.value for k in verdicts.ClaimKind])
        elif name == "claimant_type":
            value = _choice("claimant_type", value, ("person", "organization"))
        elif name == "claimed_at":
            value = _aware(value, "claimed_at")
        elif name == "area":
            value = checked_area(value)
        elif name not in {"summary", "text", "claimant", "appeared_in", "appeared_url", "place"}:
            raise Invalid(f"{name}: not a field of a claim that can be edited")
        setattr(claim, name, value)
    session.flush()
    return claim


def add_review(session: Session, principal: Principal, claim_id: int, wanted: ReviewIn) -> Review:
    """Record a review of a claim the reviewer may see; it is never edited afterwards."""
    require_analyst(principal)
    claim = get_claim(session, principal, claim_id)
    if not wanted.reviewer.strip():
        raise Invalid("reviewer: who reviewed the claim")
    reviewed_at = _aware(wanted.reviewed_at, "reviewed_at")
    if reviewed_at < claim.claimed_at:
        raise Invalid("reviewed_at: before the claim was made")
    review = Review(
        claim_id=claim.id,  # not the relationship: the review joins the session once marked
        reviewer=wanted.reviewer.strip()[:200],
        reviewer_kind=_choice(
            "reviewer_kind", wanted.reviewer_kind, [k.value for k in verdicts.ReviewerKind]
        ),
        reviewed_at=reviewed_at,
        rating=_choice("rating", wanted.rating, [r.value for r in verdicts.Rating]),
        confidence=_choice("confidence", wanted.confidence, [c.value for c in verdicts.Confidence]),
        summary=wanted.summary.strip(),
        url=wanted.url.strip()[:500],
        source_title=wanted.source_title[:300],
        source_ref=wanted.source_ref[:500],
        illustrative=wanted.illustrative,
        evidence=[
            Evidence(
                kind=_choice("evidence kind", e.kind, [k.value for k in verdicts.EvidenceKind]),
                source=e.source.strip()[:300] or "unnamed",
                url=e.url.strip()[:500],
                dated=e.dated,
                note=e.note.strip()[:2000],
            )
            for e in wanted.evidence
        ],
    )
    review.mark(session, principal, wanted.marking, wanted.rel_to)
    session.add(review)
    session.flush()
    return review


# Reading ----------------------------------------------------------------------------


def find_claim(session: Session, principal: Principal, summary: str, claimant: str) -> Claim | None:
    """A claim the reader may see with these words by this claimant, if one is held."""
    return session.scalar(
        visible_select(principal, Claim)
        .where(Claim.summary == summary.strip()[:300], Claim.claimant == claimant.strip()[:200])
        .order_by(Claim.id)
        .limit(1)
    )


def has_review(session: Session, claim: Claim, reviewer: str, at: dt.datetime) -> bool:
    """Whether the claim holds a review by ``reviewer`` made at ``at`` (of any marking:
    importing it again would duplicate it)."""
    return (
        session.scalar(
            select(func.count()).where(
                Review.claim_id == claim.id,
                Review.reviewer == reviewer.strip()[:200],
                Review.reviewed_at == at.astimezone(dt.UTC),
            )
        )
        or 0
    ) > 0


def get_claim(session: Session, principal: Principal, claim_id: int) -> Claim:
    found = session.scalar(visible_select(principal, Claim).where(Claim.id == claim_id))
    if found is None:
        raise NotFound(f"no claim {claim_id}")
    return found


def reviews_of(session: Session, principal: Principal, claim: Claim) -> list[Review]:
    """The claim's reviews the reader may see, oldest first, with their evidence."""
    return list(
        session.scalars(
            visible_select(principal, Review)
            .where(Review.claim_id == claim.id)
            .options(selectinload(Review.evidence))
            .order_by(Review.reviewed_at, Review.id)
        )
    )


def facts(reviews: Iterable[Review]) -> list[verdicts.ReviewFact]:
    return [
        verdicts.ReviewFact(
            r.reviewer,
            r.reviewed_at,
            verdicts.Rating(r.rating),
            verdicts.Confidence(r.confidence),
        )
        for r in reviews
    ]


def current_status(known: Sequence[verdicts.ReviewFact]) -> verdicts.Status:
    """The status after every review given (one dated later than now included)."""
    changes = verdicts.history(known)
    return changes[-1][1] if changes else verdicts.Status.UNREVIEWED


@dataclass
class ClaimView:
    claim: Claim
    reviews: list[Review]
    status: verdicts.Status
    history: list[tuple[dt.datetime, verdicts.Status]]
    snapshots: list[Snapshot]


def view_claim(session: Session, principal: Principal, claim_id: int) -> ClaimView:
    """A claim with the reviews, status, history and snapshots the reader may see."""
    claim = get_claim(session, principal, claim_id)
    reviews = reviews_of(session, principal, claim)
    known = facts(reviews)
    history = verdicts.history(known)
    day = claim.claimed_at.date()
    snapshots = list(
        session.scalars(
            visible_select(principal, Snapshot)
            .where(
                Snapshot.taken_on >= day - dt.timedelta(days=LINK_DAYS),
                Snapshot.taken_on <= day + dt.timedelta(days=LINK_DAYS),
            )
            .order_by(Snapshot.taken_on, Snapshot.source, Snapshot.layer)
        )
    )
    status = history[-1][1] if history else verdicts.Status.UNREVIEWED
    return ClaimView(claim, reviews, status, history, snapshots)


@dataclass
class ClaimRow:
    claim: Claim
    status: verdicts.Status
    reviews: int


def list_claims(
    session: Session,
    principal: Principal,
    *,
    kind: str | None = None,
    status: str | None = None,
    claimant: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    q: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[int, list[ClaimRow]]:
    """The claims the reader may see, newest first, each with the status the reader's
    reviews give it; ``status`` filters on that."""
    query = visible_select(principal, Claim)
    if kind is not None:
        query = query.where(
            Claim.kind == _choice("kind", kind, [k.value for k in verdicts.ClaimKind])
        )
    if claimant:
        query = query.where(func.lower(Claim.claimant).contains(claimant.lower()))
    if q:
        needle = q.lower()
        query = query.where(
            func.lower(Claim.summary).contains(needle) | func.lower(Claim.text).contains(needle)
        )
    if since is not None:
        query = query.where(Claim.claimed_at >= dt.datetime.combine(since, dt.time(), dt.UTC))
    if until is not None:
        query = query.where(
            Claim.claimed_at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), dt.UTC)
        )
    claims = list(session.scalars(query.order_by(Claim.claimed_at.desc(), Claim.id.desc())))
    by_claim: dict[int, list[Review]] = {c.id: [] for c in claims}
    if claims:
        for review in session.scalars(
            visible_select(principal, Review).where(Review.claim_id.in_(list(by_claim)))
        ):
            by_claim[review.claim_id].append(review)
    rows = [ClaimRow(c, current_status(facts(by_claim[c.id])), len(by_claim[c.id])) for c in claims]
    if status is not None:
        wanted = _choice("status", status, [s.value for s in verdicts.Status])
        rows = [r for r in rows if r.status.value == wanted]
    return len(rows), rows[offset : offset + limit]


def status_counts(session: Session, principal: Principal) -> dict[str, int]:
    """How many claims the reader may see stand at each status."""
    _, rows = list_claims(session, principal, limit=10**9)
    counts = {s.value: 0 for s in verdicts.Status}
    for row in rows:
        counts[row.status.value] += 1
    return counts
