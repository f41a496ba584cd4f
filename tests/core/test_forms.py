"""The page form layer's pure parts: the REL TO parser and refusals in plain words."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from coalition.core.errors import Conflict, Invalid
from coalition.core.forms import (
    BadInput,
    FormErrors,
    form_errors,
    parse_rel_to,
    utc_text,
    validate,
    whole,
)
from coalition.core.patterns import MEMBER_CODE_TEXT

codes = st.from_regex(r"[A-Za-z]{2,4}", fullmatch=True)
separators = st.from_regex(r"[\s,;]+", fullmatch=True)


@given(st.lists(codes, max_size=8), st.lists(separators, min_size=9, max_size=9))
def test_rel_to_reads_any_separators(words: list[str], seps: list[str]) -> None:
    text = seps[0] + "".join(w + s for w, s in zip(words, seps[1:], strict=False))
    parsed = parse_rel_to(text)
    expected = list(dict.fromkeys(w.upper() for w in words))
    assert parsed == expected
    assert all(re.fullmatch(MEMBER_CODE_TEXT, c) and c == c.upper() for c in parsed)
    assert parse_rel_to(", ".join(parsed)) == parsed  # written back, it reads the same


@given(st.text(max_size=40))
def test_rel_to_accepts_only_member_codes(text: str) -> None:
    words = [w for w in re.split(r"[\s,;]+", text) if w]
    if all(re.fullmatch(MEMBER_CODE_TEXT, w) for w in words):
        assert len(parse_rel_to(text)) == len({w.upper() for w in words})
    else:
        with pytest.raises(ValueError, match="is not a member code"):
            parse_rel_to(text)


@pytest.mark.parametrize("text", ["FRA,ß", "GB1", "FRANCE", "ﬀ", "A"])
def test_rel_to_refuses_what_the_api_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="not a member code"):
        parse_rel_to(text)


class Sample(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Annotated[str, Field(min_length=3, max_length=10)]
    code: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    quantity: Annotated[int, Field(ge=1, le=99)]
    value: Annotated[Decimal, Field(max_digits=6, decimal_places=2)]
    on: dt.date
    at: dt.datetime
    kind: Literal["a", "b"]
    flag: bool
    tags: Annotated[list[str], Field(max_length=2)]

    @field_validator("title")
    @classmethod
    def _no_x(cls, value: str) -> str:
        if "x" in value:
            raise ValueError("no x in a title")
        return value


FIELDS = tuple(Sample.model_fields)
texts = st.one_of(st.text(max_size=12), st.integers().map(str), st.just(""))


@given(
    st.dictionaries(
        st.sampled_from([*FIELDS, "other"]),
        st.one_of(texts, st.lists(texts, max_size=4)),
        max_size=len(FIELDS) + 1,
    )
)
def test_every_refusal_is_in_plain_words(data: dict[str, object]) -> None:
    try:
        Sample.model_validate(data)
    except ValidationError as exc:
        errors = form_errors(exc, FIELDS)
    else:
        return
    assert errors and errors.summary
    shown = " ".join(errors.summary) + " ".join(errors.fields.values())
    assert "Input should" not in shown and "http" not in shown and "pydantic" not in shown
    for name, message in errors.fields.items():
        assert name in FIELDS
        assert any(line.endswith(message) for line in errors.summary)
    missing = set(FIELDS) - set(data)
    assert missing <= set(errors.fields)
    assert all(errors.fields[name] == "required" for name in missing)


def test_messages_name_the_limit() -> None:
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate(
            {
                "title": "a" * 11,
                "code": "fr",
                "quantity": "0",
                "value": "x",
                "on": "2025-13-01",
                "at": "soon",
                "kind": "c",
                "flag": "maybe",
                "tags": ["1", "2", "3"],
                "other": 1,
            }
        )
    errors = form_errors(caught.value, FIELDS)
    assert errors.fields == {
        "title": "too long: at most 10 characters",
        "code": "not in the expected form",
        "quantity": "must be at least 1",
        "value": "not a number",
        "on": "not a date (YYYY-MM-DD)",
        "at": "not a date and time (YYYY-MM-DDTHH:MM)",
        "kind": "not one of the choices",
        "flag": "not yes or no",
        "tags": "at most 2 items",
    }
    assert "Title: too long: at most 10 characters" in errors.summary
    assert "Other: not a field of this form" in errors.summary and "other" not in errors.fields


def test_a_validator_speaks_its_own_words() -> None:
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate({"title": "xyz"})
    assert form_errors(caught.value, FIELDS).fields["title"] == "no x in a title"


def test_a_domain_error_goes_beside_its_field_when_it_names_one() -> None:
    beside = form_errors(Invalid("quantity: not a whole number"), ["quantity"])
    assert beside == FormErrors(
        ("Quantity: not a whole number",), {"quantity": "not a whole number"}
    )
    rule = form_errors(Invalid("the window ends before it starts"), ["starts_on"])
    assert rule == FormErrors(("The window ends before it starts",), {})
    stale = form_errors(Conflict("stale revision 1; the record is at 2"), ["revision"])
    assert stale.summary == ("Stale revision 1; the record is at 2",) and not stale.fields


def test_labels_replace_field_names() -> None:
    errors = form_errors(
        Invalid("rel_to: 'x' is not a member code"), ["rel_to"], {"rel_to": "REL TO"}
    )
    assert errors.summary == ("REL TO: 'x' is not a member code",)


def test_a_time_without_zone_is_utc() -> None:
    assert utc_text("2025-03-26T10:00") == "2025-03-26T10:00:00+00:00"
    assert utc_text("2025-03-26T10:00+02:00") == "2025-03-26T10:00+02:00"
    assert utc_text(" soon ") == "soon"


class Release(BaseModel):
    title: Annotated[str, Field(min_length=3)]
    quantity: Annotated[int, Field(ge=1)] | None = None
    rel_to: list[str] = []


def test_validate_reports_every_field_at_once() -> None:
    with pytest.raises(BadInput) as caught:
        validate(
            Release, {"title": "", "quantity": "two", "rel_to": "FRA, 12"}, {"quantity": whole}
        )
    errors = form_errors(caught.value, ["title", "quantity", "rel_to"])
    assert errors.fields == {
        "title": "too short: at least 3 characters",
        "quantity": "not a whole number",
        "rel_to": "'12' is not a member code (two to four letters, as FRA)",
    }
    built = validate(
        Release, {"title": "abc", "quantity": " 2 ", "rel_to": "fra gbr;fra"}, {"quantity": whole}
    )
    assert built == Release(title="abc", quantity=2, rel_to=["FRA", "GBR"])


def test_a_model_rule_naming_a_field_goes_beside_it() -> None:
    class Window(BaseModel):
        starts_on: dt.date
        ends_on: dt.date

        @model_validator(mode="after")
        def _order(self) -> Window:
            if self.ends_on < self.starts_on:
                raise ValueError("ends_on: before the start")
            return self

    with pytest.raises(ValidationError) as caught:
        Window.model_validate({"starts_on": "2025-02-01", "ends_on": "2025-01-01"})
    errors = form_errors(caught.value, ["starts_on", "ends_on"])
    assert errors.fields == {"ends_on": "before the start"}


@given(st.integers(min_value=-(10**12) + 1, max_value=10**12 - 1))
def test_whole_reads_what_it_writes(n: int) -> None:
    assert whole(f" {n} ") == n
    with pytest.raises(ValueError, match="not a whole number"):
        whole(f"{n}.5")
