"""The claims vocabulary and the rule that gives a claim its status. Pure.

A claim is rated by reviewers (fact-checkers, analytic bodies, a member's intelligence) on
a fixed five-step :class:`Rating` scale, the one Google's ClaimReview documentation uses
as its example (1 false … 5 true), with a :class:`Confidence` stated apart from the rating:
"mostly true, low confidence" and "mostly true, high confidence" are different views.

A claim's :class:`Status` at a time follows from its reviews (:func:`status_at`):

1. Take each reviewer's *latest* review at or before that time: a later review by the
   same reviewer replaces their earlier one, whatever it says.
2. None → ``unreviewed``.
3. Set aside the low-confidence ones when at least one review of moderate or high
   confidence remains (the *firm* reviews). A low-confidence review says the reviewer
   leans one way but cannot stand behind it: it must not overturn, nor merely by
   disagreeing unsettle, the firm view of other reviewers. Nor can low-confidence
   reviews settle a claim on their own: when every latest review is of low confidence the
   claim is ``disputed`` (reviewed, not settled), whatever they rate it.
4. Of the firm reviews: every rating ``mostly_true`` or ``true`` → ``supported``; every
   rating ``false`` or ``mostly_false`` → ``refuted``; otherwise (they disagree, or one
   says ``unproven``) → ``disputed``.

So a reviewer who restates a supporting view with low confidence can unsettle a claim
they alone supported: that is meant, since the only firm support is gone.

The status is a function of the *set* of reviews (the order of the list never matters);
:func:`history` gives the changes of status over time. Nothing is stored: the caller
passes the reviews its reader may see, so the status never leaks a hidden review.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass


class ClaimKind(enum.StrEnum):
    """What a claim is about."""

    TERRITORIAL_CONTROL = "territorial_control"
    ENCIRCLEMENT = "encirclement"
    CASUALTIES = "casualties"
    STRIKE = "strike"
    OTHER = "other"


class ClaimantType(enum.StrEnum):
    """Who made a claim, as schema.org names it: a Person or an Organization."""

    PERSON = "person"
    ORGANIZATION = "organization"


class ReviewerKind(enum.StrEnum):
    """Who reviewed a claim."""

    FACT_CHECKER = "fact_checker"
    ANALYTIC_BODY = "analytic_body"
    MEMBER_INTELLIGENCE = "member_intelligence"


class Rating(enum.StrEnum):
    """A reviewer's verdict on a claim: a fixed five-step scale, worst (1) to best (5).

    ========================  =====  ===============  ===========================================
    value                     score  label            meaning
    ========================  =====  ===============  ===========================================
    ``false``                 1      False            the evidence shows the claim is not so
    ``mostly_false``          2      Mostly false     a grain of truth, but wrong or misleading
                                                      in what matters
    ``unproven``              3      Unproven         the evidence neither establishes nor
                                                      refutes it (also the half-true midpoint)
    ``mostly_true``           4      Mostly true      right in what matters, wrong in detail
    ``true``                  5      True             the evidence shows the claim is so
    ========================  =====  ===============  ===========================================

    ``score`` is ClaimReview's ``ratingValue`` (``worstRating`` 1, ``bestRating`` 5) and
    ``label`` its ``alternateName``, the words Google shows.
    """

    FALSE = "false"
    MOSTLY_FALSE = "mostly_false"
    UNPROVEN = "unproven"
    MOSTLY_TRUE = "mostly_true"
    TRUE = "true"

    @property
    def score(self) -> int:
        """The step on the scale, 1 (false) to 5 (true)."""
        return _SCORES[self]

    @property
    def label(self) -> str:
        """The words a reader sees, and ClaimReview's ``alternateName``."""
        return _LABELS[self]

    @classmethod
    def from_score(cls, score: int) -> Rating:
        """The rating at a step of the scale; ``ValueError`` outside 1–5."""
        for rating, step in _SCORES.items():
            if step == score:
                return rating
        raise ValueError(f"a rating's score is 1 to 5, not {score!r}")


_SCORES = {
    Rating.FALSE: 1,
    Rating.MOSTLY_FALSE: 2,
    Rating.UNPROVEN: 3,
    Rating.MOSTLY_TRUE: 4,
    Rating.TRUE: 5,
}
_LABELS = {
    Rating.FALSE: "False",
    Rating.MOSTLY_FALSE: "Mostly false",
    Rating.UNPROVEN: "Unproven",
    Rating.MOSTLY_TRUE: "Mostly true",
    Rating.TRUE: "True",
}
WORST = 1
BEST = 5
SUPPORTS = 4  # a score at or above this supports a claim
REFUTES = 2  # a score at or below this refutes it


