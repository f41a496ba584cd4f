"""schema.org ClaimReview JSON-LD, written for a review and read from fact-checkers. Pure.

**Out** (:func:`to_claimreview`): one review of one claim becomes one ClaimReview with
everything Google's fact-check structured data requires (``url``, ``claimReviewed``,
``reviewRating`` with its ``alternateName``) and everything it recommends (``author``,
``datePublished``, ``itemReviewed`` as a Claim with its ``author``, ``datePublished`` and
``firstAppearance``/``appearance``; the rating's ``ratingValue``, ``bestRating`` 5,
``worstRating`` 1 and ``name``). ClaimReview has no place for a confidence: it is written
as the last sentence of the rating's ``ratingExplanation`` (``Confidence: high.``) and
read back from there. :func:`validate` lists what a document lacks; every export passes.

**In** (:func:`from_claimreview`): ClaimReview as fact-checkers publish it: one object, a
list, an ``@graph`` (whose other nodes, a WebPage or an Organization, are skipped, and
whose ``@id`` references are followed), or the JSON text of any of these; ``@type`` a
string, a list or a prefixed IRI; ``author`` a string or an object; dates as dates or date
times (a time without an offset is taken as UTC). Each ClaimReview yields an
:class:`Imported` or a :class:`Problem` saying where it was and why it was refused, never
an exception, whatever the input's types, sizes or depth.

A rating is read, in order of trust, from (1) an ``alternateName`` that is exactly one of
the verdict words we know (:data:`WORDS`, e.g. "False", "Misleading", "Half true"); (2)
the ``ratingValue`` placed proportionally on our 1–5 scale from the document's own
``worstRating`` and ``bestRating`` (schema.org's defaults 1 and 5 when absent); (3) a known
verdict phrase inside a longer ``alternateName`` ("This claim is false."). The words come
first because they are what Google requires and shows readers, while numeric scales are
only recommended and have been published reversed (the Washington Post's 1–6 scale once
gave "four Pinocchios" a 5); a value outside its stated scale (-1 for "unclear") is
ignored. When the words and the number disagree the words win and a note says so.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from coalition.situation.verdicts import (
    BEST,
    WORST,
    ClaimantType,
    Confidence,
    Rating,
    ReviewFact,
)

CONTEXT = "https://schema.org"

# The longest value read of each field; they match the columns that store them. A longer
# one refuses the document, never cuts it (a claimReviewed up to MAX_TEXT is kept whole in
# the claim's text, its summary shortened).
MAX_SUMMARY = 300
MAX_TEXT = 20_000
MAX_NAME = 200
MAX_URL = 500
MAX_EXPLANATION = 5_000
MAX_APPEARANCES = 50
MAX_DEPTH = 4  # lists within lists (or graphs) read before a document is refused
MAX_DOCUMENTS = 100_000  # ClaimReviews read from one input
MAX_JSON_CHARS = 50_000_000


@dataclass(frozen=True)
class ClaimFacts:
    """A claim as ClaimReview carries it. ``summary`` is ``claimReviewed`` (Google shows it;
    it advises under 75 characters); ``claimant`` the claim's author ("" when a document
    does not say); ``appeared_in`` and ``appeared_url`` where it first appeared, and
    ``appearances`` other places it appeared."""

    summary: str
    claimant: str
    claimant_type: ClaimantType = ClaimantType.PERSON
    claimed_at: dt.datetime | None = None
    text: str = ""
    appeared_in: str = ""
    appeared_url: str = ""
    appearances: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.claimed_at is not None and self.claimed_at.utcoffset() is None:
            raise ValueError("claimed_at must be timezone-aware")


@dataclass(frozen=True)
class ReviewFacts:
    """One review: who (``reviewer``, an organisation), when, the rating and confidence,
    what it found (``summary``) and where the reviewer published it (``url``)."""

    reviewer: str
    reviewed_at: dt.datetime
    rating: Rating
    confidence: Confidence = Confidence.MODERATE
    summary: str = ""
    url: str = ""

    def __post_init__(self) -> None:
        if self.reviewed_at.utcoffset() is None:
            raise ValueError("reviewed_at must be timezone-aware")

    def fact(self) -> ReviewFact:
        """What the status rule needs of this review."""
        return ReviewFact(self.reviewer, self.reviewed_at, self.rating, self.confidence)


@dataclass(frozen=True)
class Imported:
    """A ClaimReview read: where in the input (``$[0].@graph[2]``), the claim and the
    review, and notes on what was assumed."""

    where: str
    claim: ClaimFacts
    review: ReviewFacts
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    """Part of the input that is not a ClaimReview we can read, and why."""

    where: str
    reason: str


# --- out ------------------------------------------------------------------------------


def _iso(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _explanation(review: ReviewFacts) -> str:
    said = review.summary.strip()
    return (
        f"{said} Confidence: {review.confidence}." if said else f"Confidence: {review.confidence}."
    )


def to_claimreview(claim: ClaimFacts, review: ReviewFacts, url: str) -> dict[str, Any]:
    """The ClaimReview JSON-LD of one review of a claim, published at ``url``."""
    claimant_type = "Person" if claim.claimant_type is ClaimantType.PERSON else "Organization"
    item: dict[str, Any] = {
        "@type": "Claim",
        "author": {"@type": claimant_type, "name": claim.claimant},
    }
    if claim.claimed_at is not None:
        item["datePublished"] = _iso(claim.claimed_at)
    if claim.text:
        item["text"] = claim.text
    if claim.appeared_url:
        first: dict[str, Any] = {"@type": "CreativeWork", "url": claim.appeared_url}
        if claim.appeared_in:
            first["name"] = claim.appeared_in
        item["firstAppearance"] = first
    if claim.appearances:
        item["appearance"] = [{"@type": "CreativeWork", "url": u} for u in claim.appearances]
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim.summary,
        "datePublished": _iso(review.reviewed_at),
        "author": {"@type": "Organization", "name": review.reviewer},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": review.rating.score,
            "bestRating": BEST,
            "worstRating": WORST,
            "alternateName": review.rating.label,
            "name": review.rating.label,
            "ratingExplanation": _explanation(review),
        },
        "itemReviewed": item,
    }
    if review.url:
        doc["isBasedOn"] = review.url  # the reviewer's own publication
    return doc


def _web_address(value: object) -> bool:
    return (
        isinstance(value, str)
        and len(value) <= MAX_URL
        and re.fullmatch(r"https?://[^\s/]+[^\s]*", value) is not None
    )


def _date_like(value: object) -> bool:
    return isinstance(value, str) and _when(value) is not None


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and len(value) <= 32:
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _named(node: object, where: str, types: set[str]) -> list[str]:
    if not isinstance(node, Mapping):
        return [f"{where}: missing, or not an object"]
    out = []
    if not _types(node) & types:
        out.append(f"{where}.@type: not one of {', '.join(sorted(types))}")
    name = node.get("name")
    if not isinstance(name, str) or not name.strip():
        out.append(f"{where}.name: missing")
    return out


def validate(doc: object) -> list[str]:
    """What a ClaimReview document lacks of Google's required and recommended fields, or
    gets wrong (an empty list: it is valid). Checks what :func:`to_claimreview` promises:
    the required fields, the review's author and date, and the claim's author and date."""
    if not isinstance(doc, Mapping):
        return ["the document is not a JSON object"]
    problems = []
    context = doc.get("@context")
    if not isinstance(context, str) or context.rstrip("/") not in (CONTEXT, "http://schema.org"):
        problems.append("@context: not https://schema.org")
    if "ClaimReview" not in _types(doc):
        problems.append("@type: not ClaimReview")
    if not _web_address(doc.get("url")):
        problems.append("url: missing, or not an http(s) address (Google requires it)")
    said = doc.get("claimReviewed")
    if not isinstance(said, str) or not said.strip():
        problems.append("claimReviewed: missing (Google requires it)")
    if not _date_like(doc.get("datePublished")):
        problems.append("datePublished: missing, or not an ISO 8601 date")
    problems += _named(doc.get("author"), "author", {"Organization", "Person"})
    problems += _validate_rating(doc.get("reviewRating"))
    item = doc.get("itemReviewed")
    if not isinstance(item, Mapping):
        return [*problems, "itemReviewed: missing, or not an object"]
    if "Claim" not in _types(item):
        problems.append("itemReviewed.@type: not Claim")
    problems += _named(item.get("author"), "itemReviewed.author", {"Organization", "Person"})
    if not _date_like(item.get("datePublished")):
        problems.append("itemReviewed.datePublished: missing, or not an ISO 8601 date")
    for key in ("firstAppearance", "appearance"):
        for i, seen in enumerate(_many(item.get(key))):
            address = seen.get("url") if isinstance(seen, Mapping) else seen
            if not _web_address(address):
                problems.append(f"itemReviewed.{key}[{i}]: not a URL or a CreativeWork's url")
    return problems


def _validate_rating(rating: object) -> list[str]:
    if not isinstance(rating, Mapping):
        return ["reviewRating: missing, or not an object (Google requires it)"]
    out = []
    if "Rating" not in _types(rating):
        out.append("reviewRating.@type: not Rating")
    words = rating.get("alternateName")
    if not isinstance(words, str) or not words.strip():
        out.append("reviewRating.alternateName: missing (Google requires it)")
    if "ratingValue" in rating:
        value = _number(rating.get("ratingValue"))
        best = _number(rating.get("bestRating", BEST))
        worst = _number(rating.get("worstRating", WORST))
        if value is None or best is None or worst is None:
            out.append("reviewRating: ratingValue, bestRating and worstRating must be numbers")
        elif not best > worst:
            out.append("reviewRating.bestRating: must be greater than worstRating")
        elif not worst <= value <= best:
            out.append("reviewRating.ratingValue: outside worstRating to bestRating")
    return out


# --- in -------------------------------------------------------------------------------

# Verdict words as fact-checkers publish them, read after :func:`_normal` (lower case,
# punctuation as spaces). Several mean the middle of the scale: "half true" and "mixture"
# as much as "unproven" leave a claim disputed.
WORDS: dict[str, Rating] = {
    **dict.fromkeys(
        [
            "false", "incorrect", "wrong", "fake", "not true", "untrue", "fabricated",
            "hoax", "baseless", "pants on fire", "four pinocchios", "totally false",
        ],
        Rating.FALSE,
    ),
    **dict.fromkeys(
        [
            "mostly false", "misleading", "partly false", "partially false", "largely false",
            "exaggerated", "distorted", "missing context", "three pinocchios",
        ],
        Rating.MOSTLY_FALSE,
    ),
    **dict.fromkeys(
        [
            "unproven", "unverified", "unsubstantiated", "unsupported", "no evidence",
            "half true", "mixture", "mixed", "unclear", "cannot be verified", "unverifiable",
            "partly true", "partially true", "needs context",
        ],
        Rating.UNPROVEN,
    ),
    **dict.fromkeys(
        ["mostly true", "mostly correct", "mostly accurate", "largely true", "largely accurate"],
        Rating.MOSTLY_TRUE,
    ),
    **dict.fromkeys(["true", "correct", "accurate", "confirmed", "verified"], Rating.TRUE),
}  # fmt: skip
_CONFIDENCE = re.compile(r"\s*Confidence: (low|moderate|high)\.\s*\Z")


class _Refused(Exception):
    """A document we do not read; its message is the reason."""


def _normal(words: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", words.lower()).split())


def _types(node: Mapping[str, object]) -> set[str]:
    """The node's schema.org types, without a ``schema:`` or schema.org IRI prefix."""
    declared = node.get("@type")
    names = declared if isinstance(declared, list) else [declared]
    return {
        re.sub(r"^(schema:|https?://schema\.org/)", "", name)
        for name in names[:20]
        if isinstance(name, str) and len(name) <= 200
    }


