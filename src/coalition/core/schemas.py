"""Wire shapes shared by every capability: pages of results, markings, errors."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ValidationError,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from coalition.core.marking import MEMBER_CODE, Marking

T = TypeVar("T")

MAX_PAGE = 500

# Declared in the OpenAPI document for every non-blank text: "holds a character that is
# not whitespace". Python's ``\s`` is exactly ``str.isspace``, which ``strip`` removes.
NOT_BLANK = r"\S"


def _not_blank(value: str) -> str:
    text = value.strip()
    if not text:
        raise ValueError("may not be blank")
    return text


class _NotBlank:
    """Pydantic hook: strip the text after its length is checked, refuse it if empty."""

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_after_validator_function(_not_blank, handler(source))

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        declared = handler(schema)
        declared["pattern"] = NOT_BLANK
        return declared


NonBlankStr = Annotated[str, _NotBlank]
"""Text that must say something: a name, a title, an item, a reason.

Whitespace around it is stripped; text of whitespace only is refused. Lengths given with
``Field`` are checked on the text as sent, so keep ``min_length`` at 1 on optional fields
(stripping could otherwise make a declared-valid value too short).
"""


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
