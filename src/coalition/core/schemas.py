"""Wire shapes shared by every capability: pages of results, markings, errors."""

from __future__ import annotations

from typing import Any, Generic, Protocol, Self, TypeVar

from pydantic import BaseModel, Field, GetJsonSchemaHandler, ValidationError
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from coalition.core.marking import Marking, decode_release, describe, note_shown
from coalition.core.wiretypes import MemberCode, WireIn

T = TypeVar("T")

MAX_PAGE = 500


class Page(BaseModel, Generic[T]):
    """One page of a list; ``total`` counts only what the reader may see."""

    items: list[T]
    total: int
    limit: int
    offset: int
    marking: str = Field(
        default="PUBLIC",
        description="The highest marking of the records listed and counted, e.g. COALITION",
    )


class MarkingIn(WireIn):
    """The marking of a record being written.

    REL TO names at least one member; the other markings name none (the writer's own
    member aside), as the document declares.
    """

    marking: Marking = Marking.COALITION
    rel_to: list[MemberCode] = Field(default_factory=list, max_length=60)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        declared = super().__get_pydantic_json_schema__(schema, handler)
        handler.resolve_ref_schema(declared)["anyOf"] = marking_rule()
        return declared


def marking_rule(*, optional: bool = False) -> list[JsonSchemaValue]:
    """The marking rule as JSON Schema: REL TO names members, the other markings none.

    With ``optional``, a missing or null marking (the widest one allowed, chosen by the
    program) takes any list, which it ignores.
    """
    others = [m.value for m in Marking if m is not Marking.REL_TO]
    branches: list[JsonSchemaValue] = [
        {
            "properties": {"marking": {"const": Marking.REL_TO.value}, "rel_to": {"minItems": 1}},
            "required": ["marking", "rel_to"],
        },
        {
            "properties": {"marking": {"enum": others}, "rel_to": {"maxItems": 0}},
            **({"required": ["marking"]} if optional else {}),
        },
    ]
    if optional:
        branches.append({"properties": {"marking": {"type": "null"}}})
    return branches


class MarkedRow(Protocol):
    """What a stored marked record offers: its owner and its marking as stored."""

    @property
    def owner_code(self) -> str: ...

    @property
    def marking(self) -> str: ...

    @property
    def rel_to(self) -> str: ...


class MarkingOut(BaseModel):
    """A record's marking on the wire: owner, marking, REL TO list and the page label."""

    owner: str
    marking: Marking
    rel_to: list[str]
    label: str

    @classmethod
    def of(cls, record: MarkedRow) -> MarkingOut:
        """The wire form of a stored record's marking: the one conversion there is.

        Each conversion is noted for the request being served, so a page can state the
        highest marking of what it shows (:func:`coalition.core.marking.overall`).
        """
        marking = Marking(record.marking)
        note_shown(marking, record.owner_code, record.rel_to)
        return cls(
            owner=record.owner_code,
            marking=marking,
            rel_to=decode_release(record.rel_to),
            label=describe(marking, record.owner_code, record.rel_to),
        )


# Provenance on the wire: a Public shape that declares one of these gets it from the record.
PROVENANCE_FIELDS = ("source_title", "source_ref", "illustrative")


class MarkedPublic(BaseModel):
    """The base of every Public shape of a marked record.

    The shape declares ``marking: MarkingOut`` (and any of :data:`PROVENANCE_FIELDS`)
    where it falls among its fields, since the field order is the wire's; build it with
    :meth:`of`, which takes the marking and the provenance from the record itself.
    """

    @classmethod
    def of(cls, record: MarkedRow, **fields: Any) -> Self:
        """The shape of ``record``: ``fields``, its marking, and its declared provenance."""
        if "marking" not in cls.model_fields:
            raise TypeError(f"{cls.__name__} declares no marking")
        for name in PROVENANCE_FIELDS:
            if name in cls.model_fields and name not in fields:
                fields[name] = getattr(record, name)
        return cls(**fields, marking=MarkingOut.of(record))


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