def _many(value: object) -> list[object]:
    if value is None:
        return []
    return list(value[:MAX_APPEARANCES]) if isinstance(value, list) else [value]


def _one(value: object) -> object:
    """A single value: the first of a list (JSON-LD allows a list for any property)."""
    if isinstance(value, list):
        return next((v for v in value[:20] if v is not None), None)
    if isinstance(value, Mapping) and "@value" in value:  # a JSON-LD value object
        return value["@value"]
    return value


def _text(value: object, field: str, cap: int) -> str:
    value = _one(value)
    if not isinstance(value, str):
        return ""
    text = value.strip()
    if len(text) > cap:
        raise _Refused(f"{field}: {len(text):,} characters; at most {cap:,} are read")
    return text


def _when(value: object) -> dt.datetime | None:
    """A date or date time as UTC: a date is its midnight, a time without an offset UTC."""
    value = _one(value)
    if isinstance(value, dt.datetime):
        at = value
    elif isinstance(value, dt.date):
        at = dt.datetime.combine(value, dt.time(), dt.UTC)
    elif isinstance(value, str) and len(value.strip()) <= 64:
        try:
            at = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    if at.utcoffset() is None:
        return at.replace(tzinfo=dt.UTC)
    try:
        return at.astimezone(dt.UTC)
    except OverflowError:  # the first or last day of year 1 or 9999, shifted off the calendar
        return None


