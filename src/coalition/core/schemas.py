"""Wire shapes shared by every capability: pages of results, markings, errors."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from coalition.core.marking import MEMBER_CODE, Marking

T = TypeVar("T")

MAX_PAGE = 500


class Page(BaseModel, Generic[T]):
    """One page of a list; ``total`` counts only what the reader may see."""

    items: list[T]
    total: int
    limit: int
    offset: int


class MarkingIn(BaseModel):
    """The marking of a record being written."""

    model_config = ConfigDict(extra="forbid")

    marking: Marking = Marking.COALITION
    rel_to: list[str] = Field(default_factory=list, max_length=60)

    @field_validator("rel_to")
    @classmethod
    def _codes(cls, value: list[str]) -> list[str]:
        codes = [v.strip().upper() for v in value]
        for code in codes:
            if not MEMBER_CODE.match(code):
                raise ValueError(f"not a member code: {code!r}")
        return codes


class MarkingOut(BaseModel):
    owner: str
    marking: Marking
    rel_to: list[str]
    label: str


class ErrorBody(BaseModel):
    code: str
    detail: str


class ErrorResponse(BaseModel):
    """The one JSON shape of every error the API returns."""

    error: ErrorBody


def describe_validation(exc: ValidationError) -> str:
    """A pydantic error as one line: ``field: message`` for the first few problems."""
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err.get("loc", ()))
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts) or "invalid input"
