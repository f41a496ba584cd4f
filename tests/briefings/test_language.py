"""Estimative language: the shipped yardsticks, the checker, and judgements.

Pure tests: no database. Examples pin the published yardsticks, term by term and range by
range, and sentences published under them (UK Defence Intelligence updates under the PHIA
yardstick; the US Intelligence Community Assessment of 6 January 2017 under ICD 203).
Hypothesis states the general rules: ``term_for`` is monotonic and honours every range;
quoted words never change what the checker says.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition.briefings.language import (
    CONFIDENCE,
    DEFAULT,
    OUTSIDE,
    Judgement,
    Problem,
    check,
    sentences,
    yardstick,
    yardsticks,
)

UK = [
    ("remote chance", 0, 5),
    ("highly unlikely", 10, 20),
    ("unlikely", 25, 35),
    ("realistic possibility", 40, 50),
    ("likely or probably", 55, 75),
    ("highly likely", 80, 90),
    ("almost certain", 95, 100),
]
ICD = [
    ("almost no chance", 1, 5),
    ("very unlikely", 5, 20),
    ("unlikely", 20, 45),
    ("roughly even chance", 45, 55),
    ("likely", 55, 80),
    ("very likely", 80, 95),
    ("almost certain", 95, 99),
]
ICD_SYNONYMS = {
    "almost no chance": ("remote",),
    "very unlikely": ("highly improbable",),
    "unlikely": ("improbable", "improbably"),
    "roughly even chance": ("roughly even odds",),
    "likely": ("probable", "probably"),
    "very likely": ("highly probable",),
    "almost certain": ("almost certainly", "nearly certain"),
}

# Sentences published under each yardstick, as published.
PUBLISHED = {
    "uk-phia": [
        # Defence Intelligence update on Ukraine, 12 December 2022.
        "Russia's strategy is currently unlikely to achieve its objectives: it is highly "
        "unlikely that the Russian military is currently able to generate an effective "
        "striking force capable of retaking these areas.",
        "Russian ground forces are unlikely to make operationally significant advances "
        "within the next several months.",
        # Defence Intelligence update on Ukraine, 30 March 2022.
        "Russian forces continue to hold positions to the east and west of Kyiv despite "
        "the withdrawal of a limited number of units. Heavy fighting will likely take "
        "place in the suburbs of the city in coming days.",
    ],
    "icd-203": [
        # Assessing Russian Activities and Intentions in Recent US Elections (ICA
        # 2017-01D), key judgements.
        "We assess Russian President Vladimir Putin ordered an influence campaign in 2016 "
        "aimed at the US presidential election. Russia's goals were to undermine public "
        "faith in the US democratic process, denigrate Secretary Clinton, and harm her "
        "electability and potential presidency. We further assess Putin and the Russian "
        "Government developed a clear preference for President-elect Trump. We have high "
        "confidence in these judgments.",
        "All three agencies agree with this judgment. CIA and FBI have high confidence in "
        "this judgment; NSA has moderate confidence.",
        "When it appeared to Moscow that Secretary Clinton was likely to win the election, "
        "the Russian influence campaign began to focus more on undermining her future "
        "presidency.",
    ],
}


def _whats(text: str, name: str = DEFAULT) -> list[str]:
    return [p.what for p in check(text, name)]


# The shipped yardsticks -------------------------------------------------------------


def test_the_uk_yardstick_is_the_published_seven_ranges_in_order() -> None:
    uk = yardstick()
    assert uk.name == "uk-phia" == DEFAULT
    assert [(t.term, t.low_percent, t.high_percent) for t in uk.terms] == UK
    assert uk.term("probably") is uk.term("likely") is uk.term("Likely or probably")
    assert "OGL" in uk.source


def test_the_icd_yardstick_is_the_published_seven_ranges_with_their_synonyms() -> None:
    icd = yardstick("icd-203")
    assert [(t.term, t.low_percent, t.high_percent) for t in icd.terms] == ICD
    assert {t.term: t.synonyms for t in icd.terms} == ICD_SYNONYMS
    assert "ICD 203" in icd.source


def test_only_the_two_yardsticks_ship_and_an_unknown_one_is_named() -> None:
    assert set(yardsticks()) == {"uk-phia", "icd-203"}
    with pytest.raises(KeyError, match="uk-phia"):
        yardstick("nato")


def test_the_uk_ranges_leave_gaps_and_the_icd_ranges_meet_end_to_end() -> None:
    uk, icd = yardstick().terms, yardstick("icd-203").terms
    assert all(a.high_percent < b.low_percent for a, b in itertools.pairwise(uk))
    assert all(a.high_percent == b.low_percent for a, b in itertools.pairwise(icd))


# term_for and range_for -------------------------------------------------------------

probabilities = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
names = st.sampled_from(sorted(["uk-phia", "icd-203"]))


@given(names, probabilities, probabilities)
def test_term_for_is_monotonic(name: str, p: float, q: float) -> None:
    chosen = yardstick(name)
    low, high = sorted((p, q))
    assert chosen.terms.index(chosen.term_for(low)) <= chosen.terms.index(chosen.term_for(high))


@given(names, st.data())
def test_every_probability_in_a_published_range_maps_to_its_term(
    name: str, data: st.DataObject
) -> None:
    chosen = yardstick(name)
    term = data.draw(st.sampled_from(chosen.terms))
    p = data.draw(st.floats(min_value=term.low, max_value=term.high))
    holding = [t for t in chosen.terms if t.contains(p)]
    assert chosen.term_for(p) in holding
    assert chosen.range_for(p) in holding
    if holding == [term]:
        assert chosen.term_for(p) is term


@given(probabilities)
def test_range_for_is_none_exactly_in_the_uk_gaps(p: float) -> None:
    uk = yardstick()
    in_a_range = any(t.low <= p <= t.high for t in uk.terms)
    assert (uk.range_for(p) is None) is not in_a_range
    assert uk.term_for(p) is not None


@pytest.mark.parametrize(
    ("name", "p", "term"),
    [
        ("uk-phia", 0.07, "remote chance"),  # a gap: the nearer range
        ("uk-phia", 0.09, "highly unlikely"),
        ("uk-phia", 0.52, "realistic possibility"),
        ("uk-phia", 0.54, "likely or probably"),
        ("uk-phia", 0.55, "likely or probably"),
        ("uk-phia", 1.0, "almost certain"),
        ("icd-203", 0.0, "almost no chance"),  # below the first range: its term
        ("icd-203", 0.05, "very unlikely"),  # a shared end: the less extreme range
        ("icd-203", 0.95, "very likely"),
        ("icd-203", 0.995, "almost certain"),
    ],
)
def test_term_for_in_gaps_and_on_shared_ends(name: str, p: float, term: str) -> None:
    assert yardstick(name).term_for(p).term == term


@pytest.mark.parametrize("p", [-0.01, 1.01, 70.0])
def test_term_for_refuses_what_is_no_probability(p: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        yardstick().term_for(p)


# The checker: what passes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "phrase"),
    [(y.name, p) for y in yardsticks().values() for t in y.terms for p in t.phrases],
)
def test_every_published_term_passes_in_its_own_yardstick(name: str, phrase: str) -> None:
    assert check(f"We assess it is {phrase} that the ceasefire holds.", name) == []
    assert check(f"{phrase.upper()}: the line holds.", name) == []


@pytest.mark.parametrize(
    ("name", "text"), [(name, text) for name, texts in PUBLISHED.items() for text in texts]
)
def test_sentences_published_under_each_yardstick_pass(name: str, text: str) -> None:
    assert check(text, name) == []


def test_likelihood_and_confidence_in_separate_sentences_pass() -> None:
    text = (
        "It is highly likely that Russian forces will resume strikes on Kharkiv within "
        "a week. We have moderate confidence in this judgement."
    )
    assert check(text) == []


def test_a_figure_that_is_no_probability_is_not_policed() -> None:
    assert check("Members delivered 70% of the pledged shells, 12 per cent more.") == []


def test_a_published_range_in_figures_passes() -> None:
    assert check("There is a 55-75% chance that the ceasefire holds.") == []
    assert check("There is a probability of 40 to 50 per cent that it holds.") == []
    assert check("The chance of a breach is ≤ 5% likely.") == []
    assert check("There is a 45-55% chance that it holds.", "icd-203") == []


def test_words_that_only_contain_an_estimative_word_pass() -> None:
    assert check("The mighty Dnipro divides the front. Remote villages were shelled.") == []


# The checker: what is refused ---------------------------------------------------------


@pytest.mark.parametrize("phrase", sorted(OUTSIDE))
def test_each_estimative_word_outside_the_yardsticks_is_refused(phrase: str) -> None:
    for name in yardsticks():
        problems = check(f"Our assessment: {phrase}, the ceasefire holds.", name)
        assert [p.what for p in problems] == [f"{phrase!r} is not a term of the {name} yardstick"]
        assert problems[0].suggestion


@pytest.mark.parametrize(
    "text",
    [
        "The ceasefire will possibly hold.",
        "Perhaps the ceasefire will hold.",
        "Maybe the ceasefire will hold.",
        "If the line breaks, then Kyiv might call up reserves.",
        "The ceasefire could well hold.",
        "There is a good chance that the ceasefire holds.",
        "Russia will certainly resume strikes.",
        "A breach is doubtful.",
        "We believe it is improbable that the ceasefire holds.",
        "It is very likely that the ceasefire holds.",
        "There is almost no chance that the ceasefire holds.",
        "There is a 70 per cent chance that the ceasefire holds.",
        "There is a 60-70% chance that the ceasefire holds.",
        "There is a 70 % chance that the ceasefire holds.",
        "The probability of a breach is 30percent.",
    ],
)
def test_likelihoods_off_the_uk_yardstick_are_refused(text: str) -> None:
    problems = check(text)
    assert len(problems) == 1
    assert problems[0].sentence == text


def test_a_point_probability_is_told_its_term() -> None:
    (problem,) = check("There is a 70 per cent chance that the ceasefire holds.")
    assert "'70 per cent'" in problem.what
    assert problem.suggestion == "write the term instead: likely or probably (55-75%)"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("uk-phia", "It is likely (55-75%) that the ceasefire holds."),
        ("uk-phia", "A breach is a remote chance (≤ 5%)."),
        ("uk-phia", "It is almost certain (95-100 per cent) that it holds."),
        ("icd-203", "It is likely (55-80%) that the ceasefire holds."),
        ("icd-203", "It is very unlikely (05-20%) that Russia withdraws."),
    ],
)
def test_a_term_with_its_own_range_in_brackets_passes(name: str, text: str) -> None:
    assert check(text, name) == []


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        ("It is highly likely (55-75%) that it holds.", "write highly likely (80-90%)"),
        ("It is likely (70%) that it holds.", "write likely (55-75%)"),
        ("It is likely (55-80%) that it holds.", "write likely (55-75%)"),
    ],
)
def test_a_term_with_figures_that_are_not_its_range_is_refused(text: str, advice: str) -> None:
    (problem,) = check(text)
    assert problem.what.endswith("the figures are not the term's range")
    assert problem.suggestion == advice


@pytest.mark.parametrize(
    ("name", "phrase", "suggested"),
    [
        ("uk-phia", "very likely", "highly likely (80-90%)"),
        ("uk-phia", "almost no chance", "remote chance (0-5%)"),
        ("uk-phia", "roughly even chance", "realistic possibility (40-50%)"),
        ("uk-phia", "highly improbable", "highly unlikely (10-20%)"),
        ("uk-phia", "nearly certain", "almost certain (95-100%)"),
        ("icd-203", "realistic possibility", "roughly even chance (45-55%)"),
        ("icd-203", "highly likely", "very likely (80-95%)"),
        ("icd-203", "remote chance", "almost no chance (1-5%)"),
        ("icd-203", "highly unlikely", "very unlikely (5-20%)"),
    ],
)
def test_a_term_of_the_other_yardstick_is_refused_with_the_nearest_term(
    name: str, phrase: str, suggested: str
) -> None:
    (problem,) = check(f"It is {phrase} that the ceasefire holds.", name)
    assert "is a term of the" in problem.what
    assert problem.suggestion == f"write {suggested}"


@pytest.mark.parametrize(
    "text",
    [
        "We judge with high confidence that it is likely the ceasefire will hold.",
        "It is highly unlikely, at moderate confidence, that Russia withdraws.",
        "We assess with low confidence that a breach is a realistic possibility.",
        "Analytical confidence in the judgement that the line almost certainly holds is high.",
    ],
)
def test_a_likelihood_and_a_confidence_in_one_sentence_are_refused(text: str) -> None:
    assert "a likelihood and a confidence level in one sentence" in _whats(text)


def test_mixing_is_refused_under_icd_203_too() -> None:
    text = "We assess with high confidence that Moscow is likely to escalate."
    assert _whats(text, "icd-203") == ["a likelihood and a confidence level in one sentence"]


def test_confidence_is_low_moderate_or_high() -> None:
    assert CONFIDENCE == ("low", "moderate", "high")
    (problem,) = check("We have medium confidence in this judgement.")
    assert problem.suggestion == "write 'moderate confidence'"


def test_each_problem_names_its_own_sentence() -> None:
    text = "The line holds. Perhaps it breaks. It is highly likely that it holds."
    assert [p.sentence for p in check(text)] == ["Perhaps it breaks."]


# Quotations ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "quote",
    [
        '"there is a good chance it will possibly hold, with high confidence"',
        "“maybe it is very likely, we are certainly confident”",
        "‘perhaps, 70% chance’",
    ],
)
def test_quoted_words_are_not_policed(quote: str) -> None:
    assert check(f"The Kremlin said {quote}. It is unlikely that Russia withdraws.") == []


def test_an_apostrophe_is_no_quotation_mark() -> None:
    assert len(check("Russia’s forces might withdraw, the army’s staff said.")) == 1


@given(st.text(alphabet=st.characters(exclude_characters='"'), max_size=80))
def test_whatever_is_quoted_changes_nothing(quoted: str) -> None:
    clean = "It is highly likely that the line holds. We have high confidence."
    assert check(f'{clean} The envoy said "{quoted}" on Tuesday.') == []


@given(st.text(max_size=200))
def test_the_checker_reads_any_text(text: str) -> None:
    for problem in check(text):
        assert isinstance(problem, Problem)
        assert problem.sentence in text


# Sentences -------------------------------------------------------------------------


def test_sentences_split_at_full_stops_and_bullets_and_keep_quotes_whole() -> None:
    text = 'He said "It holds. It will." Then he left.\n\n- It is likely.\n- Unlikely so.'
    assert [text[a:b] for a, b in sentences(text)] == [
        'He said "It holds. It will."',
        "Then he left.",
        "It is likely.",
        "Unlikely so.",
    ]


# Judgements ------------------------------------------------------------------------


def test_a_judgement_in_yardstick_terms_with_its_confidence_apart_is_valid() -> None:
    judgement = Judgement(
        "It is highly likely that Russia resumes strikes within a week.",
        likelihood="highly likely",
        confidence="moderate",
    )
    assert judgement.validate() == []
    assert judgement.confidence_sentence == "We have moderate confidence in this judgement."
    assert check(judgement.confidence_sentence) == []


def test_a_judgement_under_icd_203() -> None:
    judgement = Judgement(
        "Moscow is very likely to escalate.", "very likely", "low", yardstick="icd-203"
    )
    assert judgement.validate() == []


def test_a_judgement_whose_text_breaks_the_rules_is_refused() -> None:
    judgement = Judgement(
        "We judge with high confidence that it is highly likely Russia resumes strikes.",
        likelihood="highly likely",
        confidence="high",
    )
    assert [p.what for p in judgement.validate()] == [
        "a likelihood and a confidence level in one sentence"
    ]


def test_a_judgement_must_state_its_own_term_from_its_yardstick() -> None:
    off = Judgement("It is unlikely that the line holds.", "very likely", "low")
    assert [p.what for p in off.validate()] == [
        "'very likely' is not a term of the uk-phia yardstick"
    ]
    other = Judgement("It is unlikely that the line holds.", "highly likely", "low")
    assert [p.what for p in other.validate()] == [
        "the text does not state its likelihood, 'highly likely'"
    ]
    quoted = Judgement('Kyiv said "highly likely".', "highly likely", "low")
    assert len(quoted.validate()) == 1


def test_a_judgement_confidence_off_the_scale_is_refused() -> None:
    judgement = Judgement("The line is likely to hold.", "likely", "medium")  # type: ignore[arg-type]
    assert [p.what for p in judgement.validate()] == ["'medium' is not a confidence level"]