def _scaled(rating: Mapping[str, object]) -> Rating | None:
    """The ratingValue placed proportionally on 1–5 from the document's own scale."""
    value = _number(_one(rating.get("ratingValue")))
    best = _number(_one(rating.get("bestRating", BEST)))
    worst = _number(_one(rating.get("worstRating", WORST)))
    if value is None or best is None or worst is None or best == worst:
        return None
    share = (value - worst) / (best - worst)  # a scale declared best-below-worst works too
    if not 0 <= share <= 1:
        return None  # off the scale: -1 for "unclear" and the like
    return Rating.from_score(WORST + math.floor(share * (BEST - WORST) + 0.5))


def _phrase(words: str) -> Rating | None:
    """The verdict of the longest known phrase inside ``words``; none if two disagree."""
    found = [
        (len(phrase), rating)
        for phrase, rating in WORDS.items()
        if re.search(rf"\b{re.escape(phrase)}\b", words)
    ]
    if not found:
        return None
    longest = max(length for length, _ in found)
    verdicts = {rating for length, rating in found if length == longest}
    return verdicts.pop() if len(verdicts) == 1 else None


def rating_of(rating: object) -> tuple[Rating | None, list[str]]:
    """A ClaimReview ``reviewRating`` on our scale (see the module's docstring), with
    notes; ``None`` when neither its words nor its number can be read."""
    if not isinstance(rating, Mapping):
        return None, []
    words = _normal(_text(rating.get("alternateName"), "reviewRating.alternateName", MAX_NAME))
    if not words:
        words = _normal(_text(rating.get("name"), "reviewRating.name", MAX_NAME))
    said, scaled = WORDS.get(words), _scaled(rating)
    if said is not None:
        if scaled is not None and scaled is not said:
            return said, [f"the rating's words say {said.label}, its number {scaled.label}"]
        return said, []
    if scaled is not None:
        return scaled, []
    return _phrase(words), []


