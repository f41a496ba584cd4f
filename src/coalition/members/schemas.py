"""What crosses the wire about members and users."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from coalition.core import forwarding
from coalition.core.filters import ListFilters
from coalition.core.principal import Role
from coalition.core.schemas import MarkedPublic, MarkingIn, MarkingOut
from coalition.core.wiretypes import IsoDate, NonBlankStr, WireIn
from coalition.members.model import MemberKind, MemberStanding

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


class MemberFilters(ListFilters):
    """What the register may be narrowed to; every filter given must hold."""

    kind: MemberKind | None = None
    standing: MemberStanding | None = None
    joined_since: IsoDate | None = Field(default=None, description="Joined on or after this day")
    joined_until: IsoDate | None = Field(default=None, description="Joined on or before this day")

    ranges = (("joined_since", "joined_until"),)
    labels = {"joined_since": "Joined from", "joined_until": "Joined until"}


class MemberPublic(MarkedPublic):
    code: str
    name: str
    kind: MemberKind
    standing: MemberStanding
    joined_on: dt.date | None
    left_on: dt.date | None
    population: int | None
    population_year: int | None
    gdp_usd: int | None
    gdp_year: int | None
    source_title: str
    source_ref: str
    illustrative: bool
    marking: MarkingOut
    version: int


class MemberFigurePublic(BaseModel):
    """A member's population and GDP for one year, with their source."""

    year: int
    population: int | None
    gdp_usd: int | None = Field(description="GDP in current US dollars")
    source: str


class MemberCreate(MarkingIn):
    code: str = Field(pattern=r"^[A-Z]{2,4}$")
    name: NonBlankStr | None = Field(default=None, min_length=1, max_length=120)
    kind: MemberKind = MemberKind.STATE
    standing: MemberStanding = MemberStanding.MEMBER
    joined_on: IsoDate | None = None
    left_on: IsoDate | None = None
    population: int | None = Field(default=None, ge=0, le=10_000_000_000)
    population_year: int | None = Field(default=None, ge=1900, le=2100)
    gdp_usd: int | None = Field(default=None, ge=0, le=10**15)
    gdp_year: int | None = Field(default=None, ge=1900, le=2100)
    source_title: str = Field(default="", max_length=300)
    source_ref: str = Field(default="", max_length=500)
    illustrative: bool = False

    @model_validator(mode="after")
    def _dates(self) -> MemberCreate:
        if self.joined_on and self.left_on and self.left_on < self.joined_on:
            raise ValueError("left_on is before joined_on")
        return self


class MemberUpdate(WireIn):
    version: int = Field(ge=1, le=2**31 - 1)
    name: NonBlankStr | None = Field(default=None, min_length=1, max_length=120)
    joined_on: IsoDate | None = None
    left_on: IsoDate | None = None
    population: int | None = Field(default=None, ge=0, le=10_000_000_000)
    gdp_usd: int | None = Field(default=None, ge=0, le=10**15)
    source_title: str | None = Field(default=None, max_length=300)
    source_ref: str | None = Field(default=None, max_length=500)


class UserPublic(BaseModel):
    id: int
    username: str
    display_name: str
    member: str
    role: Role
    active: bool
    created_at: dt.datetime
    version: int


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(max_length=64)
    display_name: str = Field(default="", max_length=120)
    member: str = Field(pattern=r"^[A-Z]{2,4}$")
    role: Role
    password: str = Field(min_length=10, max_length=1024)

    @field_validator("username")
    @classmethod
    def _username(cls, value: str) -> str:
        if not USERNAME.match(value):
            raise ValueError(
                "a username is 2-64 lower-case letters, digits, dots, dashes or underscores"
            )
        return value


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, le=2**31 - 1)
    display_name: str | None = Field(default=None, max_length=120)
    role: Role | None = None
    active: bool | None = None


class Me(BaseModel):
    """Who the API believes the caller is."""

    username: str | None
    member: str | None
    role: Role | None


TokenState = Literal["active", "expired", "revoked"]
# A token's name is shown on pages and in lists: printable text only.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
NAME_LENGTH = 120


class TokenPublic(BaseModel):
    """An API token as listed: never the token itself, never its digest."""

    id: int
    user_id: int
    username: str
    name: str
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    state: TokenState


class TokenCreated(TokenPublic):
    """A token just created: the only time the token itself is shown."""

    token: str


class TokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        min_length=1,
        max_length=NAME_LENGTH,
        # Printable, and not blank: the same rule the validator applies, declared.
        pattern=r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$",
        description="What the token is for",
    )
    days: int | None = Field(
        default=None, ge=1, le=3650, description="Lifetime in days (default: the configured one)"
    )

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = value.strip()
        if not value or CONTROL.search(value):
            raise ValueError("a token's name is printable text")
        return value


class SignInUnlock(BaseModel):
    """Clear an account's sign-in throttling, from one address or from all."""

    model_config = ConfigDict(extra="forbid")

    address: str | None = Field(
        default=None,
        max_length=64,
        description="Only this address (default: every address)",
        json_schema_extra={
            "anyOf": [
                {"type": "string", "format": "ipv4"},
                {"type": "string", "format": "ipv6"},
                {"type": "null"},
            ]
        },
    )

    @field_validator("address")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if forwarding.parse_address(value) is None:
            raise ValueError("not an IP address")
        return forwarding.normalise(value)


class SignInUnlocked(BaseModel):
    username: str
    address: str | None
    cleared_failures: int
