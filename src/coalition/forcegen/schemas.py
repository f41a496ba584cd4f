"""What crosses the wire about force generation."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from coalition.core.marking import Marking
from coalition.core.schemas import MarkedPublic, MarkingIn, MarkingOut, marking_rule
from coalition.core.wiretypes import Day as Days
from coalition.core.wiretypes import MemberCode, NonBlankStr, OneOf, WireIn
from coalition.forcegen.allocation import OfferStatus
from coalition.forcegen.taxonomy import Phase, Region, Task, capabilities, enablers

Code = Annotated[str, Field(min_length=2, max_length=20), OneOf(capabilities, "capability")]
Enabler = Annotated[str, Field(min_length=2, max_length=20), OneOf(enablers, "backstop enabler")]
Quantity = Annotated[int, Field(ge=1, le=10_000)]
Priority = Annotated[int, Field(ge=1, le=5, description="1 is the highest priority")]
Day = Annotated[dt.date, Days(2000, 2100)]


def _no_nul(value: str) -> str:
    # PostgreSQL refuses NUL in text; say so instead of failing at the database.
    if "\x00" in value:
        raise ValueError("text may not contain NUL characters")
    return value


Notes = Annotated[str, Field(max_length=4000), AfterValidator(_no_nul)]
Label = Annotated[NonBlankStr, Field(min_length=1, max_length=200), AfterValidator(_no_nul)]


class _Window(WireIn):
    @model_validator(mode="after")
    def _window(self):  # type: ignore[no-untyped-def]
        start, end = getattr(self, "starts_on", None), getattr(self, "ends_on", None)
        if start is not None and end is not None and end < start:
            raise ValueError("the window ends before it starts")
        return self


class CapabilityPublic(BaseModel):
    code: str
    name: str
    domain: str
    unit: str
    backstop_enabler: bool
    description: str


class RequirementCreate(MarkingIn, _Window):
    label: Label
    capability: Code
    quantity: Quantity
    phase: Phase
    region: Region
    task: Task
    starts_on: Day
    ends_on: Day
    priority: Priority = 3
    enablers: list[Enabler] = Field(default_factory=list, max_length=10)
    notes: Notes = ""
    illustrative: bool = False


class RequirementUpdate(_Window):
    version: int = Field(ge=1, le=2**31 - 1)
    label: Label | None = None
    quantity: Quantity | None = None
    phase: Phase | None = None
    region: Region | None = None
    task: Task | None = None
    starts_on: Day | None = None
    ends_on: Day | None = None
    priority: Priority | None = None
    enablers: list[Enabler] | None = Field(default=None, max_length=10)
    notes: Notes | None = None


class RequirementPublic(MarkedPublic):
    id: int
    label: str
    capability: str
    quantity: int
    phase: Phase
    region: Region
    task: Task
    starts_on: dt.date
    ends_on: dt.date
    priority: int
    enablers: list[str]
    notes: str
    illustrative: bool
    version: int
    marking: MarkingOut


class OfferCreate(MarkingIn, _Window):
    capability: Code
    quantity: Quantity
    starts_on: Day
    ends_on: Day
    status: OfferStatus = OfferStatus.INDICATED
    excluded_regions: list[Region] = Field(default_factory=list, max_length=20)
    excluded_tasks: list[Task] = Field(default_factory=list, max_length=20)
    needs_enablers: list[Enabler] = Field(default_factory=list, max_length=10)
    approval_pending: bool = False
    notes: Notes = ""
    illustrative: bool = False


class OfferUpdate(_Window):
    version: int = Field(ge=1, le=2**31 - 1)
    quantity: Quantity | None = None
    starts_on: Day | None = None
    ends_on: Day | None = None
    status: OfferStatus | None = None
    excluded_regions: list[Region] | None = Field(default=None, max_length=20)
    excluded_tasks: list[Task] | None = Field(default=None, max_length=20)
    needs_enablers: list[Enabler] | None = Field(default=None, max_length=10)
    approval_pending: bool | None = None
    notes: Notes | None = None
    marking: Marking | None = None
    rel_to: list[MemberCode] | None = Field(default=None, max_length=60)


class OfferPublic(MarkedPublic):
    id: int
    member: str
    capability: str
    quantity: int
    starts_on: dt.date
    ends_on: dt.date
    status: OfferStatus
    excluded_regions: list[Region]
    excluded_tasks: list[Task]
    needs_enablers: list[str]
    approval_pending: bool
    notes: str
    illustrative: bool
    version: int
    marking: MarkingOut


COUNTED = [s for s in OfferStatus if s is not OfferStatus.WITHDRAWN]


class ScenarioCreate(MarkingIn):
    name: str = Field(min_length=1, max_length=60, pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Label
    description: Notes = ""
    members: list[MemberCode] = Field(
        default_factory=list, max_length=60, description="Members taking part; empty: all"
    )
    backstop: bool = True
    statuses: list[OfferStatus] = Field(
        default_factory=lambda: [OfferStatus.OFFERED, OfferStatus.CONFIRMED],
        min_length=1,
        max_length=4,
        # Withdrawn offers never count, so at least one other status must be named.
        json_schema_extra={"contains": {"enum": [s.value for s in COUNTED]}},
    )
    phase: Phase | None = None
    count_pending_approval: bool = True
    illustrative: bool = False


class ScenarioPublic(MarkedPublic):
    id: int
    name: str
    title: str
    description: str
    members: list[str]
    backstop: bool
    statuses: list[OfferStatus]
    phase: Phase | None
    count_pending_approval: bool
    illustrative: bool
    version: int
    marking: MarkingOut


class PlanCreate(WireIn):
    scenario_id: int = Field(ge=1, le=2**31 - 1)
    time_limit: float = Field(default=30.0, ge=1.0, le=300.0, description="Seconds per solve")
    marking: Marking | None = Field(
        default=None, description="Default: the widest marking every input allows"
    )
    rel_to: list[MemberCode] = Field(default_factory=list, max_length=60)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        declared = super().__get_pydantic_json_schema__(schema, handler)
        handler.resolve_ref_schema(declared)["anyOf"] = marking_rule(optional=True)
        return declared


class ReasonOut(BaseModel):
    """One reason an offer stayed out of a line, as the plan said it when solved."""

    code: str = Field(description="window, region, task, line_needs_backstop, ...")
    text: str


class KeptOutOut(BaseModel):
    """An offer of a short line's capability that gave the line less than it had."""

    offer_id: int
    member: str
    capability: str
    quantity: int
    allocated_here: int
    reasons: list[ReasonOut]


