"""Field types whose validation is exactly what the OpenAPI document declares.

Pydantic is lenient where JSON Schema is not: it reads ``0`` as 1 January 1970, ``false``
as the number 0 and ``0`` as false, and it checks ranges of dates that the document never
mentions. A client reading the document, or a fuzzer such as Schemathesis, then finds
valid requests refused and invalid ones accepted. The types here close that gap:

- :class:`WireIn`, the base of every request body, takes a JSON number only where one is
  declared and a boolean only where one is declared;
- :class:`Day` and :class:`Moment` take a date or a time only as ISO 8601 text (or as a
  ``date`` or an aware ``datetime`` from a page's own parsing), in the years they allow,
  and declare those years as the field's pattern;
- :data:`NonBlankStr` refuses text of whitespace only, and says so;
- no text anywhere in a body may hold a NUL character (PostgreSQL cannot store one), and
  every text field without a pattern of its own declares ``NO_NUL``.

Patterns are read with Python's ``re`` (``regex_engine="python-re"``), as JSON Schema tools
written in Python read the document.
"""

from __future__ import annotations

import abc
import datetime as dt
import math
import re
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from coalition.core.patterns import MEMBER_CODE_TEXT, date_pattern, datetime_pattern

# Declared for every text field without a pattern of its own.
NO_NUL = r"^[^\x00]*$"
# Declared for every non-blank text: "holds a character that is not whitespace, and no
# NUL". Python's ``\s`` is exactly ``str.isspace``, which ``strip`` removes.
NOT_BLANK = r"^[^\x00]*[^\s\x00][^\x00]*$"

# Years a date or time may have unless a field says otherwise: wide enough for any record,
# narrow enough that converting a time to UTC never leaves the calendar.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def _not_blank(value: str) -> str:
    text = value.strip()
    if not text:
        raise ValueError("may not be blank")
    return text


class _NotBlank:
    """Pydantic hook: strip the text after its length is checked, refuse it if empty."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
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


class _Patterned(abc.ABC):
    """A marker whose value ``_check`` reads and whose text the API document declares by
    ``pattern``, so the declared rule and the check are written side by side once."""

    @property
    @abc.abstractmethod
    def pattern(self) -> str:
        """The regular expression the API document declares for the text form."""

    @abc.abstractmethod
    def _check(self, value: Any) -> Any:
        """``value`` if it keeps the rule; raises ``ValueError`` saying the rule if not."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_before_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        declared = handler(schema)
        declared["pattern"] = self.pattern
        return declared


@dataclass(frozen=True)
class Day(_Patterned):
    """Pydantic marker for a ``date``: ``YYYY-MM-DD`` in the years ``first`` to ``last``."""

    first: int = FIRST_YEAR
    last: int = LAST_YEAR

    @property
    def pattern(self) -> str:
        return date_pattern(self.first, self.last)

    def _check(self, value: Any) -> Any:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            if self.first <= value.year <= self.last:
                return value
        elif isinstance(value, str) and re.search(self.pattern, value):
            return value
        raise ValueError(f"a date written YYYY-MM-DD, in the years {self.first} to {self.last}")


