"""What crosses the wire about import runs."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, Field

from coalition.core.filters import ListFilters
from coalition.core.schemas import MarkedPublic, MarkingOut
from coalition.core.wiretypes import MemberCode
from coalition.imports.enums import Imported, RunState

LAYOUT_TEXT = r"^[a-z0-9_-]{1,40}$"


class RunFilters(ListFilters):
    """What the import runs may be narrowed to; every filter given must hold."""

    capability: Imported | None = None
    member: Annotated[MemberCode | None, Field(description="The member the runs were made for")] = (
        None
    )
    # Not ``format``: an export's ``format`` is its file's (CSV or JSON).
    layout: Annotated[
        str | None,
        Field(pattern=LAYOUT_TEXT, description="The file's layout (kiel, csv, geojson, ...)"),
    ] = None
    state: RunState | None = None

    labels = {"capability": "Imported", "member": "For member", "layout": "Layout"}


class RunCounts(BaseModel):
    """What a run did with the rows it read."""

    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


class RunSummary(MarkedPublic):
    id: int
    key: str
    capability: Imported
    layout: str
    file_name: str
    file_size: int
    state: RunState
    started_by: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    read: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    marking: MarkingOut


class RunPublic(RunSummary):
    file_sha256: str
    options: dict[str, Any]
    error: str
    rejects_stored: int
    rejects_dropped: int


class RejectPublic(BaseModel):
    line: int
    column: str
    reason: str
