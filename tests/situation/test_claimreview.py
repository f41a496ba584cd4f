"""ClaimReview out and in: every export carries what Google requires and reads back as the
same claim and review; fact-checkers' shapes and scales are read onto our scale; and no
input, however malformed, large or deep, raises: it yields a problem with a reason."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.situation.claimreview import (
    MAX_NAME,
    MAX_SUMMARY,
    MAX_TEXT,
    MAX_URL,
    ClaimFacts,
    Imported,
    Problem,
    ReviewFacts,
    from_claimreview,
    rating_of,
    to_claimreview,
    validate,
)
from coalition.situation.verdicts import ClaimantType, Confidence, Rating, Status, status_at

PAGE = "https://coalition.example/situation/claims/1#review-1"
KURSK = ClaimFacts(
    summary="Ukrainian forces in Kursk region are encircled",
    text="Ukrainian troops in the Kursk region are in complete encirclement.",
    claimant="Vladimir Putin",
    claimant_type=ClaimantType.PERSON,
    claimed_at=dt.datetime(2025, 3, 13, 17, 0, tzinfo=dt.UTC),
    appeared_in="Kremlin press conference",
    appeared_url="http://en.kremlin.ru/events/president/news/76464",
)
ISW = ReviewFacts(
    reviewer="Institute for the Study of War",
    reviewed_at=dt.datetime(2025, 3, 14, 0, 0, tzinfo=dt.UTC),
    rating=Rating.FALSE,
    confidence=Confidence.HIGH,
    summary="No geolocated footage indicates an encirclement.",
    url="https://www.understandingwar.org/backgrounder/russian-offensive-campaign-assessment-march-13-2025",
)


def _one(source: object) -> Imported | Problem:
    results = list(from_claimreview(source))
    assert len(results) == 1, results
    return results[0]


def _read(source: object) -> Imported:
    result = _one(source)
    assert isinstance(result, Imported), result
    return result


def _refused(source: object) -> str:
    result = _one(source)
    assert isinstance(result, Problem), result
    return result.reason


# --- out ------------------------------------------------------------------------------


def test_an_export_carries_what_google_requires_and_recommends() -> None:
    doc = to_claimreview(KURSK, ISW, PAGE)
    assert validate(doc) == []
    assert doc["@context"] == "https://schema.org"
    assert doc["@type"] == "ClaimReview"
    assert doc["url"] == PAGE
    assert doc["claimReviewed"] == KURSK.summary
    assert doc["datePublished"] == "2025-03-14T00:00:00Z"
    assert doc["author"] == {"@type": "Organization", "name": "Institute for the Study of War"}
    assert doc["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "False",
        "name": "False",
        "ratingExplanation": "No geolocated footage indicates an encirclement. Confidence: high.",
    }
    item = doc["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": "Vladimir Putin"}
    assert item["datePublished"] == "2025-03-13T17:00:00Z"
    assert item["firstAppearance"] == {
        "@type": "CreativeWork",
        "url": KURSK.appeared_url,
        "name": "Kremlin press conference",
    }
    assert doc["isBasedOn"] == ISW.url
    json.dumps(doc)  # plain JSON throughout


REQUIRED_PATHS = [
    ("url",),
    ("claimReviewed",),
    ("reviewRating",),
    ("reviewRating", "alternateName"),
    ("author",),
    ("author", "name"),
    ("datePublished",),
    ("itemReviewed",),
    ("itemReviewed", "author"),
    ("itemReviewed", "datePublished"),
    ("@context",),
    ("@type",),
]


@pytest.mark.parametrize("path", REQUIRED_PATHS, ids=".".join)
def test_validate_names_each_missing_field(path: tuple[str, ...]) -> None:
    doc = copy.deepcopy(to_claimreview(KURSK, ISW, PAGE))
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    problems = validate(doc)
    assert problems, path
    assert any(p.startswith(".".join(path)) for p in problems), problems


def test_validate_checks_the_rating_scale_and_addresses() -> None:
    doc = to_claimreview(KURSK, ISW, PAGE)
    doc["reviewRating"]["ratingValue"] = 7
    assert validate(doc) == ["reviewRating.ratingValue: outside worstRating to bestRating"]
    doc["reviewRating"]["bestRating"] = 0
    assert validate(doc) == ["reviewRating.bestRating: must be greater than worstRating"]
    doc = to_claimreview(KURSK, ISW, "ftp://example.org/x")
    assert validate(doc) == ["url: missing, or not an http(s) address (Google requires it)"]
    assert validate([doc]) == ["the document is not a JSON object"]


# --- round trip -----------------------------------------------------------------------

_chars = st.characters(exclude_categories=["Cs"])  # no lone surrogates: not UTF-8


def _words(max_size: int, min_size: int = 1) -> st.SearchStrategy[str]:
    return (
        st.text(_chars, min_size=min_size, max_size=max_size)
        .map(str.strip)
        .filter(lambda s: len(s) >= min_size)
    )


_urls = st.from_regex(r"https://[a-z]{1,12}\.example/[a-z0-9/_-]{0,40}", fullmatch=True)
_times = st.datetimes(
    min_value=dt.datetime(1990, 1, 1),
    max_value=dt.datetime(2090, 1, 1),
    timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=3))]),
)
claims_st = st.builds(
    ClaimFacts,
    summary=_words(MAX_SUMMARY),
    claimant=_words(MAX_NAME),
    claimant_type=st.sampled_from(list(ClaimantType)),
    claimed_at=_times,
    text=_words(500, min_size=0),
    appeared_in=_words(MAX_NAME, min_size=0),
    appeared_url=_urls,
    appearances=st.lists(_urls, max_size=3).map(tuple),
)
reviews_st = st.builds(
    ReviewFacts,
    reviewer=_words(MAX_NAME),
    reviewed_at=_times,
    rating=st.sampled_from(list(Rating)),
    confidence=st.sampled_from(list(Confidence)),
    summary=_words(300, min_size=0),
    url=_urls,
)


@given(claims_st, reviews_st, _urls)
def test_every_export_is_valid_and_reads_back_as_itself(
    claim: ClaimFacts, review: ReviewFacts, url: str
) -> None:
    doc = to_claimreview(claim, review, url)
    assert validate(doc) == []
    read = _read(json.dumps(doc))
    assert read.claim == claim
    assert read.review == review
    assert read.notes == ()
    assert read.where == "$"


def test_a_claim_without_its_date_reads_back_with_a_note() -> None:
    claim = ClaimFacts(summary="A strike hit the dam", claimant="A channel")
    doc = to_claimreview(claim, ISW, PAGE)
    assert "itemReviewed.datePublished: missing, or not an ISO 8601 date" in validate(doc)
    read = _read(doc)
    assert read.claim.claimed_at is None
    assert read.notes == ("the claim's date is not given",)


# --- fact-checkers' shapes ------------------------------------------------------------

AFP = {
    "@context": "http://schema.org",
    "@type": "ClaimReview",
    "datePublished": "2025-03-14",
    "url": "https://factcheck.afp.com/doc.afp.com.36ZX9LK",
    "claimReviewed": "Ukrainian troops are encircled in Russia's Kursk region",
    "author": {
        "@type": "Organization",
        "name": "AFP Fact Check",
        "url": "https://factcheck.afp.com",
    },
    "reviewRating": {
        "@type": "Rating",
        "ratingValue": "1",
        "bestRating": "5",
        "worstRating": "1",
        "alternateName": "False",
    },
    "itemReviewed": {
        "@type": ["CreativeWork", "Claim"],
        "author": "Russian Ministry of Defence",
        "datePublished": "2025-03-13T21:30:00+03:00",
        "appearance": ["https://t.me/mod_russia/50000", {"url": "https://x.com/mod/1"}],
    },
}


def test_a_fact_checkers_review_is_read() -> None:
    read = _read(AFP)
    assert read.review == ReviewFacts(
        reviewer="AFP Fact Check",
        reviewed_at=dt.datetime(2025, 3, 14, tzinfo=dt.UTC),
        rating=Rating.FALSE,
        confidence=Confidence.MODERATE,
        url="https://factcheck.afp.com/doc.afp.com.36ZX9LK",
    )
    assert read.claim.claimant == "Russian Ministry of Defence"
    assert read.claim.claimant_type is ClaimantType.ORGANIZATION
    assert read.claim.claimed_at == dt.datetime(2025, 3, 13, 18, 30, tzinfo=dt.UTC)
    assert read.claim.appeared_url == "https://t.me/mod_russia/50000"
    assert read.claim.appearances == ("https://x.com/mod/1",)
    assert read.notes == ("the claim's author is a bare name: taken as an organization",)
    assert status_at([read.review.fact()], read.review.reviewed_at) is Status.REFUTED


def test_lists_graphs_references_and_json_text_are_read() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "@id": "https://fc.example/a#page"},
            {"@type": "Organization", "@id": "https://fc.example/#org", "name": "FC Desk"},
            {
                **{k: v for k, v in AFP.items() if k not in ("@context", "author")},
                "@type": "schema:ClaimReview",
                "author": {"@id": "https://fc.example/#org"},
            },
        ],
    }
    results = list(from_claimreview([AFP, graph]))
    assert [r.where for r in results] == ["$[0]", "$[1].@graph[2]"]
    assert all(isinstance(r, Imported) for r in results)
    assert isinstance(results[1], Imported)
    assert results[1].review.reviewer == "FC Desk"
    assert _read(json.dumps(AFP).encode()).review.reviewer == "AFP Fact Check"


def test_other_top_level_objects_and_values_are_problems() -> None:
    results = list(from_claimreview([{"@type": "WebPage"}, 3, "text", None]))
    assert [(r.where, r.reason) for r in results if isinstance(r, Problem)] == [
        ("$[0]", "not a ClaimReview"),
        ("$[1]", "not a JSON-LD object but int"),
        ("$[2]", "not a JSON-LD object but str"),
        ("$[3]", "not a JSON-LD object but NoneType"),
    ]
    assert _refused("{not json") == "not JSON"


@pytest.mark.parametrize(
    ("drop", "reason"),
    [
        ("url", "url: missing"),
        ("claimReviewed", "claimReviewed: missing"),
        ("reviewRating", "reviewRating: neither"),
        ("author", "author: no name"),
        ("datePublished", "datePublished: missing"),
    ],
)
def test_a_review_missing_what_we_need_is_refused_with_a_reason(drop: str, reason: str) -> None:
    doc = {k: v for k, v in AFP.items() if k != drop}
    assert _refused(doc).startswith(reason)


def test_the_publisher_stands_in_for_a_missing_author() -> None:
    doc = {k: v for k, v in AFP.items() if k != "author"}
    doc["publisher"] = {"@type": "Organization", "name": "Desk"}
    assert _read(doc).review.reviewer == "Desk"


# --- ratings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rating", "expected"),
    [
        ({"alternateName": "False"}, Rating.FALSE),
        ({"alternateName": "Pants on Fire!"}, Rating.FALSE),
        ({"alternateName": "Misleading"}, Rating.MOSTLY_FALSE),
        ({"alternateName": "Unproven"}, Rating.UNPROVEN),
        ({"alternateName": "Half True"}, Rating.UNPROVEN),
        ({"alternateName": "Mostly true"}, Rating.MOSTLY_TRUE),
        ({"alternateName": "TRUE"}, Rating.TRUE),
        ({"alternateName": "This claim is not true."}, Rating.FALSE),
        ({"name": "Mostly False"}, Rating.MOSTLY_FALSE),
        ({"ratingValue": 4}, Rating.MOSTLY_TRUE),  # schema.org's default scale, 1 to 5
        ({"ratingValue": "0.5", "worstRating": 0, "bestRating": 1}, Rating.UNPROVEN),
        ({"ratingValue": 80, "worstRating": 0, "bestRating": 100}, Rating.MOSTLY_TRUE),
        ({"ratingValue": 1, "worstRating": 5, "bestRating": 1}, Rating.TRUE),  # declared reversed
        ({"ratingValue": 2, "alternateName": "Falso, con matices"}, Rating.MOSTLY_FALSE),
        ({"ratingValue": -1, "alternateName": "Flip-flop"}, None),  # off its scale, no words
        ({"ratingValue": True}, None),
        ({"ratingValue": "NaN"}, None),
        ({"ratingValue": 3, "bestRating": 3, "worstRating": 3}, None),
        ({}, None),
    ],
)
def test_ratings_are_read_onto_our_scale(rating: dict[str, Any], expected: Rating | None) -> None:
    assert rating_of({"@type": "Rating", **rating})[0] is expected


def test_known_words_outweigh_a_number_that_disagrees() -> None:
    # A scale published reversed: "Four Pinocchios" given 5 of 1–6.
    rating, notes = rating_of(
        {"alternateName": "Four Pinocchios", "ratingValue": 5, "worstRating": 1, "bestRating": 6}
    )
    assert rating is Rating.FALSE
    assert notes == ["the rating's words say False, its number Mostly true"]


@given(
    st.integers(-1000, 1000),
    st.integers(1, 1000),
    st.floats(0, 1),
    st.floats(0, 1),
)
def test_a_number_maps_proportionally_and_in_order(
    worst: int, span: int, a: float, b: float
) -> None:
    best = worst + span

    def step(share: float) -> Rating:
        rating, _ = rating_of(
            {"ratingValue": worst + share * span, "worstRating": worst, "bestRating": best}
        )
        assert rating is not None
        return rating

    assert step(0) is Rating.FALSE
    assert step(1) is Rating.TRUE
    low, high = sorted([a, b])
    assert step(low).score <= step(high).score
    assert abs(step(a).score - (1 + 4 * a)) <= 0.5 + 1e-9


# --- hostile input --------------------------------------------------------------------

KEYS = [
    "@context", "@type", "@graph", "@id", "@value", "url", "claimReviewed", "author", "name",
    "publisher", "datePublished", "reviewRating", "ratingValue", "bestRating", "worstRating",
    "alternateName", "ratingExplanation", "itemReviewed", "firstAppearance", "appearance",
    "text", "isBasedOn",
]  # fmt: skip
_leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(["ClaimReview", "Claim", "Rating", "Person", "2025-03-14", "False", PAGE])
)
json_st = st.recursive(
    _leaves,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=4), inner, max_size=8)
    ),
    max_leaves=60,
)


def _held_to_the_caps(result: Imported | Problem) -> None:
    assert isinstance(result, Imported | Problem)
    if isinstance(result, Imported):
        assert 0 < len(result.claim.summary) <= MAX_SUMMARY
        assert len(result.claim.text) <= MAX_TEXT
        assert len(result.claim.claimant) <= MAX_NAME
        assert 0 < len(result.review.reviewer) <= MAX_NAME
        assert result.review.url.startswith(("http://", "https://"))
        assert len(result.review.url) <= MAX_URL
        assert result.review.reviewed_at.utcoffset() == dt.timedelta(0)


@settings(max_examples=300)
@given(json_st)
def test_any_json_yields_results_or_problems_never_an_exception(source: object) -> None:
    for result in from_claimreview(source):
        _held_to_the_caps(result)


@given(st.sampled_from(sorted(set(KEYS) - {"@graph"})), json_st)
def test_any_field_of_a_good_review_may_be_anything(key: str, value: object) -> None:
    doc: dict[str, Any] = copy.deepcopy(AFP)
    doc["itemReviewed"][key] = value
    doc["reviewRating"][key] = value
    doc[key] = value
    for result in from_claimreview(doc):
        _held_to_the_caps(result)


def test_huge_strings_are_refused_not_cut() -> None:
    for field in ("claimReviewed", "url"):
        doc = {**AFP, field: "x" * 10_000_000}
        assert "characters; at most" in _refused(doc)
    doc = {**AFP, "author": {"name": "y" * (MAX_NAME + 1)}}
    assert _refused(doc) == f"author.name: {MAX_NAME + 1} characters; at most {MAX_NAME} are read"


def test_a_long_claim_is_kept_whole_as_its_text() -> None:
    said = "word " * 400
    read = _read({**AFP, "claimReviewed": said})
    assert read.claim.text == said.strip()
    assert len(read.claim.summary) == MAX_SUMMARY
    assert read.claim.summary.endswith("…")


def test_deep_nesting_is_refused() -> None:
    deep: object = AFP
    for _ in range(10_000):
        deep = [deep]
    assert _refused(deep) == "nested deeper than 4 lists or graphs"
    assert _refused("[" * 200_000 + "]" * 200_000) == "nested too deeply"  # for the parser
    assert _read([[[AFP]]]).where == "$[0][0][0]"


def test_odd_dates_are_problems_not_crashes() -> None:
    for date in ("yesterday", "0001-01-01T00:00:00+05:00", "2025-02-30", 20250314, ""):
        assert _refused({**AFP, "datePublished": date}).startswith("datePublished: missing")
    naive = _read({**AFP, "datePublished": "2025-03-14T10:00:00"})
    assert naive.review.reviewed_at == dt.datetime(2025, 3, 14, 10, tzinfo=dt.UTC)
