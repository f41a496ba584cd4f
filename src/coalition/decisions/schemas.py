"""What crosses the wire about proposals, positions and outcomes."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, model_validator

from coalition.core.filters import ListFilters
from coalition.core.marking import MEMBER_CODE
from coalition.core.schemas import MarkedPublic, MarkingIn, MarkingOut
from coalition.core.wiretypes import Moment, NonBlankStr, WireIn
from coalition.decisions.enums import ProposalStatus
from coalition.decisions.rules import Result, Rule, Stance

# Times outside these years (as written) are typing mistakes, and keep arithmetic safe.
FIRST_YEAR, LAST_YEAR = 2000, 2099


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


# An aware time in the window, held in UTC.
ProposalTime = Annotated[dt.datetime, Moment(FIRST_YEAR, LAST_YEAR), AfterValidator(_utc)]
Population = Annotated[int, Field(ge=0, le=10_000_000_000)]
MemberKey = Annotated[str, Field(pattern=MEMBER_CODE.pattern)]


def _no_nul(model: BaseModel) -> None:
    # PostgreSQL text cannot hold NUL; refuse it as bad input rather than fail on write.
    for name, value in model:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError(f"{name} contains a NUL character")


class ProposalCreate(MarkingIn):
    title: NonBlankStr = Field(min_length=1, max_length=200)
    text: str = Field(default="", max_length=20_000)
    rule: Rule
    opens_at: ProposalTime | None = Field(default=None, description="Default: now")
    deadline: ProposalTime
    meeting_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    on_behalf_of: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{2,4}$",
        description="The member tabling it, when the secretariat tables for a member",
    )
    draft: bool = Field(default=False, description="Keep as a draft; open it later")
    quorum: int = Field(default=0, ge=0, le=1000)
    reinforced: bool = Field(default=False, description="Qualified majority: 72% of members")
    members_pct: int | None = Field(default=None, ge=1, le=100)
    population_pct: int | None = Field(default=None, ge=0, le=100)
    blocking_members: int | None = Field(default=None, ge=0, le=1000)
    populations: dict[MemberKey, Population] = Field(
        default_factory=dict,
        max_length=300,
        json_schema_extra={"additionalProperties": False},
        description="Qualified majority: population per member code, replacing the register's",
    )
    source_title: str = Field(default="", max_length=300)
    source_ref: str = Field(default="", max_length=500)
    illustrative: bool = False

    @model_validator(mode="after")
    def _order(self) -> ProposalCreate:
        _no_nul(self)
        if self.opens_at is not None and self.deadline <= self.opens_at:
            raise ValueError("the deadline must come after the opening time")
        return self


class Withdrawal(WireIn):
    version: int = Field(ge=1, le=2**31 - 1)


class PositionIn(WireIn):
    stance: Stance
    member: str | None = Field(
        default=None, pattern=r"^[A-Z]{2,4}$", description="Default: your own member"
    )
    text: str = Field(default="", max_length=4000)
    condition: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _clean(self) -> PositionIn:
        _no_nul(self)
        return self


class PositionPublic(BaseModel):
    id: int
    member: str
    stance: Stance
    text: str
    condition: str
    stated_by: str
    stated_at: dt.datetime
    superseded_at: dt.datetime | None
    live: bool


class Voter(BaseModel):
    member: str
    population: int
    basis: str = Field(
        description="Where the population comes from: the Council's table of the year the "
        "proposal opened, the register (and why), or the proposal's own table"
    )


class ProposalFilters(ListFilters):
    """What the proposals list may be narrowed to; every filter given must hold."""

    status: ProposalStatus | None = None
    rule: Rule | None = None
    meeting_id: int | None = Field(
        default=None, ge=1, le=2**31 - 1, description="Put to this meeting"
    )
    awaiting: bool = Field(
        default=False,
        description="Only open proposals awaiting your member's position (signed-in members)",
    )

    labels = {"meeting_id": "Meeting", "awaiting": "Awaiting my member's position"}


class ProposalSummary(MarkedPublic):
    id: int
    title: str
    rule: Rule
    status: ProposalStatus
    opens_at: dt.datetime
    deadline: dt.datetime
    meeting_id: int | None
    illustrative: bool
    marking: MarkingOut


class Thresholds(BaseModel):
    quorum: int
    members_pct: int
    population_pct: int
    blocking_members: int


class ProposalPublic(ProposalSummary):
    text: str
    tabled_by: str
    thresholds: Thresholds
    voters: list[Voter]
    positions: list[PositionPublic]
    silence_broken_by: str | None
    silence_broken_at: dt.datetime | None
    closed_at: dt.datetime | None
    outcome_reason: str
    source_title: str
    source_ref: str
    version: int


class Tally(BaseModel):
    support: int
    abstain: int
    object: int
    reserve: int
    no_position: int


class OutcomePublic(BaseModel):
    """The outcome of a closed proposal, or how things stand while it is open."""

    proposal_id: int
    status: ProposalStatus
    result: Result | None = Field(description="Set once the proposal has closed")
    reason: str
    standing: str = Field(description="The outcome if the proposal closed on what is stated now")
    tally: Tally
    members_share: float | None = Field(description="Qualified majority: share of members for")
    population_share: float | None = Field(description="Qualified majority: population share")
    silence_broken_by: str | None
    silence_broken_at: dt.datetime | None
    closed_at: dt.datetime | None


class ClosedProposal(BaseModel):
    id: int
    status: ProposalStatus
    reason: str