class Confidence(enum.StrEnum):
    """How far the reviewer stands behind their rating; stated apart from it."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


_CONFIDENCE_ORDER = {Confidence.LOW: 0, Confidence.MODERATE: 1, Confidence.HIGH: 2}


class EvidenceKind(enum.StrEnum):
    """What a review rests on."""

    GEOLOCATED_IMAGERY = "geolocated_imagery"
    OFFICIAL_STATEMENT = "official_statement"
    OPEN_SOURCE_ANALYSIS = "open_source_analysis"
    INTELLIGENCE_ASSESSMENT = "intelligence_assessment"


class Status(enum.StrEnum):
    """Where a claim stands, following from its reviews (:func:`status_at`)."""

    UNREVIEWED = "unreviewed"
    DISPUTED = "disputed"
    SUPPORTED = "supported"
    REFUTED = "refuted"


def _aware(at: dt.datetime, name: str) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, not {at.isoformat()}")


@dataclass(frozen=True)
class ReviewFact:
    """What the status rule needs of one review: who, when (timezone-aware), the rating
    and the confidence. ``reviewer`` names the reviewer; two reviews with the same name
    are one reviewer's changing view."""

    reviewer: str
    reviewed_at: dt.datetime
    rating: Rating
    confidence: Confidence

    def __post_init__(self) -> None:
        _aware(self.reviewed_at, "reviewed_at")

    @property
    def firm(self) -> bool:
        """Whether the review counts when other reviewers stand firmly behind theirs."""
        return self.confidence is not Confidence.LOW


def _order(review: ReviewFact) -> tuple[dt.datetime, int, int]:
    # Latest first by time. Two reviews by one reviewer at the same instant should not
    # happen; should they, a fixed order (more confident, then higher score) picks one,
    # so the result never depends on the order of the list.
    return (review.reviewed_at, _CONFIDENCE_ORDER[review.confidence], review.rating.score)


def latest(reviews: Iterable[ReviewFact], when: dt.datetime) -> dict[str, ReviewFact]:
    """Each reviewer's latest review at or before ``when`` (timezone-aware)."""
    _aware(when, "when")
    out: dict[str, ReviewFact] = {}
    for review in reviews:
        if review.reviewed_at > when:
            continue
        held = out.get(review.reviewer)
        if held is None or _order(review) > _order(held):
            out[review.reviewer] = review
    return out


def status_of(current: Iterable[ReviewFact]) -> Status:
    """The status given each reviewer's current review (the rule in the module's
    docstring, from step 2)."""
    views = list(current)
    if not views:
        return Status.UNREVIEWED
    firm = [review.rating.score for review in views if review.firm]
    if not firm:
        return Status.DISPUTED
    if all(score >= SUPPORTS for score in firm):
        return Status.SUPPORTED
    if all(score <= REFUTES for score in firm):
        return Status.REFUTED
    return Status.DISPUTED


def status_at(reviews: Iterable[ReviewFact], when: dt.datetime) -> Status:
    """A claim's status at ``when`` (timezone-aware), from the reviews made by then."""
    return status_of(latest(reviews, when).values())


def history(reviews: Iterable[ReviewFact]) -> list[tuple[dt.datetime, Status]]:
    """The times a claim's status changed, and what it became, oldest first.

    Before the first entry the claim was ``unreviewed``; no entry repeats the status before
    it, and the last entry is the status after every review. No reviews, no entries.
    """
    ordered = sorted(reviews, key=_order)
    current: dict[str, ReviewFact] = {}
    out: list[tuple[dt.datetime, Status]] = []
    i = 0
    while i < len(ordered):
        at = ordered[i].reviewed_at
        # Take every review of this instant before judging, so a history never shows a
        # status that held for no time at all.
        while i < len(ordered) and ordered[i].reviewed_at == at:
            review = ordered[i]
            held = current.get(review.reviewer)
            if held is None or _order(review) > _order(held):
                current[review.reviewer] = review
            i += 1
        status = status_of(current.values())
        if not out or out[-1][1] is not status:
            out.append((at, status))
    return out
