"""Estimative language: one probability yardstick, confidence stated apart. Pure.

A briefing's judgements say how likely something is in the terms of one published
yardstick, shipped as data (``data/probability_yardstick.csv``): the UK Professional Head
of Intelligence Assessment's (``uk-phia``, the default) or the US ICD 203 expressions of
likelihood (``icd-203``). Both say an analyst's confidence is a separate matter, stated
apart: ICD 203 forbids a confidence level and a degree of likelihood in one sentence.

:func:`check` reads a text sentence by sentence and refuses

- an estimative word or phrase outside the chosen yardstick: the closed list
  :data:`OUTSIDE` ("possibly", "perhaps", "might", "a good chance" ...), and a point
  probability in figures ("a 70 per cent chance"; a published range of the yardstick,
  "a 55-75% chance", passes), and a term followed by figures in brackets that are not
  its range ("highly likely (55-75%)"; "likely (55-75%)" passes);
- a term of the *other* yardstick that the chosen one does not use ("very likely",
  "almost no chance" in a UK briefing; "realistic possibility" in an ICD 203 one);
- a likelihood and a confidence level in one sentence;
- a confidence level off the scale (:data:`CONFIDENCE`: low, moderate, high).

Words are matched whole and case-insensitively, longest phrase first, so "highly
unlikely" is one term and never "unlikely" inside it. Text inside quotation marks
("...", “...”, ‘...’) is someone else's words and is not policed. Bare "remote" is an
ICD 203 term, but in a UK briefing it is left alone: "remote villages" is not a judgement
("remote possibility" is refused everywhere).

The UK yardstick leaves gaps between its ranges (5-10 %, 20-25 % ...).
:meth:`Yardstick.range_for` answers ``None`` in a gap; :meth:`Yardstick.term_for` gives the
nearest range's term, and where two are equally near (a gap's middle, or an end two ICD
ranges share) the less extreme one, nearer an even chance, so a figure is never
overstated. The mapping is monotonic.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Literal

DEFAULT = "uk-phia"
CONFIDENCE = ("low", "moderate", "high")
Confidence = Literal["low", "moderate", "high"]

# The closed list of estimative words and phrases no yardstick uses, with what to write
# instead where one term says it ("" leaves the general advice).
OUTSIDE: dict[str, str] = {
    "possibly": "",
    "it is possible": "",
    "it's possible": "",
    "quite possible": "",
    "entirely possible": "",
    "remote possibility": "remote chance",
    "perhaps": "",
    "maybe": "",
    "might": "",
    "may well": "",
    "could well": "",
    "could possibly": "",
    "conceivably": "",
    "presumably": "",
    "a good chance": "",
    "a fair chance": "",
    "a slim chance": "",
    "little chance": "",
    "some chance": "",
    "an even chance": "",
    "fifty-fifty": "",
    "more likely than not": "",
    "in all likelihood": "",
    "in all probability": "",
    "very probable": "",
    "extremely likely": "",
    "extremely unlikely": "",
    "virtually certain": "almost certain",
    "near certainty": "almost certain",
    "certainly": "almost certain",
    "definitely": "almost certain",
    "undoubtedly": "almost certain",
    "doubtful": "",
    "almost impossible": "",
    "virtually impossible": "",
}

_PERCENT = r"(?:\s*%|\s*per\s*cent\b|\s*percent\b)"
_RANGE = re.compile(
    rf"(?:(?P<low>\d{{1,3}})\s*(?:-|–|—|to)\s*(?P<high>\d{{1,3}})|(?P<op>[≤≥<>])\s*(?P<end>\d{{1,3}})"
    rf"|(?P<point>\d{{1,3}}(?:\.\d+)?)){_PERCENT}"
)
_OPENING = re.compile(r"\s*\(\s*")
_CLOSING = re.compile(r"\s*\)")
_ODDS_AFTER = re.compile(r"\s*(?:chance|probability|likelihood|likely|odds)\b", re.IGNORECASE)
# A probability word shortly before the figure, in the same clause: "a probability of
# 30%", "the chance of a breach is 30%".
_ODDS_BEFORE = re.compile(
    r"\b(?:chance|probability|likelihood|odds)\b[^.;:,()]{0,60}$", re.IGNORECASE
)
_CONFIDENCE = re.compile(
    r"\b(?P<level>low|moderate|medium|high)(?:\s+|-)confidence\b"
    r"|\bconfidence\s+(?:is|was|remains)\s+(?P<level2>low|moderate|medium|high)\b"
    r"|\b(?:analytical|analytic)\s+confidence\b",
    re.IGNORECASE,
)
# Quoted spans: straight or curly double quotes, and curly single quotes opened at the
# start of a word (an apostrophe inside a word is no quotation mark).
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|(?<!\w)‘[^’]*’(?!\w)")
# Where a sentence ends: after a full stop (and any closing marks) before a capital or a
# figure, at a blank line, or before a bullet. The group is what lies between sentences.
_SENTENCE_END = re.compile(
    r"[.!?][\"”’)]*(?P<gap>\s+)(?=[\"“‘(\[]?[A-Z0-9])"
    r"|(?P<break>\n\s*\n(?:\s*[-*•]\s+)?|\n\s*[-*•]\s+)"
)


@dataclass(frozen=True)
class Term:
    """One range of a yardstick: its term, the other words for it, its bounds in percent."""

    yardstick: str
    term: str
    synonyms: tuple[str, ...]
    low_percent: int
    high_percent: int
    source: str

    @property
    def low(self) -> float:
        """The range's lower end as a probability (0 to 1)."""
        return self.low_percent / 100

    @property
    def high(self) -> float:
        """The range's upper end as a probability (0 to 1)."""
        return self.high_percent / 100

    @property
    def phrases(self) -> tuple[str, ...]:
        """Every phrase that states this term: the term and its synonyms."""
        return (self.term, *self.synonyms)

    @property
    def label(self) -> str:
        """The term with its range, as a briefing's annex prints it."""
        return f"{self.term} ({self.low_percent}-{self.high_percent}%)"

    def contains(self, probability: float) -> bool:
        """Whether a probability lies in the range, both ends included."""
        return self.low <= probability <= self.high

    def distance(self, probability: float) -> float:
        """How far a probability lies outside the range (0 inside it)."""
        return max(self.low - probability, probability - self.high, 0.0)

    def extremity(self) -> float:
        """How far the range's middle lies from an even chance."""
        return abs((self.low + self.high) / 2 - 0.5)


