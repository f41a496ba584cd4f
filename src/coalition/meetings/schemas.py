"""What crosses the wire about meetings."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, field_validator
from pydantic.config import JsonDict

from coalition.core.filters import ListFilters
from coalition.core.schemas import MarkedPublic, MarkingIn, MarkingOut
from coalition.core.wiretypes import IsoDate, MemberCode, NonBlankStr, WireIn
from coalition.meetings.model import MeetingFormat, MeetingKind, MeetingLevel


class MeetingFilters(ListFilters):
    """What the meetings list may be narrowed to; every filter given must hold."""

    kind: MeetingKind | None = None
    level: MeetingLevel | None = None
    # Not ``format``: an export's ``format`` is its file's (CSV or JSON).
    meeting_format: MeetingFormat | None = None
    attendee: Annotated[
        MemberCode | None, Field(description="A member that attended (one the reader may see)")
    ] = None
    since: Annotated[IsoDate | None, Field(description="Held on or after this day")] = None
    until: Annotated[IsoDate | None, Field(description="Held on or before this day")] = None

    ranges = (("since", "until"),)
    labels = {
        "meeting_format": "Format",
        "attendee": "Attended by",
        "since": "Held from",
        "until": "Held until",
    }


class MeetingSummary(MarkedPublic):
    id: int
    title: str
    kind: MeetingKind
    held_on: dt.date
    place: str
    format: MeetingFormat
    level: MeetingLevel
    illustrative: bool
    marking: MarkingOut


class MeetingPublic(MeetingSummary):
    summary: str
    attendees: list[str]
    outcomes: list[str]
    source_title: str
    source_ref: str
    version: int


def _codes(value: list[str]) -> list[str]:
    if len(set(value)) != len(value):
        raise ValueError("a member is listed twice")
    return value


# Attendees are declared unique; the check above also catches "gbr" beside "GBR".
UNIQUE: JsonDict = {"uniqueItems": True}
Outcome = Annotated[str, Field(max_length=2000)]


class MeetingCreate(MarkingIn):
    title: NonBlankStr = Field(min_length=1, max_length=200)
    kind: MeetingKind
    held_on: IsoDate
    place: str = Field(default="", max_length=200)
    format: MeetingFormat = MeetingFormat.IN_PERSON
    level: MeetingLevel = MeetingLevel.LEADERS
    summary: str = Field(default="", max_length=20_000)
    attendees: list[MemberCode] = Field(
        default_factory=list, max_length=100, json_schema_extra=UNIQUE
    )
    outcomes: list[Outcome] = Field(default_factory=list, max_length=200)
    source_title: str = Field(default="", max_length=300)
    source_ref: str = Field(default="", max_length=500)
    illustrative: bool = False

    _attendees = field_validator("attendees")(_codes)

    @field_validator("outcomes")
    @classmethod
    def _outcomes(cls, value: list[str]) -> list[str]:
        return [v.strip() for v in value if v.strip()]


class MeetingUpdate(WireIn):
    version: int = Field(ge=1, le=2**31 - 1)
    title: NonBlankStr | None = Field(default=None, min_length=1, max_length=200)
    held_on: IsoDate | None = None
    place: str | None = Field(default=None, max_length=200)
    format: MeetingFormat | None = None
    level: MeetingLevel | None = None
    summary: str | None = Field(default=None, max_length=20_000)
    attendees: list[MemberCode] | None = Field(
        default=None, max_length=100, json_schema_extra=UNIQUE
    )
    outcomes: list[Outcome] | None = Field(default=None, max_length=200)

    _attendees = field_validator("attendees")(lambda v: None if v is None else _codes(v))
