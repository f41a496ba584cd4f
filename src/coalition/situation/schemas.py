"""What crosses the wire for the situation: snapshots, areas, changes, claims, reviews.

Areas are in square kilometres on the WGS 84 ellipsoid, in fields named for their unit
(``area_km2``, ``gained_km2``, ``lost_km2``); shapes go out as GeoJSON.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, Field

from coalition.core.filters import ListFilters
from coalition.core.schemas import MarkedPublic, MarkingIn, MarkingOut
from coalition.core.wiretypes import IsoDate, IsoTime, WireIn
from coalition.situation import verdicts
from coalition.situation.model import Claim, Evidence, Review, Snapshot
from coalition.situation.territory import LAYERS, SOURCE_TEXT

SourceName = Annotated[
    str, Field(pattern=SOURCE_TEXT, description="A territory source, e.g. deepstatemap")
]
Layer = Annotated[
    str, Field(json_schema_extra={"enum": list(LAYERS)}, pattern="^(held|contested|claimed)$")
]
Short = Annotated[str, Field(max_length=300)]


class RegionArea(BaseModel):
    code: str = Field(description="ISO 3166-2 code, or 'outside' beyond every outline")
    area_km2: float


class SnapshotOut(MarkedPublic):
    id: int
    source: str
    taken_on: dt.date
    layer: str
    method: str
    area_km2: float = Field(description="True area on the WGS 84 ellipsoid, km²")
    parts: int
    vertices: int
    repairs: str = Field(description="What the import repaired in the published shape")
    shape_sha256: str
    marking: MarkingOut
    illustrative: bool
    source_title: str
    source_ref: str

    @classmethod
    def from_row(cls, row: Snapshot) -> SnapshotOut:
        return cls.of(
            row,
            id=row.id,
            source=row.source,
            taken_on=row.taken_on,
            layer=row.layer,
            method=row.method,
            area_km2=row.area_km2,
            parts=row.parts,
            vertices=row.vertices,
            repairs=row.repairs,
            shape_sha256=row.shape_sha256,
        )


class SnapshotDetail(SnapshotOut):
    regions: list[RegionArea] = Field(description="The area within each region (oblast)")

    @classmethod
    def detail(cls, row: Snapshot) -> SnapshotDetail:
        return cls(
            **SnapshotOut.from_row(row).model_dump(),
            regions=[RegionArea(code=r.region_code, area_km2=r.area_km2) for r in row.regions],
        )


class SnapshotPage(BaseModel):
    items: list[SnapshotOut]
    total: int
    limit: int
    offset: int


class SnapshotFilters(ListFilters):
    source: SourceName | None = None
    layer: Layer | None = None
    since: IsoDate | None = None
    until: IsoDate | None = None

    ranges = (("since", "until"),)


class SourceOut(BaseModel):
    source: str
    layers: list[str]
    snapshots: int
    first: dt.date
    last: dt.date


class AreaQuery(ListFilters):
    source: SourceName
    date: IsoDate = Field(
        description="The day; a day without a snapshot reads the latest before it"
    )
    layer: Layer = "held"


class SeriesQuery(ListFilters):
    source: SourceName
    layer: Layer = "held"
    since: IsoDate | None = None
    until: IsoDate | None = None

    ranges = (("since", "until"),)


class SeriesPointOut(BaseModel):
    date: dt.date
    area_km2: float
    snapshot_id: int


class ChangeQuery(ListFilters):
    source: SourceName
    start: Annotated[IsoDate, Field(alias="from")]
    end: Annotated[IsoDate, Field(alias="to")]
    layer: Layer = "held"
    geometry: bool = Field(default=False, description="Include the gained and lost shapes")

    ranges = (("start", "end"),)


class RegionChangeOut(BaseModel):
    code: str
    name: str
    earlier_km2: float
    later_km2: float
    gained_km2: float
    lost_km2: float


class ChangeOut(BaseModel):
    source: str
    layer: str
    earlier: SnapshotOut
    later: SnapshotOut
    earlier_km2: float
    later_km2: float
    gained_km2: float
    lost_km2: float
    net_km2: float = Field(description="later_km2 − earlier_km2")
    regions: list[RegionChangeOut]
    gained: dict[str, Any] | None = Field(default=None, description="GeoJSON, when asked for")
    lost: dict[str, Any] | None = Field(default=None, description="GeoJSON, when asked for")


class CompareQuery(ListFilters):
    a: SourceName
    b: SourceName
    date: IsoDate
    layer: Layer = "held"


class CompareOut(BaseModel):
    date: dt.date
    layer: str
    a: SnapshotOut
    b: SnapshotOut
    only_a_km2: float
    only_b_km2: float


class MapQuery(ListFilters):
    zoom: Annotated[int, Field(ge=0, le=18)] = 6
    bbox: Annotated[
        str | None,
        Field(
            default=None,
            pattern=r"^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$",
            description="west,south,east,north in degrees",
        ),
    ] = None

    def bounds(self) -> tuple[float, float, float, float] | None:
        if self.bbox is None:
            return None
        west, south, east, north = (float(v) for v in self.bbox.split(","))
        return (west, south, east, north)


class LineQuery(MapQuery):
    source: SourceName | None = Field(
        default=None, description="The source (default: the one with the latest snapshot)"
    )
    date: IsoDate | None = Field(default=None, description="The day (default: today)")


# Claims --------------------------------------------------------------------------------


class EvidenceIn(WireIn):
    kind: verdicts.EvidenceKind
    source: Annotated[str, Field(min_length=1, max_length=300)]
    url: Annotated[str, Field(max_length=500)] = ""
    dated: IsoDate | None = None
    note: Annotated[str, Field(max_length=2000)] = ""


class EvidenceOut(BaseModel):
    kind: str
    source: str
    url: str
    dated: dt.date | None
    note: str

    @classmethod
    def from_row(cls, row: Evidence) -> EvidenceOut:
        return cls(kind=row.kind, source=row.source, url=row.url, dated=row.dated, note=row.note)


class ClaimIn(MarkingIn):
    summary: Annotated[str, Field(min_length=1, max_length=300)]
    text: Annotated[str, Field(max_length=20000)] = ""
    claimant: Annotated[str, Field(min_length=1, max_length=200)]
    claimant_type: verdicts.ClaimantType = verdicts.ClaimantType.PERSON
    kind: verdicts.ClaimKind
    claimed_at: IsoTime
    appeared_in: Short = ""
    appeared_url: Annotated[str, Field(max_length=500)] = ""
    place: Annotated[str, Field(max_length=200)] = ""
    area: dict[str, Any] | None = Field(default=None, description="A GeoJSON point or polygon")


class ClaimPatch(WireIn):
    version: int
    summary: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    text: Annotated[str, Field(max_length=20000)] | None = None
    claimant: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    claimant_type: verdicts.ClaimantType | None = None
    kind: verdicts.ClaimKind | None = None
    claimed_at: IsoTime | None = None
    appeared_in: Short | None = None
    appeared_url: Annotated[str, Field(max_length=500)] | None = None
    place: Annotated[str, Field(max_length=200)] | None = None


class ReviewIn(MarkingIn):
    reviewer: Annotated[str, Field(min_length=1, max_length=200)]
    reviewer_kind: verdicts.ReviewerKind
    reviewed_at: IsoTime
    rating: verdicts.Rating
    confidence: verdicts.Confidence
    summary: Annotated[str, Field(max_length=20000)] = ""
    url: Annotated[str, Field(max_length=500)] = ""
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=50)


class ReviewOut(MarkedPublic):
    id: int
    claim_id: int
    reviewer: str
    reviewer_kind: str
    reviewed_at: dt.datetime
    rating: str
    rating_label: str
    confidence: str
    summary: str
    url: str
    evidence: list[EvidenceOut]
    marking: MarkingOut
    illustrative: bool
    source_title: str
    source_ref: str

    @classmethod
    def from_row(cls, row: Review) -> ReviewOut:
        return cls.of(
            row,
            id=row.id,
            claim_id=row.claim_id,
            reviewer=row.reviewer,
            reviewer_kind=row.reviewer_kind,
            reviewed_at=row.reviewed_at,
            rating=row.rating,
            rating_label=verdicts.Rating(row.rating).label,
            confidence=row.confidence,
            summary=row.summary,
            url=row.url,
            evidence=[EvidenceOut.from_row(e) for e in row.evidence],
        )


class ClaimSummary(MarkedPublic):
    id: int
    summary: str
    claimant: str
    kind: str
    claimed_at: dt.datetime
    place: str
    status: str = Field(
        description="From the reviews you may see: unreviewed, disputed, supported, refuted"
    )
    reviews: int
    marking: MarkingOut
    illustrative: bool


class ClaimOut(MarkedPublic):
    id: int
    summary: str
    text: str
    claimant: str
    claimant_type: str
    kind: str
    claimed_at: dt.datetime
    appeared_in: str
    appeared_url: str
    place: str
    area: dict[str, Any] | None
    status: str
    history: list[tuple[dt.datetime, str]] = Field(
        description="When the status changed, and to what"
    )
    reviews: list[ReviewOut]
    snapshots: list[SnapshotOut] = Field(description="Territory snapshots of the claim's days")
    version: int
    marking: MarkingOut
    illustrative: bool
    source_title: str
    source_ref: str


class ClaimPage(BaseModel):
    items: list[ClaimSummary]
    total: int
    limit: int
    offset: int


class ClaimFilters(ListFilters):
    kind: verdicts.ClaimKind | None = None
    status: verdicts.Status | None = None
    claimant: Annotated[str | None, Field(max_length=200)] = None
    since: IsoDate | None = None
    until: IsoDate | None = None

    ranges = (("since", "until"),)


def claim_summary(claim: Claim, status: str, reviews: int) -> ClaimSummary:
    return ClaimSummary.of(
        claim,
        id=claim.id,
        summary=claim.summary,
        claimant=claim.claimant,
        kind=claim.kind,
        claimed_at=claim.claimed_at,
        place=claim.place,
        status=status,
        reviews=reviews,
    )


class ImportedOut(BaseModel):
    read: int = Field(description="ClaimReview documents read")
    claims: int
    reviews: int
    problems: list[str]