@dataclass(frozen=True)
class Yardstick:
    """A published probability yardstick: its terms in rising order of probability."""

    name: str
    terms: tuple[Term, ...]

    @property
    def source(self) -> str:
        """Where the yardstick is published, as the data file cites it."""
        return self.terms[0].source

    def term(self, phrase: str) -> Term:
        """The term a phrase states (the term itself or a synonym); KeyError if none."""
        wanted = phrase.strip().casefold()
        for term in self.terms:
            if wanted in (p.casefold() for p in term.phrases):
                return term
        raise KeyError(f"{phrase!r} is not a term of the {self.name} yardstick")

    def phrases(self) -> frozenset[str]:
        """Every phrase of the yardstick, lower case."""
        return frozenset(p.casefold() for t in self.terms for p in t.phrases)

    def range_for(self, probability: float) -> Term | None:
        """The term whose published range holds a probability, or None in a gap.

        On an end two ranges share, the less extreme range.
        """
        _require_probability(probability)
        holding = [t for t in self.terms if t.contains(probability)]
        return min(holding, key=Term.extremity) if holding else None

    def term_for(self, probability: float) -> Term:
        """The term for a probability (0 to 1): its range's, or in a gap the nearest's.

        Equally near two ranges (a gap's middle), the less extreme one.
        """
        _require_probability(probability)
        return min(self.terms, key=lambda t: (t.distance(probability), t.extremity()))


def _require_probability(probability: float) -> None:
    if not 0.0 <= probability <= 1.0:
        raise ValueError(f"a probability lies between 0 and 1, not {probability}")


@cache
def yardsticks() -> dict[str, Yardstick]:
    """Every shipped yardstick, by name, each with its terms in rising order."""
    text = (files("coalition") / "data" / "probability_yardstick.csv").read_text("utf-8")
    rows: dict[str, list[Term]] = {}
    for row in csv.DictReader(text.splitlines()):
        rows.setdefault(row["yardstick"], []).append(
            Term(
                yardstick=row["yardstick"],
                term=row["term"],
                synonyms=tuple(s.strip() for s in row["synonyms"].split(";") if s.strip()),
                low_percent=int(row["low_percent"]),
                high_percent=int(row["high_percent"]),
                source=row["source"],
            )
        )
    return {
        name: Yardstick(name, tuple(sorted(terms, key=lambda t: t.low_percent)))
        for name, terms in rows.items()
    }


def yardstick(name: str = DEFAULT) -> Yardstick:
    """The shipped yardstick of that name (``uk-phia`` or ``icd-203``)."""
    return _named(name)


