"""The briefing document: attribution, markings, deltas, the JSON form, digests, comparison.

Pure tests: documents are built in memory. Hypothesis states the general rules (the
marking of a document is the highest of its parts for every combination; the JSON form
and the digest are exact), examples pin the wording.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition.briefings.document import (
    DAILY_SECTIONS,
    KINDS,
    SUMMIT_SECTIONS,
    Document,
    Figure,
    Kind,
    Row,
    Section,
    Unattributed,
    attribute,
    build,
    compare,
    delta,
    digest,
    from_json,
    to_json,
)
from coalition.core.errors import Invalid
from coalition.core.marking import Marking, Shown, encode_release, overall

KYIV = ZoneInfo("Europe/Kyiv")
CUTOFF = datetime(2025, 3, 12, 16, 0, tzinfo=UTC)
RANK = {Marking.PUBLIC: 0, Marking.COALITION: 1, Marking.REL_TO: 2, Marking.NATIONAL: 3}


def figure(**changes: Any) -> Figure:
    base = Figure(
        key="ceasefire.violations",
        label="Violations reported",
        value=15,
        unit="incidents",
        source="Monitoring mission reports",
        cutoff=CUTOFF,
        previous=12,
    )
    return replace(base, **changes)


def document(kind: Kind = "daily", sections: dict[str, Section] | None = None) -> Document:
    titles = DAILY_SECTIONS if kind == "daily" else SUMMIT_SECTIONS
    given_sections = sections or {}
    return Document(
        kind=kind,
        number=7,
        title="Daily report",
        period_start=datetime(2025, 3, 11, 16, tzinfo=UTC),
        period_end=CUTOFF,
        cutoff=CUTOFF,
        zone="Europe/Kyiv",
        audience="Leaders' offices of the coalition",
        sections=tuple(given_sections.get(t, Section(title=t)) for t in titles),
    )


# --- attribution -------------------------------------------------------------------------


def test_an_attributed_figure_passes() -> None:
    attribute(figure())
    attribute(figure(previous=None, first_edition=True))


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({"source": ""}, "no source"),
        ({"source": "   "}, "no source"),
        ({"cutoff": None}, "no cut-off"),
        ({"cutoff": datetime(2025, 3, 12, 16)}, "a cut-off without a time zone"),
        ({"previous": None}, "neither a previous figure nor"),
        ({"previous": 3, "first_edition": True}, "both a previous figure and"),
        ({"value": float("nan")}, "not a finite number"),
        ({"value": Decimal("Infinity")}, "not a finite number"),
    ],
)
def test_a_figure_missing_attribution_fails_naming_it(
    changes: dict[str, Any], missing: str
) -> None:
    with pytest.raises(Unattributed) as raised:
        attribute(figure(**changes))
    assert "ceasefire.violations" in str(raised.value)
    assert missing in str(raised.value)
    assert isinstance(raised.value, Invalid)  # mapped to a 422 and exit code 2 like any rule


def test_every_problem_of_a_figure_is_named_at_once() -> None:
    with pytest.raises(Unattributed) as raised:
        attribute(figure(source="", cutoff=None, previous=None))
    assert len(raised.value.problems) == 3


def test_the_build_fails_listing_every_unattributed_figure() -> None:
    bad = Section(
        title="Summary",
        figures=(
            figure(key="a.one", source=""),
            figure(key="a.two"),
            figure(key="a.three", previous=None),
        ),
    )
    with pytest.raises(Unattributed) as raised:
        document(sections={"Summary": bad}).check()
    text = str(raised.value)
    assert "a.one" in text and "a.three" in text and "a.two" not in text
    assert len(raised.value.problems) == 2


def test_a_figure_cut_off_after_the_briefing_fails_the_build() -> None:
    late = Section(title="Summary", figures=(figure(cutoff=CUTOFF + timedelta(minutes=1)),))
    with pytest.raises(Unattributed, match="after the briefing's cut-off"):
        document(sections={"Summary": late}).check()


def test_build_orders_the_sections_and_checks_the_figures() -> None:
    sections = [Section(title=t) for t in reversed(SUMMIT_SECTIONS)]
    built = build(
        "summit",
        number=2,
        title="Summit pack",
        period_start=CUTOFF - timedelta(days=14),
        period_end=CUTOFF,
        cutoff=CUTOFF,
        zone="Europe/London",
        audience="Leaders",
        sections=sections,
    )
    assert tuple(s.title for s in built.sections) == SUMMIT_SECTIONS
    with pytest.raises(Unattributed):
        build(
            "summit",
            number=2,
            title="Summit pack",
            period_start=CUTOFF - timedelta(days=14),
            period_end=CUTOFF,
            cutoff=CUTOFF,
            zone="Europe/London",
            audience="Leaders",
            sections=[
                *sections[:-1],
                Section(title=sections[-1].title, figures=(figure(source=""),)),
            ],
        )


def test_build_names_missing_and_unknown_sections() -> None:
    with pytest.raises(Invalid) as raised:
        build(
            "daily",
            number=1,
            title="Daily",
            period_start=CUTOFF,
            period_end=CUTOFF,
            cutoff=CUTOFF,
            zone="Europe/Kyiv",
            audience="All",
            sections=[Section(title="Summary"), Section(title="Gossip")],
        )
    assert "Gossip" in str(raised.value) and "Civilian impact" in str(raised.value)


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "weekly"},
        {"number": 0},
        {"cutoff": datetime(2025, 3, 12, 16)},
        {"period_start": CUTOFF + timedelta(days=1)},
        {"zone": "Mars/Olympus_Mons"},
        {"zone": ""},
        {"sections": ()},
    ],
)
def test_a_malformed_document_is_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(Invalid):
        replace(document(), **changes)


def test_sections_must_come_in_the_fixed_order() -> None:
    sections = document().sections
    with pytest.raises(Invalid, match="order"):
        replace(document(), sections=(sections[1], sections[0], *sections[2:]))


def test_a_figure_key_appears_once_in_a_document() -> None:
    with pytest.raises(Invalid, match=r"ceasefire\.violations"):
        document(
            sections={
                "Summary": Section(title="Summary", figures=(figure(),)),
                "Violations by sector and type": Section(
                    title="Violations by sector and type", figures=(figure(),)
                ),
            }
        )


def test_rows_match_their_columns() -> None:
    with pytest.raises(Invalid, match="columns"):
        Section(title="Summary", columns=("Sector", "Count"), items=(Row(cells=("North",)),))


def test_the_document_keeps_its_time_zone_for_display() -> None:
    doc = document()
    assert doc.local(doc.cutoff).tzinfo == KYIV
    assert doc.stamp(doc.cutoff) == "12 March 2025 18:00 EET (Europe/Kyiv)"


# --- delta -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "previous", "unit", "said"),
    [
        (15, 12, "incidents", "+3 incidents"),
        (9, 12, "incidents", "−3 incidents"),
        (12, 12, "incidents", "unchanged"),
        (Decimal("2234.5"), Decimal("1000.5"), "km²", "+1,234.0 km²"),
        (Decimal("1000"), 2234, "km²", "−1,234 km²"),
        (12.5, 10.0, "%", "+2.5 percentage points"),
        (0.3, 0.1, "", "+0.2"),
        (1_500_000, 500_000, "EUR", "+1,000,000 EUR"),
        ("holding", "holding", "", "unchanged"),
        ("breached", "holding", "", "changed from holding"),
    ],
)
def test_delta_says_the_change(value: Any, previous: Any, unit: str, said: str) -> None:
    assert delta(figure(value=value, previous=previous, unit=unit)) == said


def test_delta_of_a_first_edition() -> None:
    said = delta(figure(previous=None, first_edition=True))
    assert said == "first edition: no previous figure"


def test_delta_without_a_previous_figure_or_statement_fails() -> None:
    with pytest.raises(Unattributed, match=r"ceasefire\.violations"):
        delta(figure(previous=None))


numbers = st.one_of(
    st.integers(-(10**12), 10**12),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=2, max_value=10**9, min_value=-(10**9)
    ),
)


@given(numbers, numbers)
def test_delta_sign_follows_the_change(value: int | Decimal, previous: int | Decimal) -> None:
    said = delta(figure(value=value, previous=previous))
    change = Decimal(value) - Decimal(previous)
    if change > 0:
        assert said.startswith("+")
    elif change < 0:
        assert said.startswith("−")
    else:
        assert said == "unchanged"
    if change:
        digits = said[1:].removesuffix(" incidents").replace(",", "")
        assert Decimal(digits) == abs(change)


# --- markings ----------------------------------------------------------------------------

MEMBERS = ("FRA", "GBR", "POL", "DEU")


@st.composite
def shown_records(draw: st.DrawFn) -> Shown:
    marking = draw(st.sampled_from(Marking))
    owner = draw(st.sampled_from(MEMBERS))
    rel_to = None
    if marking is Marking.REL_TO:
        others = [m for m in MEMBERS if m != owner]
        rel_to = encode_release(draw(st.lists(st.sampled_from(others), min_size=1)))
    return (marking, owner, rel_to)


markings = st.frozensets(shown_records(), max_size=3)


@st.composite
def sections_of(draw: st.DrawFn, titles: tuple[str, ...]) -> tuple[Section, ...]:
    out = []
    for i, title in enumerate(titles):
        figures = tuple(
            figure(key=f"s{i}.f{j}", shown=draw(markings)) for j in range(draw(st.integers(0, 2)))
        )
        items = tuple(
            Row(cells=("x",), shown=draw(markings)) for _ in range(draw(st.integers(0, 2)))
        )
        out.append(
            Section(
                title=title,
                figures=figures,
                columns=("c",) if items else (),
                items=items,
                shown=draw(markings),
            )
        )
    return tuple(out)


@given(sections_of(DAILY_SECTIONS))
def test_the_document_marking_is_the_highest_of_its_parts(sections: tuple[Section, ...]) -> None:
    doc = replace(document(), sections=sections)
    parts: list[Shown] = []
    for section in sections:
        section_parts = [
            *section.shown,
            *(s for f in section.figures for s in f.shown),
            *(s for r in section.items for s in r.shown),
        ]
        assert section.marking == overall(section_parts)
        parts += section_parts
    expected = max((RANK[m] for m, _, _ in parts), default=0)
    assert RANK[doc.marking.level] == expected
    assert doc.marking == overall(parts)
    assert RANK[doc.marking.level] >= max(RANK[s.marking.level] for s in sections)


def test_an_empty_document_is_public() -> None:
    assert document().marking.label == "PUBLIC"


def test_a_national_figure_marks_its_section_and_the_document() -> None:
    national = figure(shown=frozenset({(Marking.NATIONAL, "POL", None)}))
    doc = document(sections={"Territory": Section(title="Territory", figures=(national,))})
    assert doc.sections[2].marking.label == "NATIONAL (POL)"
    assert doc.sections[0].marking.label == "PUBLIC"
    assert doc.marking.label == "NATIONAL (POL)"


# --- the JSON form -----------------------------------------------------------------------

values = st.one_of(
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
aware = st.datetimes(
    min_value=datetime(1990, 1, 1),
    max_value=datetime(2090, 1, 1),
    timezones=st.sampled_from(
        [UTC, KYIV, ZoneInfo("America/New_York"), timezone(timedelta(hours=5, minutes=30))]
    ),
    allow_imaginary=False,
)
texts = st.text(max_size=30)


@st.composite
def figures(draw: st.DrawFn, key: str) -> Figure:
    first = draw(st.booleans())
    return Figure(
        key=key,
        label=draw(texts),
        value=draw(values),
        unit=draw(st.sampled_from(["km²", "incidents", "EUR", "%", ""])),
        source=draw(texts),
        cutoff=draw(st.one_of(st.none(), aware)),
        previous=None if first else draw(st.one_of(st.none(), values)),
        first_edition=first,
        shown=draw(markings),
    )


@st.composite
def documents(draw: st.DrawFn) -> Document:
    kind = draw(st.sampled_from(KINDS))
    titles = DAILY_SECTIONS if kind == "daily" else SUMMIT_SECTIONS
    start = draw(aware)
    end = start + draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)))
    sections = []
    for i, title in enumerate(titles):
        columns = tuple(draw(st.lists(texts, max_size=3)))
        sections.append(
            Section(
                title=title,
                figures=tuple(draw(figures(f"s{i}.f{j}")) for j in range(draw(st.integers(0, 2)))),
                paragraphs=tuple(draw(st.lists(texts, max_size=2))),
                columns=columns,
                items=tuple(
                    Row(cells=tuple(draw(texts) for _ in columns), shown=draw(markings))
                    for _ in range(draw(st.integers(0, 2)))
                ),
                dissent=draw(st.one_of(st.none(), texts)),
                shown=draw(markings),
            )
        )
    return Document(
        kind=kind,
        number=draw(st.integers(1, 10_000)),
        title=draw(texts),
        period_start=start,
        period_end=end,
        cutoff=end,
        zone=draw(st.sampled_from(["Europe/Kyiv", "UTC", "Europe/Brussels"])),
        audience=draw(texts),
        sections=tuple(sections),
    )


def _exact(a: object, b: object) -> None:
    """Equal, and every value of the same type, every time in the same zone."""
    assert type(a) is type(b)
    if isinstance(a, datetime):
        assert isinstance(b, datetime)
        assert a == b and a.tzinfo == b.tzinfo and a.replace(tzinfo=None) == b.replace(tzinfo=None)
    elif isinstance(a, tuple | list):
        assert isinstance(b, tuple | list) and len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _exact(x, y)
    elif isinstance(a, Decimal):
        assert str(a) == str(b)
    elif isinstance(a, float):
        assert repr(a) == repr(b)
    else:
        assert a == b


@given(documents())
def test_the_json_form_round_trips_exactly(doc: Document) -> None:
    stored = json.loads(json.dumps(to_json(doc)))
    back = from_json(stored)
    assert back == doc
    for f_back, f_doc in zip(back.figures(), doc.figures(), strict=True):
        for name in ("value", "previous", "cutoff"):
            _exact(getattr(f_back, name), getattr(f_doc, name))
    _exact(back.period_start, doc.period_start)
    _exact(back.cutoff, doc.cutoff)
    assert to_json(back) == to_json(doc)


def test_the_json_form_names_its_format() -> None:
    stored = to_json(document())
    assert stored["format"] == "coalition.briefing/1"
    with pytest.raises(Invalid, match="format"):
        from_json({**stored, "format": "something/9"})


# --- digest ------------------------------------------------------------------------------

json_like = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.decimals(allow_nan=False, allow_infinity=False),
        st.text(max_size=10),
        aware,
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=12,
)
inputs = st.dictionaries(st.text(max_size=8), json_like, min_size=1, max_size=6)


@given(inputs)
def test_the_digest_ignores_key_order(given_inputs: dict[str, Any]) -> None:
    reordered = dict(reversed(list(given_inputs.items())))
    assert digest(given_inputs) == digest(reordered)
    assert len(digest(given_inputs)) == 64


@given(inputs, st.data())
def test_the_digest_changes_when_any_input_changes(
    given_inputs: dict[str, Any], data: st.DataObject
) -> None:
    key = data.draw(st.sampled_from(sorted(given_inputs)))
    changed = {**given_inputs, key: [given_inputs[key]]}
    assert digest(changed) != digest(given_inputs)
    assert digest({**given_inputs, key + "!": None}) != digest(given_inputs)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (1, "1"),
        (1, 1.0),
        (Decimal("1"), 1),
        (Decimal("1.0"), "1.0"),
        (True, 1),
        (None, "null"),
        (CUTOFF, CUTOFF.isoformat()),
    ],
)
def test_the_digest_tells_types_apart(one: object, other: object) -> None:
    assert digest({"x": one}) != digest({"x": other})


def test_the_digest_refuses_what_it_cannot_state_exactly() -> None:
    with pytest.raises(TypeError):
        digest({"x": object()})
    with pytest.raises(ValueError, match="time zone"):
        digest({"x": datetime(2025, 1, 1)})


# --- comparing editions ------------------------------------------------------------------


def test_compare_lists_what_changed_by_key() -> None:
    before = document(
        sections={
            "Summary": Section(
                title="Summary",
                figures=(
                    figure(key="a", value=12, previous=10),
                    figure(key="b", value=5, previous=5),
                    figure(key="gone", value=1, previous=1),
                ),
            )
        }
    )
    after = document(
        sections={
            "Summary": Section(
                title="Summary",
                figures=(
                    figure(key="a", value=15, previous=12),
                    figure(key="b", value=5, previous=4),
                    figure(key="new", value=3, previous=None, first_edition=True),
                ),
            )
        }
    )
    changes = {c.key: c for c in compare(before, after)}
    assert set(changes) == {"a", "b", "gone", "new"}
    assert changes["a"].status == "changed" and not changes["a"].misquoted
    assert (changes["a"].before, changes["a"].after) == (12, 15)
    assert changes["a"].text == "+3 incidents"
    assert changes["b"].status == "unchanged" and changes["b"].misquoted
    assert changes["gone"].status == "removed" and changes["gone"].after is None
    assert changes["new"].status == "added" and changes["new"].before is None


def test_a_figure_claiming_a_first_edition_against_an_earlier_one_is_misquoted() -> None:
    before = document(sections={"Summary": Section(title="Summary", figures=(figure(),))})
    after = document(
        sections={
            "Summary": Section(
                title="Summary", figures=(figure(value=15, previous=None, first_edition=True),)
            )
        }
    )
    (change,) = compare(before, after)
    assert change.misquoted and change.status == "unchanged"


def test_an_edition_compared_with_itself_shows_nothing() -> None:
    steady = figure(value=15, previous=15)
    doc = document(sections={"Summary": Section(title="Summary", figures=(steady,))})
    assert compare(doc, doc) == []
