"""What crosses the wire about commitments, deliveries and the ledger's figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, Field, model_validator

from coalition.commitments import money
from coalition.commitments.model import Category, DatePrecision, Status
from coalition.core.marking import Marking
from coalition.core.schemas import MarkedPublic, MarkingIn, MarkingOut
from coalition.core.wiretypes import (
    Amount,
    Day,
    MemberCode,
    NonBlankStr,
    OneOf,
    WireIn,
)

# Bounds a pledge can plausibly have; beyond them the input is a typo.
MAX_VALUE = Decimal("9999999999999.99")
MAX_QUANTITY = Decimal("999999999999.999")
EARLIEST = dt.date(2014, 1, 1)
LATEST = dt.date(2099, 12, 31)

PledgeDay = Annotated[dt.date, Day(EARLIEST.year, LATEST.year)]
# An ISO 4217 code in capitals, one the shipped ECB table has rates for.
Currency = Annotated[str, OneOf(money.currencies, "currency with an ECB rate")]
MoneyAmount = Annotated[
    Decimal, Field(ge=0, le=MAX_VALUE, decimal_places=2), Amount(digits=13, places=2)
]
QuantityAmount = Annotated[
    Decimal, Field(ge=0, le=MAX_QUANTITY, decimal_places=3), Amount(digits=12, places=3)
]


class CommitmentCreate(MarkingIn):
    member: MemberCode = Field(min_length=2, max_length=4)
    announced_on: PledgeDay | None = None
    date_precision: DatePrecision = Field(
        default=DatePrecision.DAY,
        description="Default: day for a dated pledge, unknown for an undated one",
    )
    category: Category
    item: NonBlankStr = Field(min_length=1, max_length=300)
    explanation: str = Field(default="", max_length=5000)
    quantity: QuantityAmount | None = None
    unit: str = Field(default="", max_length=40)
    value: MoneyAmount | None = None
    currency: Currency | None = None
    status: Status = Status.ANNOUNCED
    meeting_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    source_title: str = Field(default="", max_length=300)
    source_ref: str = Field(default="", max_length=500)
    illustrative: bool = False

    @model_validator(mode="before")
    @classmethod
    def _undated(cls, data: Any) -> Any:
        # An undated pledge has an unknown date unless the sender says otherwise.
        if isinstance(data, dict) and data.get("announced_on") is None:
            data = {"date_precision": DatePrecision.UNKNOWN.value, **data}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> CommitmentCreate:
        if (self.value is None) != (self.currency is None):
            raise ValueError("value and currency go together: give both or neither")
        if (self.announced_on is None) != (self.date_precision is DatePrecision.UNKNOWN):
            raise ValueError("an unknown date has no day, and a known one needs a precision")
        return self


class CommitmentUpdate(WireIn):
    """A change: a new revision of the record. ``revision`` is the one the writer read."""

    revision: int = Field(ge=1, le=2**31 - 1)
    announced_on: PledgeDay | None = None
    date_precision: DatePrecision | None = None
    category: Category | None = None
    item: NonBlankStr | None = Field(default=None, min_length=1, max_length=300)
    explanation: str | None = Field(default=None, max_length=5000)
    quantity: QuantityAmount | None = None
    unit: str | None = Field(default=None, max_length=40)
    value: MoneyAmount | None = None
    currency: Currency | None = None
    status: Status | None = None
    meeting_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    source_title: str | None = Field(default=None, max_length=300)
    source_ref: str | None = Field(default=None, max_length=500)
    marking: Marking | None = None
    rel_to: list[MemberCode] | None = Field(default=None, max_length=60)


class DeliveryCreate(WireIn):
    delivered_on: PledgeDay
    quantity: QuantityAmount | None = None
    value: MoneyAmount | None = None
    note: str = Field(default="", max_length=500)

    @model_validator(mode="after")
    def _something(self) -> DeliveryCreate:
        if self.quantity is None and self.value is None:
            raise ValueError("a delivery has a quantity, a value, or both")
        if (self.quantity or 0) == 0 and (self.value or 0) == 0:
            raise ValueError("a delivery of nothing is not a delivery")
        return self


class DeliveryPublic(BaseModel):
    id: int
    delivered_on: dt.date
    quantity: Decimal | None
    value: Decimal | None
    currency: str | None
    value_eur: Decimal | None
    rate: Decimal | None
    rate_date: dt.date | None
    note: str
    date_precision: DatePrecision = Field(
        default=DatePrecision.DAY,
        description="How well delivered_on is known: 'by' is on or before that day",
    )


class CommitmentPublic(MarkedPublic):
    id: str = Field(description="Stable identity of the commitment across revisions")
    revision: int
    member: str
    announced_on: dt.date | None
    date_precision: DatePrecision
    date_text: str
    imprecise_date: bool
    category: Category
    item: str
    explanation: str
    quantity: Decimal | None
    unit: str
    value: Decimal | None
    currency: str | None
    value_eur: Decimal | None
    rate: Decimal | None
    rate_date: dt.date | None
    status: Status
    meeting_id: int | None
    source: str
    source_id: str | None
    source_title: str
    source_ref: str
    import_run: str | None = Field(
        None,
        description="the key of the import run whose file wrote this revision, if one did "
        "(its record at /api/v1/imports/{key})",
    )
    illustrative: bool
    recorded_at: dt.datetime
    superseded_at: dt.datetime | None
    delivered_quantity: Decimal | None
    delivered_value: Decimal | None
    delivered_value_eur: Decimal | None
    delivered_share: float | None = Field(description="0 to 1; by quantity if counted, else value")
    marking: MarkingOut


class MemberFigure(BaseModel):
    member: str
    name: str
    commitments: int
    pledged_eur: Decimal
    delivered_eur: Decimal
    gdp_eur: Decimal | None = Field(
        description="GDP (euros) of the year used for the latest pledges"
    )
    share_of_gdp: float | None = Field(
        description="Each year's pledged euros over that year's GDP, summed, as a fraction"
    )
    gdp_basis: str = Field(description="Which year's GDP each year's pledges are measured against")


class CategoryFigure(BaseModel):
    category: Category
    commitments: int
    pledged_eur: Decimal
    delivered_eur: Decimal


class MonthFigure(BaseModel):
    month: str = Field(description="YYYY-MM")
    pledged_eur: Decimal
    delivered_eur: Decimal
    cumulative_pledged_eur: Decimal
    cumulative_delivered_eur: Decimal
    gap_eur: Decimal


class Summary(BaseModel):
    commitments: int
    pledged_eur: Decimal
    delivered_eur: Decimal
    undated: int = Field(description="Commitments without a known date (not in by_month)")
    without_value: int
    by_member: list[MemberFigure]
    by_category: list[CategoryFigure]
    by_month: list[MonthFigure]
    gdp_note: str


class ImportSummary(BaseModel):
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    delivered: int = 0  # deliveries recorded
    undisclosed: int = 0  # rows saying something arrived without saying how much