class LineResult(BaseModel):
    """One requirement line of a plan: filled with and without the backstop, and, when the
    plan leaves it short, every offer of its capability kept out, with the reasons."""

    requirement_id: int
    label: str
    capability: str
    phase: str
    region: str
    priority: int
    required: int
    filled: int
    filled_without: int
    kept_out: list[KeptOutOut] = Field(default_factory=list)


class AllocationOut(BaseModel):
    requirement_id: int
    offer_id: int
    member: str
    quantity: int
    backstop: bool  # True: in the plan with the backstop, else in the plan without


class PlanSummary(MarkedPublic):
    id: int
    scenario_id: int | None
    scenario_name: str
    computed_by: str
    created_at: dt.datetime
    backstop: bool
    status: str
    gap: float
    objective: float
    objective_without: float
    greedy_objective: float
    required: int
    filled: int
    filled_without: int
    marking: MarkingOut


class PlanPublic(PlanSummary):
    requirement_ids: list[int]
    offer_ids: list[int]
    lines: list[LineResult]
    allocations: list[AllocationOut]
    explained: bool = Field(
        default=False, description="True when its short lines carry the offers kept out"
    )
    stale: bool = Field(
        default=False, description="True when its inputs changed after it was solved"
    )
    stale_reasons: list[str] = Field(
        default_factory=list, description="What changed since, as the reader may see it"
    )
