"""What crosses the wire for sanctions: lists, entities, and the entity list's filters."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field

from coalition.core.filters import ListFilters
from coalition.core.schemas import MarkedPublic, MarkingIn, MarkingOut
from coalition.core.wiretypes import IsoDate, MemberCode, WireIn
from coalition.decisions.schemas import ProposalCreate
from coalition.sanctions.vocabulary import LIST_CODE_TEXT, SCHEMA_NAMES, check_schema_name

ListCode = Annotated[str, Field(pattern=LIST_CODE_TEXT, description="A list's code, e.g. eu_fsf")]
# The document lists FtM's schemata, so a client knows every value taken before it asks.
SchemaName = Annotated[
    str,
    Field(
        max_length=40,
        description="A FollowTheMoney schema, e.g. Person or Vessel",
        json_schema_extra={"enum": list(SCHEMA_NAMES)},
    ),
    AfterValidator(check_schema_name),
]


class ListPublic(MarkedPublic):
    code: str
    name: str
    authority: str
    url: str
    marking: MarkingOut
    illustrative: bool
    source_title: str
    source_ref: str
    listed: int = Field(
        description="Targets listed now (in its latest snapshot): persons, companies, "
        "vessels..., not the Sanction entities that designate them"
    )
    snapshots: int
    latest_snapshot: dt.date | None


class EntitySummary(MarkedPublic):
    id: int = Field(description="The listing period's record (an entity has one per period)")
    list_code: str
    entity_id: str
    schema_name: str = Field(description="The entity's FollowTheMoney schema")
    caption: str
    first_seen: dt.date
    last_seen: dt.date
    listed_until: dt.date | None = Field(description="Delisted on this day; null while listed")
    marking: MarkingOut
    illustrative: bool
    source_title: str
    source_ref: str


class Period(BaseModel):
    """One listing period of an entity: listed from the first day to ``listed_until``."""

    first_seen: dt.date
    last_seen: dt.date
    listed_until: dt.date | None
    changes: list[dict[str, Any]] = Field(
        description="Earlier states replaced in the period: on (the day), schema, properties"
    )


class EntityPublic(EntitySummary):
    properties: dict[str, list[str]]
    periods: list[Period] = Field(description="Every listing period, earliest first")


class EntityFilters(ListFilters):
    """What the entity list may be narrowed to; every filter given must hold."""

    schema_name: Annotated[SchemaName | None, Field(alias="schema")] = None
    as_of: Annotated[
        IsoDate | None, Field(description="Listed on this day (default: listed now)")
    ] = None
    list: ListCode | None = None

    labels = {"schema": "Schema", "as_of": "Listed on", "list": "List"}


PARTY_TEXT = r"^([A-Z]{2,4}|COALITION|[a-z][a-z0-9_]{1,39})$"
Party = Annotated[
    str,
    Field(
        pattern=PARTY_TEXT,
        description="A member's code (FRA), a list's code (us_ofac_sdn) or COALITION",
    ),
]
Theme = Literal[
    "russia",
    "belarus",
    "cyber",
    "human_rights",
    "corruption",
    "chemical_weapons",
    "proliferation",
    "terrorism",
    "iran",
    "dprk",
    "syria",
    "other",
]
Kind = Literal["vessel", "bank", "entity", "aircraft", "person"]


class ApplicationIn(WireIn):
    member: MemberCode
    list: ListCode
    since: IsoDate
    until: IsoDate | None = None
    note: str = Field(default="", max_length=500)


class ApplicationPublic(MarkedPublic):
    id: int
    member_code: str
    list_code: str
    since: dt.date
    until: dt.date | None
    note: str
    marking: MarkingOut


class GapQuery(ListFilters):
    """Whose gap, on which day: targets ``a`` lists and ``b`` does not (the page's
    ``limit`` and ``offset`` are the route's own)."""

    a: Party
    b: Party
    theme: Theme | None = Field(default=None, description="Only A's designations of this theme")
    kind: Kind | None = None
    as_of: IsoDate | None = Field(default=None, description="Default: today")
    since: IsoDate | None = Field(
        default=None, description="Mark the rows that entered the gap after this day"
    )


class ListingOut(BaseModel):
    list_code: str
    members: list[str]
    ref: str
    program: str
    theme: str
    authority_id: str
    listing_date: dt.date | None
    first_seen: dt.date
    reason: str


class GapRowOut(BaseModel):
    target: str = Field(description="The target's cluster id (or its only listing's ref)")
    caption: str
    kind: str
    schema_name: str
    members: list[str] = Field(description="Members listing it on the day, whoever the parties")
    un_listed: bool
    first_listed: dt.date
    opened: bool = Field(description="Entered the gap after ``since``")
    listings: list[ListingOut]


class GapOut(BaseModel):
    a: str
    b: str
    theme: str | None
    kind: str | None
    as_of: dt.date
    since: dt.date | None
    total: int = Field(description="Targets in the whole gap; ``rows`` is one page of them")
    rows: list[GapRowOut]


class MatrixRow(BaseModel):
    party: str
    counts: dict[str, int] = Field(description="Distinct targets listed, per theme")
    total: int = Field(description="Distinct targets listed under any theme")


class MatrixOut(BaseModel):
    as_of: dt.date
    themes: list[str]
    rows: list[MatrixRow]


class TargetBrief(BaseModel):
    ref: str
    list_code: str
    schema_name: str
    caption: str
    properties: dict[str, list[str]]


class CandidateOut(BaseModel):
    id: int
    left_ref: str
    right_ref: str
    score: float
    rule: str
    evidence: list[list[str]] = Field(description="(property, left, right, agree|disagree)")
    left: TargetBrief | None
    right: TargetBrief | None


class CandidatePage(BaseModel):
    total: int
    items: list[CandidateOut]


Ref = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_]{1,39}:[^\s]{1,200}$",
        description="A target: list_code:entity_id",
    ),
]


class JudgementIn(MarkingIn):
    left: Ref
    right: Ref
    judgement: Literal["positive", "negative", "unsure"]
    note: str = Field(default="", max_length=2000)


class JudgementOut(MarkedPublic):
    id: int
    left_ref: str
    right_ref: str
    judgement: str
    decided_by: str
    decided_at: dt.datetime
    note: str
    ended_at: dt.datetime | None
    ended_by: str
    marking: MarkingOut


class RevisitIn(WireIn):
    left: Ref
    right: Ref


class ResolveIn(WireIn):
    lists: list[ListCode] = Field(default_factory=list, max_length=100)


class ResolveOut(BaseModel):
    targets: int
    candidates: int
    judged_by_rule: int
    refused: int


class GapProposalIn(ProposalCreate):
    """A proposal tabled from a gap: the gap's parties and filters, and the proposal."""

    a: Party
    b: Party
    theme: Theme | None = None
    kind: Kind | None = None
    as_of: IsoDate | None = None
    limit: int = Field(default=100, ge=1, le=500, description="Targets to align on, best first")


class GapProposalOut(BaseModel):
    proposal_id: int
    targets: int