def _named(name: str) -> Yardstick:
    try:
        return yardsticks()[name]
    except KeyError:
        raise KeyError(f"no yardstick {name!r}; known: {', '.join(yardsticks())}") from None


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one sentence: the sentence, what is wrong, what to write."""

    sentence: str
    what: str
    suggestion: str


def sentences(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each sentence of a text, quoted passages kept whole."""
    masked = _mask_quotes(text)
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(masked):
        gap = "gap" if match.group("gap") is not None else "break"
        spans.append((start, match.start(gap)))
        start = match.end(gap)
    spans.append((start, len(text)))
    return [(a, b) for a, b in ((_strip(text, a, b)) for a, b in spans) if a < b]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _mask_quotes(text: str) -> str:
    """The text with every quoted passage blanked out, same length, same offsets.

    The marks stay, and so does a full stop just inside the closing mark, so a sentence
    that ends in a quotation still ends there.
    """
    return _QUOTED.sub(_blank, text)


def _blank(match: re.Match[str]) -> str:
    quoted = match.group(0)
    inside = quoted[1:-1]
    kept = inside[-1] if inside and inside[-1] in ".!?" else ""
    return quoted[0] + " " * (len(inside) - len(kept)) + kept + quoted[-1]


@cache
def _matcher(name: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every phrase the checker knows, longest first, and each one's kind.

    Kinds: ``term`` (of the chosen yardstick), ``other`` (of another yardstick only),
    ``outside`` (of none).
    """
    chosen = _named(name).phrases()
    kinds: dict[str, str] = dict.fromkeys(chosen, "term")
    for other in yardsticks().values():
        for phrase in other.phrases() - chosen:
            if name == "uk-phia" and phrase == "remote":
                continue  # "remote villages": see the module's docstring
            kinds.setdefault(phrase, "other")
    for phrase in OUTSIDE:
        kinds.setdefault(phrase, "outside")
    alternatives = sorted(kinds, key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, p.split())) for p in alternatives)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE), kinds


def _general_advice(chosen: Yardstick) -> str:
    return "use a term of the yardstick: " + ", ".join(t.label for t in chosen.terms)


def _likelihoods(masked: str, chosen: Yardstick) -> Iterator[tuple[str, str, str]]:
    """Each likelihood a (quote-masked) sentence states, as (kind, phrase, advice).

    Kinds as :func:`_matcher`'s, plus ``figure`` (a probability in figures off the
    yardstick), ``range`` (a published range of the yardstick in figures) and
    ``mislabelled`` (a term followed by figures in brackets that are not its range).
    """
    pattern, kinds = _matcher(chosen.name)
    annotations: set[int] = set()
    for match in pattern.finditer(masked):
        phrase = " ".join(match.group(0).split())
        kind = kinds[phrase.casefold()]
        yield kind, phrase, ""
        figure = _annotation(masked, match.end()) if kind == "term" else None
        if figure is not None:
            annotations.add(figure.start())
            term = chosen.term(phrase)
            if _bounds(figure) != (term.low_percent, term.high_percent):
                own = f"{phrase} ({term.low_percent}-{term.high_percent}%)"
                yield "mislabelled", f"{phrase} ({figure.group(0)})", f"write {own}"
    for match in _RANGE.finditer(masked):
        if match.start() in annotations:
            continue
        after = _ODDS_AFTER.match(masked, match.end())
        before = _ODDS_BEFORE.search(masked, 0, match.start())
        if not (after or before):
            continue  # a figure, not a probability: "70% of pledges delivered"
        published = {(t.low_percent, t.high_percent) for t in chosen.terms}
        kind = "range" if _bounds(match) in published else "figure"
        yield kind, match.group(0), ""


def _annotation(masked: str, at: int) -> re.Match[str] | None:
    """The figures in brackets right after a term ("likely (55-75%)"), if any."""
    opening = _OPENING.match(masked, at)
    if opening is None:
        return None
    figure = _RANGE.match(masked, opening.end())
    if figure is None or _CLOSING.match(masked, figure.end()) is None:
        return None
    return figure


def _bounds(match: re.Match[str]) -> tuple[int, int] | None:
    """The range a figure names, in percent; None for a point."""
    if match.group("low") is not None:
        return int(match.group("low")), int(match.group("high"))
    if match.group("op") in ("≤", "<"):
        return 0, int(match.group("end"))
    if match.group("op") in ("≥", ">"):
        return int(match.group("end")), 100
    return None


def _figure_advice(figure: str, chosen: Yardstick) -> str:
    digits = re.search(r"\d+(?:\.\d+)?", figure)
    if digits is None or _is_range(figure):
        return _general_advice(chosen)
    value = min(float(digits.group(0)), 100.0) / 100
    return f"write the term instead: {chosen.term_for(value).label}"


def _is_range(figure: str) -> bool:
    """Whether a figure names a range ("60-70%", "≤ 5%") rather than a point."""
    return bool(re.search(r"\d\s*(?:-|–|—|to)\s*\d|[≤≥<>]", figure))


def check(text: str, yardstick: str = DEFAULT) -> list[Problem]:
    """Every problem of estimative language in a text, in the order of its sentences.

    An empty list means the text keeps to the yardstick and states confidence apart.
    """
    chosen = _named(yardstick)
    masked = _mask_quotes(text)
    problems: list[Problem] = []
    for start, end in sentences(text):
        sentence, plain = text[start:end], masked[start:end]
        found = list(_likelihoods(plain, chosen))
        for kind, phrase, advice in found:
            if kind == "mislabelled":
                problems.append(
                    Problem(sentence, f"{phrase!r}: the figures are not the term's range", advice)
                )
            elif kind == "outside":
                hint = OUTSIDE[phrase.casefold()]
                problems.append(
                    Problem(
                        sentence,
                        f"{phrase!r} is not a term of the {chosen.name} yardstick",
                        f"write {hint!r}" if hint else _general_advice(chosen),
                    )
                )
            elif kind == "other":
                other = _other_term(phrase, chosen)
                problems.append(
                    Problem(
                        sentence,
                        f"{phrase!r} is a term of the {other.yardstick} yardstick, "
                        f"not of {chosen.name}",
                        "write " + _nearest(other, chosen).label,
                    )
                )
            elif kind == "figure":
                problems.append(
                    Problem(
                        sentence,
                        f"{phrase!r}: a probability in figures, off the {chosen.name} yardstick",
                        _figure_advice(phrase, chosen),
                    )
                )
        levels = list(_CONFIDENCE.finditer(plain))
        for level in levels:
            word = (level.group("level") or level.group("level2") or "").casefold()
            if word == "medium":
                problems.append(
                    Problem(
                        sentence,
                        f"{level.group(0)!r}: confidence is low, moderate or high",
                        "write 'moderate confidence'",
                    )
                )
        if levels and found:
            problems.append(
                Problem(
                    sentence,
                    "a likelihood and a confidence level in one sentence",
                    "state the likelihood in one sentence and the confidence in another",
                )
            )
    return problems


def _other_term(phrase: str, chosen: Yardstick) -> Term:
    for name, other in yardsticks().items():
        if name != chosen.name and phrase.casefold() in other.phrases():
            return other.term(phrase)
    raise KeyError(phrase)  # pragma: no cover - the matcher knows only known phrases


def _nearest(term: Term, chosen: Yardstick) -> Term:
    """The chosen yardstick's term for the middle of another's range."""
    return chosen.term_for((term.low + term.high) / 2)


@dataclass(frozen=True)
class Judgement:
    """An analyst's judgement: its sentence, the yardstick term it uses, its confidence.

    The confidence is printed apart from the text (its own sentence or column), never
    inside it.
    """

    text: str
    likelihood: str
    confidence: Confidence
    yardstick: str = DEFAULT

    def validate(self) -> list[Problem]:
        """What is wrong with the judgement; an empty list when nothing is."""
        problems = check(self.text, self.yardstick)
        chosen = _named(self.yardstick)
        try:
            term = chosen.term(self.likelihood)
        except KeyError:
            problems.append(
                Problem(
                    self.text,
                    f"{self.likelihood!r} is not a term of the {chosen.name} yardstick",
                    _general_advice(chosen),
                )
            )
        else:
            pattern, _ = _matcher(chosen.name)
            stated = {
                chosen.term(" ".join(m.group(0).split())).term
                for m in pattern.finditer(_mask_quotes(self.text))
                if " ".join(m.group(0).split()).casefold() in chosen.phrases()
            }
            if term.term not in stated:
                problems.append(
                    Problem(
                        self.text,
                        f"the text does not state its likelihood, {term.term!r}",
                        f"use {term.label} in the sentence",
                    )
                )
        if self.confidence not in CONFIDENCE:
            problems.append(
                Problem(
                    self.text,
                    f"{self.confidence!r} is not a confidence level",
                    "choose low, moderate or high",
                )
            )
        return problems

    @property
    def confidence_sentence(self) -> str:
        """The confidence, as the separate sentence a briefing prints after the text."""
        return f"We have {self.confidence} confidence in this judgement."
