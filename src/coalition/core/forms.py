"""The page form layer: form models, the REL TO parser, refusals in plain words.

A page form posts text. Its handler takes one form model (``Annotated[SomeForm, Form()]``)
whose fields are that text, kept as typed so a refused form can be shown again with it;
the handler turns the text into the API's wire model inside :func:`submit`, which runs
the service in a savepoint. Bad input (a pydantic ``ValidationError`` or ``Invalid``)
comes back as a :class:`Refusal` with status 422, a stale write as 409, each carrying
:class:`FormErrors`: a summary for the top of the form and a message beside each field,
in plain words (never pydantic's own wording nor its help links). Any other domain
error (forbidden, not found) propagates, so the page answers as the API does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy.orm import Session

from coalition.core.db import savepoint
from coalition.core.errors import CoalitionError, Conflict, Invalid
from coalition.core.patterns import MEMBER_CODE_TEXT

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

_MEMBER_CODE = re.compile(MEMBER_CODE_TEXT)
_SEPARATORS = re.compile(r"[\s,;]+")
# A detail that names its field: ``quantity: not a whole number``.
_FIELD_DETAIL = re.compile(r"^([a-z][a-z0-9_]*)(?:\.[\w.]+)?: (.+)$", re.DOTALL)

# Form field types: text as typed, bounded so a hostile post cannot be huge.
Short = Annotated[str, Field(max_length=5000)]
Text = Annotated[str, Field(max_length=20_000)]
Choices = Annotated[list[str], Field(max_length=60)]


class PageForm(BaseModel):
    """Base of every page form: text fields as typed, plus the CSRF token.

    Unknown fields are ignored (a browser may send a button's name); a field the model
    declares is read as the text the user typed, and converted only by the wire model.
    """

    model_config = ConfigDict(extra="ignore", str_max_length=20_000)

    csrf_token: Annotated[str, Field(max_length=200)] = ""

    def typed(self) -> dict[str, Any]:
        """What the user typed, to fill the form again (never the CSRF token)."""
        return self.model_dump(exclude={"csrf_token"})


def parse_rel_to(text: str) -> list[str]:
    """The member codes of a REL TO field, as the API takes them.

    Codes are separated by commas, semicolons or white space; each is two to four letters
    (the API's ``MemberCode`` pattern), upper-cased, kept once, in the order first given.
    Raises ``ValueError`` naming the first word that is not a member code.
    """
    codes: list[str] = []
    for word in _SEPARATORS.split(text):
        if not word:
            continue
        if not _MEMBER_CODE.fullmatch(word):
            raise ValueError(f"{word!r} is not a member code (two to four letters, as FRA)")
        code = word.upper()
        if code not in codes:
            codes.append(code)
    return codes


def blank_none(text: str) -> str | None:
    """A form's optional field: blank (or spaces) is none, anything else as typed, stripped."""
    return text.strip() or None


def whole(text: str) -> int | None:
    """A whole-number field: blank is none; digits, with an optional minus, are the number."""
    value = text.strip()
    if not value:
        return None
    if not re.fullmatch(r"-?[0-9]{1,12}", value):
        raise ValueError("not a whole number")
    return int(value)


def number(text: str) -> float | None:
    """A decimal field read as a number (coordinates): blank is none."""
    value = text.strip()
    if not value:
        return None
    if re.fullmatch(r"-?[0-9]{1,12},[0-9]{1,15}", value):
        dotted = value.replace(",", ".")
        raise ValueError(f"write the decimal with a point, not a comma: {dotted}")
    if not re.fullmatch(r"-?[0-9]{1,12}(?:\.[0-9]{1,15})?", value):
        raise ValueError("not a number (digits, with a decimal point if needed)")
    return float(value)


def ticked(text: str) -> bool:
    """A check box: ticked when the browser sent it with any value."""
    return bool(text)


def utc_text(text: str) -> str:
    """A form's time as the API reads it: a time typed without a zone is in UTC.

    Text that is not a time is returned as it is, for the wire model to refuse by name.
    """
    value = text.strip()
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    return value if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC).isoformat()


# --- refusals in plain words -----------------------------------------------------------

_PLAIN: Mapping[str, str] = {
    "missing": "required",
    "string_pattern_mismatch": "not in the expected form",
    "int_parsing": "not a whole number",
    "int_type": "not a whole number",
    "int_from_float": "not a whole number",
    "float_parsing": "not a number",
    "float_type": "not a number",
    "decimal_parsing": "not a number",
    "decimal_type": "not a number",
    "finite_number": "not a finite number",
    "decimal_max_digits": "too many digits",
    "decimal_max_places": "too many decimal places",
    "decimal_whole_digits": "too many digits before the decimal point",
    "date_parsing": "not a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "not a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "a date only, without a time (YYYY-MM-DD)",
    "date_type": "not a date (YYYY-MM-DD)",
    "datetime_parsing": "not a date and time (YYYY-MM-DDTHH:MM)",
    "datetime_from_date_parsing": "not a date and time (YYYY-MM-DDTHH:MM)",
    "datetime_type": "not a date and time (YYYY-MM-DDTHH:MM)",
    "timezone_aware": "give the time zone",
    "enum": "not one of the choices",
    "literal_error": "not one of the choices",
    "bool_parsing": "not yes or no",
    "bool_type": "not yes or no",
    "extra_forbidden": "not a field of this form",
    "string_type": "not text",
    "list_type": "not a list of choices",
    "uuid_parsing": "not an identifier",
}


def plain_message(error: ErrorDetails) -> str:
    """One pydantic error in plain words, without the field's name."""
    kind = error.get("type", "")
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    if kind in _PLAIN:
        return _PLAIN[kind]
    if kind == "string_too_short":
        n = ctx.get("min_length", 1)
        return "required" if n == 1 else f"too short: at least {n} characters"
    if kind == "string_too_long":
        return f"too long: at most {ctx.get('max_length')} characters"
    if kind == "too_short":
        return f"choose at least {ctx.get('min_length')}"
    if kind == "too_long":
        return f"at most {ctx.get('max_length')} items"
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "greater_than": ("more than", "gt"),
        "less_than_equal": ("at most", "le"),
        "less_than": ("less than", "lt"),
    }
    if kind in bounds:
        words, key = bounds[kind]
        return f"must be {words} {ctx.get(key)}"
    message = str(error.get("msg", ""))
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    # pydantic's own wording ("Input should be ...") and anything with a link is not shown.
    if not message or message.startswith("Input ") or "http" in message:
        return "not a valid value"
    return message