def _actor(value: object, field: str) -> tuple[str, ClaimantType | None]:
    """A name and whether it is a person, an organisation, or not said (a bare string)."""
    value = _one(value)
    if isinstance(value, str):
        return _text(value, field, MAX_NAME), None
    if not isinstance(value, Mapping):
        return "", None
    name = _text(value.get("name"), f"{field}.name", MAX_NAME)
    person = "Person" in _types(value)
    return name, ClaimantType.PERSON if person else ClaimantType.ORGANIZATION


def _address(value: object, field: str) -> tuple[str, str]:
    """The url (and name, for a CreativeWork) of an appearance."""
    value = _one(value)
    if isinstance(value, Mapping):
        url = _text(value.get("url"), f"{field}.url", MAX_URL)
        return url, _text(value.get("name") or value.get("headline"), f"{field}.name", MAX_NAME)
    return _text(value, field, MAX_URL), ""


def _read(node: Mapping[str, object], ids: Mapping[str, object], where: str) -> Imported | str:
    """One ClaimReview, or why not (raising :class:`_Refused` for an over-long field)."""

    def follow(value: object) -> object:
        # An {"@id": ...} reference to another node of the graph stands for that node.
        value = _one(value)
        if isinstance(value, Mapping) and set(value) <= {"@id", "@type"}:
            ref = value.get("@id")
            return ids.get(ref, value) if isinstance(ref, str) else value
        return value

    notes: list[str] = []
    url = _text(node.get("url"), "url", MAX_URL)
    if not _web_address(url):
        return "url: missing, or not an http(s) address (Google requires it)"
    said = _text(node.get("claimReviewed"), "claimReviewed", MAX_TEXT)
    if not said:
        return "claimReviewed: missing: which claim does it review? (Google requires it)"
    rated = follow(node.get("reviewRating"))
    rated = rated if isinstance(rated, Mapping) else {}
    rating, rating_notes = rating_of(rated)
    if rating is None:
        return "reviewRating: neither a verdict word we know nor a value on its scale"
    notes += rating_notes
    reviewer, _ = _actor(follow(node.get("author")), "author")
    if not reviewer:
        reviewer, _ = _actor(follow(node.get("publisher")), "publisher")
    if not reviewer:
        return "author: no name, nor a publisher's: who reviewed it?"
    reviewed_at = _when(node.get("datePublished"))
    if reviewed_at is None:
        return "datePublished: missing, or not an ISO 8601 date: when was it reviewed?"

    item = follow(node.get("itemReviewed"))
    item = item if isinstance(item, Mapping) else {}
    claimant, kind = _actor(follow(item.get("author")), "itemReviewed.author")
    if not claimant:
        notes.append("the claim's author is not named")
    elif kind is None:
        notes.append("the claim's author is a bare name: taken as an organization")
    claimed_at = _when(item.get("datePublished"))
    if claimed_at is None:
        notes.append("the claim's date is not given")
    text = _text(item.get("text"), "itemReviewed.text", MAX_TEXT)
    summary = said
    if len(said) > MAX_SUMMARY:  # kept whole as the text; the summary shortened
        summary = said[: MAX_SUMMARY - 1].rstrip() + "…"
        if not text:
            text = said
        elif text != said:
            notes.append(f"claimReviewed shortened to {MAX_SUMMARY} characters")
    appeared_url, appeared_in = _address(
        follow(item.get("firstAppearance")), "itemReviewed.firstAppearance"
    )
    appearances = tuple(
        address
        for address, _ in (
            _address(follow(seen), "itemReviewed.appearance")
            for seen in _many(item.get("appearance"))
        )
        if _web_address(address)
    )
    if not appeared_url and appearances:
        appeared_url, appearances = appearances[0], appearances[1:]

    explanation = _text(
        rated.get("ratingExplanation"), "reviewRating.ratingExplanation", MAX_EXPLANATION
    )
    confidence = Confidence.MODERATE  # a published verdict is a considered view
    stated = _CONFIDENCE.search(explanation)
    if stated:
        confidence = Confidence(stated.group(1))
        explanation = explanation[: stated.start()].strip()
    original, _ = _address(follow(node.get("isBasedOn")), "isBasedOn")  # our exports' source
    return Imported(
        where=where,
        claim=ClaimFacts(
            summary=summary,
            claimant=claimant,
            claimant_type=kind or ClaimantType.ORGANIZATION,
            claimed_at=claimed_at,
            text=text,
            appeared_in=appeared_in,
            appeared_url=appeared_url if _web_address(appeared_url) else "",
            appearances=appearances,
        ),
        review=ReviewFacts(
            reviewer=reviewer,
            reviewed_at=reviewed_at,
            rating=rating,
            confidence=confidence,
            summary=explanation,
            url=original if _web_address(original) else url,
        ),
        notes=tuple(notes),
    )


