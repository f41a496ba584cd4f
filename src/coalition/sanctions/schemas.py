"""What crosses the wire for sanctions: lists, entities, and the entity list's filters."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field

from coalition.core.filters import ListFilters
from coalition.core.schemas import MarkedPublic, MarkingOut
from coalition.core.wiretypes import IsoDate
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
    listed: int = Field(description="Entities listed now (in its latest snapshot)")
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