def label_of(name: str, labels: Mapping[str, str] | None = None) -> str:
    """A field's name as the form shows it: ``starts_on`` is ``Starts on``."""
    if labels and name in labels:
        return labels[name]
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else "Input"


class BadInput(Invalid):
    """Several problems with a form's fields, found at once: ``(field or None, message)``."""

    def __init__(self, problems: Sequence[tuple[str | None, str]]) -> None:
        super().__init__("; ".join(f"{n}: {m}" if n else m for n, m in problems))
        self.problems = tuple(problems)


def problems_of(error: ValidationError) -> list[tuple[str | None, str]]:
    """A pydantic error's problems in plain words, each with the field it names (if any)."""
    found: list[tuple[str | None, str]] = []
    for details in error.errors(include_url=False):
        loc = details.get("loc", ())
        name = str(loc[0]) if loc and isinstance(loc[0], str) else None
        message = plain_message(details)
        if name is None and (named := _FIELD_DETAIL.match(message)):
            name, message = named.group(1), named.group(2)
        found.append((name, message))
    return found


def validate(
    model: type[M],
    data: Mapping[str, Any],
    parse: Mapping[str, Callable[[str], Any]] | None = None,
) -> M:
    """The wire model built from a form's text, every problem reported at once.

    ``parse`` converts named fields first (``rel_to`` always goes through
    :func:`parse_rel_to`); a converter's ``ValueError`` is that field's problem, a field
    it reads as blank (``None``) is left out so the model's default or "required" holds,
    and the wire model then checks the rest. Raises :class:`BadInput` naming each field.
    """
    converters = {"rel_to": parse_rel_to, **(parse or {})}
    values = dict(data)
    problems: list[tuple[str | None, str]] = []
    for name, convert in converters.items():
        if isinstance(values.get(name), str):
            try:
                converted = convert(values[name])
            except ValueError as exc:
                problems.append((name, str(exc)))
                converted = None
            if converted is None:  # left blank: the model's default, or "required"
                del values[name]
            else:
                values[name] = converted
    try:
        built = model.model_validate(values)
    except ValidationError as exc:
        failed = {name for name, _ in problems}
        # A field its converter refused is missing to the model: say it once.
        problems += [p for p in problems_of(exc) if p[0] not in failed]
    if problems:
        raise BadInput(problems)
    return built


@dataclass(frozen=True)
class FormErrors:
    """Why a form was refused: lines for the top of the form, and one message per field."""

    summary: tuple[str, ...] = ()
    fields: Mapping[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.summary)


def form_errors(
    error: ValidationError | CoalitionError,
    fields: Collection[str] = (),
    labels: Mapping[str, str] | None = None,
) -> FormErrors:
    """The refusal of a form, for its summary and beside each of its ``fields``.

    A pydantic error is placed beside the field its location starts with; a domain
    error whose detail reads ``field: reason`` beside that field. Anything else (a rule
    over two fields, a record already stored) appears in the summary only.
    """
    summary: list[str] = []
    beside: dict[str, str] = {}

    def add(name: str | None, message: str) -> None:
        if name is not None:
            if not fields or name in fields:
                beside.setdefault(name, message)
            line = f"{label_of(name, labels)}: {message}"
        else:
            line = message[:1].upper() + message[1:]
        if line not in summary:
            summary.append(line)

    if isinstance(error, ValidationError | BadInput):
        problems = problems_of(error) if isinstance(error, ValidationError) else error.problems
        for name, message in problems:
            add(name, message)
        if not summary:
            summary.append("The form holds a value that is not valid")
    else:
        match = _FIELD_DETAIL.match(error.detail)
        if match and match.group(1) in fields:
            add(match.group(1), match.group(2))
        else:
            add(None, error.detail)
    return FormErrors(tuple(summary), beside)


@dataclass(frozen=True)
class Refusal:
    """A form refused: the status the API gives the same refusal, and why."""

    status: int
    errors: FormErrors


def submit(
    session: Session,
    action: Callable[[], T],
    fields: Collection[str] = (),
    labels: Mapping[str, str] | None = None,
) -> T | Refusal:
    """Run ``action`` (build the wire model, call the service) in a savepoint.

    Bad input (422) or a stale write (409) rolls the savepoint back and is returned as a
    :class:`Refusal`, so the page shows the form again; any other error propagates.
    """
    try:
        with savepoint(session):
            return action()
    except Conflict as exc:
        return Refusal(409, form_errors(exc, fields, labels))
    except (Invalid, ValidationError) as exc:
        return Refusal(422, form_errors(exc, fields, labels))


def one_line(error: ValidationError | CoalitionError) -> str:
    """A refusal on one line, for the command line: the form's summary, joined."""
    return "; ".join(form_errors(error).summary)
