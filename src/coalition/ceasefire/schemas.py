"""What crosses the wire about ceasefires, reports and incidents."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, Field, field_validator

from coalition.ceasefire.vocabulary import (
    CeasefireStatus,
    IncidentType,
    Scope,
    SourceKind,
    TimePrecision,
    Verification,
)
from coalition.core.schemas import MarkedPublic, MarkingIn, MarkingOut
from coalition.core.wiretypes import Day, IsoTime, NonBlankStr, WireIn

T = TypeVar("T")


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL characters; refuse them as invalid input.
    if "\x00" in value:
        raise ValueError("text may not contain NUL characters")
    return value


# A party to an agreement: named, without the ';' that separates parties where stored.
Party = Annotated[
    str,
    Field(min_length=1, max_length=60, pattern=r"^[^;\x00]*[^\s;\x00][^;\x00]*$"),
    AfterValidator(str.strip),
]


class CeasefireCreate(MarkingIn):
    """An agreement as the secretariat records it."""

    name: NonBlankStr = Field(min_length=1, max_length=200)
    parties: list[Party] = Field(min_length=1, max_length=10)
    scope: list[Scope] = Field(min_length=1, max_length=3)
    starts_on: Annotated[dt.date, Day(1990, 2099)]
    duration_days: int = Field(default=30, ge=1, le=3650)
    status: CeasefireStatus = CeasefireStatus.PROPOSED
    summary: str = Field(default="", max_length=20_000)
    source_title: str = Field(default="", max_length=300)
    source_ref: str = Field(default="", max_length=500)


class CeasefireUpdate(WireIn):
    """An extension or a change of status; ``version`` guards against lost updates."""

    version: int = Field(ge=1, le=2**31 - 1)
    extension_days: int | None = Field(default=None, ge=0, le=3650)
    status: CeasefireStatus | None = None


class CeasefirePublic(MarkedPublic):
    id: int
    version: int
    name: str
    parties: list[str]
    scope: list[Scope]
    starts_on: dt.date
    duration_days: int
    extension_days: int
    ends_on: dt.date
    status: CeasefireStatus
    summary: str
    illustrative: bool
    marking: MarkingOut


class ReportCreate(MarkingIn):
    """A report filed by a monitor (from the form or the API)."""

    _text = field_validator("source_name", "source_id", "region", "weapon", "attribution", "text")(
        _no_nul
    )

    source_kind: SourceKind = SourceKind.MONITOR_PATROL
    source_name: NonBlankStr = Field(min_length=1, max_length=120)
    source_id: NonBlankStr = Field(min_length=1, max_length=120)
    reliability: str = Field(pattern=r"^[A-F]$")
    credibility: int = Field(ge=1, le=6)
    occurred_at: IsoTime
    time_precision: TimePrecision = Field(
        default=TimePrecision.MINUTE,
        description="what occurred_at is given to: minute (as given), hour or day (the "
        "time is taken as the start of its hour or day, UTC)",
    )
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    precision_m: int = Field(default=1000, ge=0, le=1_000_000)
    region: str = Field(default="", max_length=80)
    type: IncidentType
    weapon: str = Field(default="", max_length=120)
    attribution: str = Field(default="", max_length=80)
    casualties: int = Field(default=0, ge=0, le=100_000)
    text: str = Field(default="", max_length=20_000)


class ReportPublic(MarkedPublic):
    id: int
    source_kind: SourceKind
    source_name: str
    source_id: str
    reliability: str
    credibility: int
    occurred_at: dt.datetime
    time_precision: TimePrecision = Field(
        description="what occurred_at is given to; for hour or day it is the window's start"
    )
    received_at: dt.datetime
    latitude: float
    longitude: float
    precision_m: int
    region: str = Field(description="the oblast the position lies in (else as reported)")
    reported_region: str = Field(description="the region's name as received")
    type: IncidentType
    weapon: str
    attribution: str
    casualties: int = Field(description="deaths the report gives")
    text: str
    incident_id: int | None
    import_run: str | None = Field(
        None,
        description="the key of the import run that stored it, if it came in a file "
        "(its record at /api/v1/imports/{key})",
    )
    illustrative: bool
    marking: MarkingOut


class IncidentPublic(MarkedPublic):
    id: int
    key: str
    type: IncidentType
    first_at: dt.datetime
    time_precision: TimePrecision = Field(
        description="what first_at is given to (its first report's time precision)"
    )
    last_at: dt.datetime
    latitude: float
    longitude: float
    region: str
    report_count: int
    casualties: int = Field(
        description="deaths: the highest figure any source gives (each source's highest)"
    )
    casualties_low: int = Field(description="the lowest of the sources' figures")
    casualties_high: int = Field(description="the highest of the sources' figures")
    claimed_attribution: str
    status: Verification
    assessed_attribution: str
    marking: MarkingOut


class StatusChangeIn(WireIn):
    _text = field_validator("reason", "assessed_attribution")(_no_nul)

    status: Verification
    reason: NonBlankStr = Field(min_length=3, max_length=4000)
    assessed_attribution: str = Field(default="", max_length=80)


class StatusChangePublic(BaseModel):
    status: Verification
    assessed_attribution: str
    reason: str
    actor: str
    created_at: dt.datetime


class CursorPage(BaseModel, Generic[T]):
    """One page of a list in a stable order; pass ``next_cursor`` back for the next."""

    items: list[T]
    next_cursor: str | None


class Count(BaseModel):
    key: str
    reports: int
    casualties: int = Field(
        description="deaths summed over the reports (an event two sources report counts "
        "twice; an incident's figure is reconciled by source)"
    )


class CeasefireStats(BaseModel):
    ceasefire_id: int
    day_of: int | None
    days_total: int
    standing: str = Field(description="The agreement's standing today, in words")
    during: int
    before: int
    days_elapsed: int = Field(description="Days of the ceasefire up to today")
    days_with_reports_during: int = Field(description="Of those, days holding any report")
    days_before: int = Field(description="Days of the comparison period before it")
    days_with_reports_before: int = Field(description="Of those, days holding any report")
    out_of_area: int = Field(
        description="Reports placed outside the area of operations, held for review, not counted"
    )
    change_percent: float | None
    trend_per_day: float | None
    by_day: list[Count]
    by_type: list[Count]
    by_region: list[Count]
    by_attribution: list[Count]


class GridCell(BaseModel):
    south: float
    west: float
    north: float
    east: float
    reports: int


class Grid(BaseModel):
    cell_degrees: float
    cells: list[GridCell]
    total: int
