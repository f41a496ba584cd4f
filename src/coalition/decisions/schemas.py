"""What crosses the wire about proposals, positions and outcomes."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Path
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from coalition.core.marking import MEMBER_CODE
from coalition.core.schemas import MarkingIn, MarkingOut, NonBlankStr
from coalition.decisions.model import ProposalStatus
from coalition.decisions.rules import Result, Rule, Stance

# Record ids are 32-bit integers on PostgreSQL; anything outside is a 422, not a crash.
ProposalId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Proposal id")]

# Times outside this window are typing mistakes, and keep arithmetic on them safe.
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def _in_window(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    value = value.astimezone(dt.UTC)
    if not EARLIEST <= value < LATEST:
        raise ValueError("a time between 2000 and 2100 (UTC)")
    return value


def _no_nul(model: BaseModel) -> None:
    # PostgreSQL text cannot hold NUL; refuse it as bad input rather than fail on write.
    for name, value in model:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError(f"{name} contains a NUL character")


class ProposalCreate(MarkingIn):
    title: NonBlankStr = Field(min_length=1, max_length=200)
    text: str = Field(default="", max_length=20_000)
    rule: Rule
    opens_at: AwareDatetime | None = Field(default=None, description="Default: now")
    deadline: AwareDatetime
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
    populations: dict[str, int] = Field(
        default_factory=dict,
        max_length=300,
        description="Qualified majority: population per member code, replacing the register's",
    )
    source_title: str = Field(default="", max_length=300)
    source_ref: str = Field(default="", max_length=500)
    illustrative: bool = False

    _opens = field_validator("opens_at")(_in_window)

    @field_validator("deadline")
    @classmethod
    def _deadline(cls, value: dt.datetime) -> dt.datetime:
        checked = _in_window(value)
        assert checked is not None
        return checked

    @field_validator("populations")
    @classmethod
    def _populations(cls, value: dict[str, int]) -> dict[str, int]:
        for code, population in value.items():
            if not MEMBER_CODE.match(code):
                raise ValueError(f"not a member code: {code!r}")
            if not 0 <= population <= 10_000_000_000:
                raise ValueError(f"population of {code} out of range")
        return value

    @model_validator(mode="after")
    def _order(self) -> ProposalCreate:
        _no_nul(self)
        if self.opens_at is not None and self.deadline <= self.opens_at:
            raise ValueError("the deadline must come after the opening time")
        return self


class Withdrawal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, le=2**31 - 1)


class PositionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

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


class ProposalSummary(BaseModel):
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
