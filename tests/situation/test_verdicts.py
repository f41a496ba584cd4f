"""The status rule: the order of the reviews never matters, a reviewer's later review
replaces their earlier one, firm support (or refutation) is never undone by more of the
same, low-confidence reviews neither settle nor unsettle a claim, and the history records
only changes and ends where the status stands."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition.situation.verdicts import (
    Confidence,
    Rating,
    ReviewFact,
    Status,
    history,
    latest,
    status_at,
)

T0 = dt.datetime(2025, 3, 13, tzinfo=dt.UTC)
REVIEWERS = ["ISW", "AFP", "Reuters", "GBR intelligence", "UKR general staff"]
FIRM = [Confidence.MODERATE, Confidence.HIGH]


def _at(hours: int) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


def review(
    reviewer: str, hours: int, rating: Rating, confidence: Confidence = Confidence.HIGH
) -> ReviewFact:
    return ReviewFact(reviewer, _at(hours), rating, confidence)


reviews_st = st.lists(
    st.builds(
        ReviewFact,
        reviewer=st.sampled_from(REVIEWERS),
        reviewed_at=st.integers(0, 24 * 14).map(_at),
        rating=st.sampled_from(list(Rating)),
        confidence=st.sampled_from(list(Confidence)),
    ),
    max_size=25,
)
hours_st = st.integers(-1, 24 * 15)


def test_the_scale_runs_from_false_to_true() -> None:
    assert [r.score for r in Rating] == [1, 2, 3, 4, 5]
    assert [r.label for r in Rating] == ["False", "Mostly false", "Unproven", "Mostly true", "True"]
    assert all(Rating.from_score(r.score) is r for r in Rating)
    with pytest.raises(ValueError, match="1 to 5"):
        Rating.from_score(6)


def test_the_rule_on_examples() -> None:
    assert status_at([], _at(0)) is Status.UNREVIEWED
    false = review("ISW", 1, Rating.FALSE)
    assert status_at([false], _at(0)) is Status.UNREVIEWED  # not yet made
    assert status_at([false], _at(1)) is Status.REFUTED  # at or before: counts
    assert status_at([false, review("AFP", 2, Rating.MOSTLY_FALSE)], _at(2)) is Status.REFUTED
    assert status_at([false, review("AFP", 2, Rating.UNPROVEN)], _at(2)) is Status.DISPUTED
    assert status_at([false, review("AFP", 2, Rating.TRUE)], _at(2)) is Status.DISPUTED
    assert status_at([review("AFP", 2, Rating.MOSTLY_TRUE)], _at(2)) is Status.SUPPORTED
    assert status_at([review("AFP", 2, Rating.UNPROVEN)], _at(2)) is Status.DISPUTED


def test_low_confidence_neither_settles_nor_unsettles() -> None:
    weak_true = review("GBR intelligence", 1, Rating.TRUE, Confidence.LOW)
    firm_false = review("ISW", 2, Rating.FALSE, Confidence.MODERATE)
    assert status_at([weak_true], _at(1)) is Status.DISPUTED  # reviewed, not settled
    assert status_at([weak_true, firm_false], _at(2)) is Status.REFUTED  # set aside
    # a firm reviewer lowering their confidence withdraws their firm view
    doubt = review("ISW", 3, Rating.FALSE, Confidence.LOW)
    assert status_at([weak_true, firm_false, doubt], _at(3)) is Status.DISPUTED


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ReviewFact("ISW", dt.datetime(2025, 3, 13), Rating.FALSE, Confidence.HIGH)
    with pytest.raises(ValueError, match="timezone-aware"):
        status_at([], dt.datetime(2025, 3, 13))


def test_the_kursk_claim() -> None:
    # Illustrative shape of the March 2025 record: the claim is reviewed as unproven by
    # an analytic body on the 13th, then contradicted by fact-checkers and intelligence.
    reviews = [
        review("ISW", 10, Rating.UNPROVEN, Confidence.MODERATE),
        review("ISW", 40, Rating.FALSE, Confidence.HIGH),
        review("AFP", 30, Rating.MOSTLY_FALSE, Confidence.MODERATE),
    ]
    assert history(reviews) == [(_at(10), Status.DISPUTED), (_at(40), Status.REFUTED)]


@given(reviews_st, hours_st, st.randoms())
def test_the_order_of_the_list_never_matters(
    reviews: list[ReviewFact], hours: int, rnd: random.Random
) -> None:
    shuffled = list(reviews)
    rnd.shuffle(shuffled)
    assert status_at(shuffled, _at(hours)) is status_at(reviews, _at(hours))
    assert history(shuffled) == history(reviews)


@given(reviews_st, hours_st)
def test_only_each_reviewers_latest_review_counts(reviews: list[ReviewFact], hours: int) -> None:
    when = _at(hours)
    current = latest(reviews, when)
    assert status_at(list(current.values()), when) is status_at(reviews, when)
    for name, held in current.items():
        made = [r for r in reviews if r.reviewer == name and r.reviewed_at <= when]
        assert held.reviewed_at == max(r.reviewed_at for r in made)


@given(reviews_st, st.sampled_from(REVIEWERS), st.sampled_from(list(Rating)))
def test_a_later_review_replaces_the_reviewers_earlier_one(
    reviews: list[ReviewFact], name: str, rating: Rating
) -> None:
    later = ReviewFact(name, _at(24 * 15), rating, Confidence.HIGH)
    others = [r for r in reviews if r.reviewer != name]
    assert status_at([*reviews, later], later.reviewed_at) is status_at(
        [*others, later], later.reviewed_at
    )


@given(
    reviews_st,
    hours_st,
    st.sampled_from([*REVIEWERS, "a new reviewer"]),
    st.sampled_from([Rating.MOSTLY_TRUE, Rating.TRUE]),
    st.sampled_from(FIRM),
    st.integers(0, 24 * 15),
)
def test_firm_support_never_unsettles_a_supported_claim(
    reviews: list[ReviewFact],
    hours: int,
    name: str,
    rating: Rating,
    confidence: Confidence,
    made: int,
) -> None:
    when = _at(hours)
    support = ReviewFact(name, _at(made), rating, confidence)
    if status_at(reviews, when) is Status.SUPPORTED:
        assert status_at([*reviews, support], when) is Status.SUPPORTED


@given(
    reviews_st,
    hours_st,
    st.sampled_from([*REVIEWERS, "a new reviewer"]),
    st.sampled_from([Rating.FALSE, Rating.MOSTLY_FALSE]),
    st.sampled_from(FIRM),
    st.integers(0, 24 * 15),
)
def test_firm_refutation_never_unsettles_a_refuted_claim(
    reviews: list[ReviewFact],
    hours: int,
    name: str,
    rating: Rating,
    confidence: Confidence,
    made: int,
) -> None:
    when = _at(hours)
    refutation = ReviewFact(name, _at(made), rating, confidence)
    if status_at(reviews, when) is Status.REFUTED:
        assert status_at([*reviews, refutation], when) is Status.REFUTED


@given(reviews_st, hours_st, st.sampled_from(list(Rating)), st.integers(0, 24 * 15))
def test_a_new_low_confidence_reviewer_never_moves_a_settled_claim(
    reviews: list[ReviewFact], hours: int, rating: Rating, made: int
) -> None:
    when = _at(hours)
    before = status_at(reviews, when)
    weak = ReviewFact("a new reviewer", _at(made), rating, Confidence.LOW)
    if before in (Status.SUPPORTED, Status.REFUTED):
        assert status_at([*reviews, weak], when) is before


@given(reviews_st)
def test_the_history_records_changes_and_ends_at_the_current_status(
    reviews: list[ReviewFact],
) -> None:
    changes = history(reviews)
    if not reviews:
        assert changes == []
        return
    last = max(r.reviewed_at for r in reviews)
    assert changes[-1][1] is status_at(reviews, last)
    assert changes[0][0] == min(r.reviewed_at for r in reviews)
    assert all(a[1] is not b[1] for a, b in itertools.pairwise(changes))
    assert all(a[0] < b[0] for a, b in itertools.pairwise(changes))
    assert Status.UNREVIEWED not in {status for _, status in changes}
    # each entry is the status from its time until the next
    for (at, status), nxt in zip(changes, [*changes[1:], None], strict=True):
        assert status_at(reviews, at) is status
        if nxt is not None:
            assert status_at(reviews, nxt[0] - dt.timedelta(microseconds=1)) is status