@dataclass(frozen=True)
class Moment(_Patterned):
    """Pydantic marker for an aware ``datetime``: RFC 3339 with its offset, in given years.

    The years are read as written (``2099-12-31T23:00:00-05:00`` is in 2099), so the
    declared pattern and the check agree whatever the offset.
    """

    first: int = FIRST_YEAR
    last: int = LAST_YEAR

    @property
    def pattern(self) -> str:
        return datetime_pattern(self.first, self.last)

    def _check(self, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None and self.first <= value.year <= self.last:
                return value
        elif isinstance(value, str) and re.search(self.pattern, value):
            return value
        raise ValueError(
            "a time written YYYY-MM-DDTHH:MM:SS with its zone (Z for UTC), "
            f"in the years {self.first} to {self.last}"
        )


@dataclass(frozen=True)
class Amount(_Patterned):
    """Pydantic marker for a ``Decimal`` of up to ``digits`` whole digits and ``places`` more.

    As text it is written plainly (``12``, ``12.5``), as its declared pattern says; a JSON
    number is a binary fraction, so it is rounded to ``places`` decimals. Bounds and signs
    stay with the field's ``Field(ge=..., le=...)``.
    """

    digits: int
    places: int

    @property
    def pattern(self) -> str:
        return rf"^\d{{1,{self.digits}}}(?:\.\d{{1,{self.places}}})?$"

    def _check(self, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("a number, not true or false")
        if isinstance(value, int | float):
            try:
                if not math.isfinite(value):
                    raise InvalidOperation
                return Decimal(repr(value)).quantize(Decimal(1).scaleb(-self.places))
            except InvalidOperation:
                raise ValueError("a number too large to hold") from None
        if isinstance(value, str) and not re.search(self.pattern, value):
            raise ValueError(f"a number written plainly (12 or 12.5), up to {self.places} decimals")
        return value

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        declared = handler(schema)
        for branch in declared.get("anyOf", [declared]):
            if branch.get("type") == "string":
                branch["pattern"] = self.pattern
        return declared


@dataclass(frozen=True)
class OneOf:
    """Pydantic marker for text from a vocabulary the program ships (currencies, capabilities).

    The vocabulary is read when first needed and declared as the field's ``enum``.
    """

    values: Callable[[], Iterable[str]]
    what: str

    def _check(self, value: str) -> str:
        if value not in set(self.values()):
            raise ValueError(f"unknown {self.what} {value!r}")
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        declared = handler(schema)
        declared["enum"] = sorted(self.values())
        return declared


MemberCode = Annotated[str, Field(pattern=MEMBER_CODE_TEXT), AfterValidator(str.upper)]
"""A member's code as sent: two to four letters, read in capitals (``gbr`` is ``GBR``)."""

IsoDate = Annotated[dt.date, Day()]
"""A calendar date as ISO 8601 text, in the default years (query filters, most records)."""

IsoTime = Annotated[dt.datetime, Moment()]
"""An aware time as RFC 3339 text, in the default years."""


def _json_mismatch(annotation: Any, value: Any) -> str | None:
    """What is wrong with ``value`` for a field of ``annotation``, as JSON types go."""
    if isinstance(value, str) and "\x00" in value:
        return "text may not hold a NUL character"
    origin = get_origin(annotation)
    if origin is Annotated:
        return _json_mismatch(get_args(annotation)[0], value)
    if origin in (Union, types.UnionType):
        if value is None:
            return None
        problems = [_json_mismatch(a, value) for a in get_args(annotation) if a is not type(None)]
        return None if None in problems else problems[0]
    if isinstance(value, list):
        item = get_args(annotation)[0] if origin is list else Any
        return next((p for p in (_json_mismatch(item, v) for v in value) if p), None)
    if isinstance(value, dict):
        key, item = get_args(annotation) if origin is dict else (Any, Any)
        pairs = [(key, k) for k in value] + [(item, v) for v in value.values()]
        return next((p for p in (_json_mismatch(a, v) for a, v in pairs) if p), None)
    if annotation is bool and not isinstance(value, bool):
        return f"true or false, not {_describe(value)}"
    if annotation is int:
        whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        if not whole or isinstance(value, bool):
            return f"a whole number, not {_describe(value)}"
    if annotation in (float, Decimal) and isinstance(value, bool):
        return "a number, not true or false"
    if annotation is float and not isinstance(value, int | float):
        return f"a number, not {_describe(value)}"
    return None


def _declare_no_nul(schema: dict[str, Any]) -> None:
    """Give every text schema without a pattern (or a vocabulary) the ``NO_NUL`` pattern."""
    if schema.get("type") == "string" and not {"pattern", "enum", "const"} & set(schema):
        schema["pattern"] = NO_NUL
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for branch in schema.get(key, []):
            _declare_no_nul(branch)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            _declare_no_nul(schema[key])


class WireIn(BaseModel):
    """Base of every request body: unknown fields refused, JSON types taken as declared.

    A boolean is never read as a number nor a number as a boolean, and a number is not
    read from text, as JSON Schema says; no text may hold a NUL character. Pydantic's
    other checks follow. (A decimal amount is declared as a number or a numeric string,
    and takes both.)
    """

    model_config = ConfigDict(extra="forbid", regex_engine="python-re")

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        declared = super().__get_pydantic_json_schema__(schema, handler)
        for prop in handler.resolve_ref_schema(declared).get("properties", {}).values():
            _declare_no_nul(prop)
        return declared

    @model_validator(mode="before")
    @classmethod
    def _json_types(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name, value in data.items():
                field = cls.model_fields.get(name)
                if field is None:
                    continue
                problem = _json_mismatch(field.annotation, value)
                if problem is not None:
                    raise ValueError(f"{name}: {problem}")
        return data


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return type(value).__name__