def _nodes(source: object) -> Iterator[tuple[str, object, Mapping[str, object] | None]]:
    """Each object of the input with where it was and, inside an ``@graph``, the graph's
    nodes by ``@id``; a :class:`Problem` (as the object) for what cannot be walked."""
    stack: list[tuple[str, object, int, Mapping[str, object] | None]] = [("$", source, 0, None)]
    while stack:
        where, value, depth, ids = stack.pop()
        if isinstance(value, str | bytes | bytearray) and where == "$":
            if len(value) > MAX_JSON_CHARS:
                yield where, Problem(where, f"more than {MAX_JSON_CHARS:,} characters"), None
                continue
            try:
                value = json.loads(value)
            except (ValueError, RecursionError) as error:  # RecursionError: nested too deep
                reason = "not JSON" if isinstance(error, ValueError) else "nested too deeply"
                yield where, Problem(where, reason), None
                continue
        if isinstance(value, list | Mapping) and depth > MAX_DEPTH:
            yield where, Problem(where, f"nested deeper than {MAX_DEPTH} lists or graphs"), None
        elif isinstance(value, list):
            stack.extend(
                (f"{where}[{i}]", item, depth + 1, ids)
                for i, item in reversed(list(enumerate(value)))
            )
        elif isinstance(value, Mapping) and isinstance(value.get("@graph"), list):
            graph = value["@graph"]
            nodes = {
                node["@id"]: node
                for node in graph
                if isinstance(node, Mapping) and isinstance(node.get("@id"), str)
            }
            stack.extend(
                (f"{where}.@graph[{i}]", item, depth + 1, nodes)
                for i, item in reversed(list(enumerate(graph)))
            )
        else:
            yield where, value, ids


def from_claimreview(source: object) -> Iterator[Imported | Problem]:
    """Each ClaimReview of ``source`` (parsed JSON-LD, or its text) read as a claim and a
    review, or a :class:`Problem` saying where and why not. Inside an ``@graph`` nodes of
    other types are context, and skipped; elsewhere they are problems."""
    count = 0
    for where, node, ids in _nodes(source):
        if isinstance(node, Problem):
            yield node
            continue
        count += 1
        if count > MAX_DOCUMENTS:
            yield Problem(where, f"more than {MAX_DOCUMENTS:,} ClaimReviews in one input")
            return
        if not isinstance(node, Mapping):
            yield Problem(where, f"not a JSON-LD object but {type(node).__name__}")
            continue
        if "ClaimReview" not in _types(node):
            if ids is None:
                yield Problem(where, "not a ClaimReview")
            continue
        try:
            read = _read(node, ids or {}, where)
        except _Refused as refused:
            yield Problem(where, str(refused))
            continue
        yield Problem(where, read) if isinstance(read, str) else read
