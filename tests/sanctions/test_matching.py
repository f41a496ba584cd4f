"""Finding the same target across lists: examples a reviewer would check by hand (a tanker
by its IMO number, a bank by its BIC, a person in Cyrillic and in Latin letters, two
namesakes born years apart, a person and a vessel of one name), then properties over
random lists: each pair once, smallest ref first, never within one list, and the same
pairs whatever order the targets come in."""

from __future__ import annotations

import itertools
import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.sanctions.matching import (
    BEST_MARGIN,
    THRESHOLD,
    Candidate,
    Target,
    _distinct,
    candidates,
    compare,
    is_target,
    name_key,
    target_of,
)


def _target(list_code: str, entity_id: str, schema: str, **properties: list[str]) -> Target:
    target = target_of(
        list_code, {"id": entity_id, "schema": schema, "properties": dict(properties)}
    )
    assert target is not None
    return target


def _pairs(targets: list[Target]) -> dict[tuple[str, str], str]:
    return {(c.left_ref, c.right_ref): c.rule for c in candidates(targets)}


def test_a_tanker_is_found_by_its_imo_number_under_three_names() -> None:
    tankers = [
        _target("us", "v1", "Vessel", name=["NS CHAMPION"], imoNumber=["IMO 9299666"]),
        _target("eu", "x9", "Vessel", name=["Champion"], imoNumber=["9299666"], flag=["ga"]),
        _target("uk", "s7", "Vessel", name=["SEA EAGLE"], previousName=["NS Champion"]),
        _target("ua", "t3", "Vessel", name=["Орёл"], imoNumber=["imo-9299666"]),
    ]
    pairs = _pairs(tankers)
    assert pairs["eu:x9", "us:v1"] == "strong:imoNumber"
    assert pairs["ua:t3", "us:v1"] == "strong:imoNumber"
    assert pairs["eu:x9", "ua:t3"] == "strong:imoNumber"
    # The renamed tanker without its number is found by its previous name.
    assert pairs["uk:s7", "us:v1"] == "name"


def test_a_bank_is_found_by_its_bic_whatever_the_branch() -> None:
    banks = [
        _target("us", "b1", "Company", name=["Sberbank of Russia"], swiftBic=["SABRRUMM"]),
        _target("eu", "b2", "Organization", name=["ПАО Сбербанк"], swiftBic=["SABR RU MM XXX"]),
        _target("uk", "b3", "Company", name=["VTB Bank PJSC"], swiftBic=["VTBRRUMM"]),
    ]
    candidate = compare(banks[0], banks[1])
    assert candidate is not None and candidate.rule == "strong:swiftBic"
    assert ("swiftBic", "SABRRUMM", "SABRRUMM", "agree") in candidate.evidence
    assert _pairs(banks) == {("eu:b2", "us:b1"): "strong:swiftBic"}


def test_a_person_in_cyrillic_and_in_latin_letters_born_the_same_year() -> None:
    latin = _target(
        "us", "p1", "Person", name=["Yevgeniy Viktorovich PRIGOZHIN"], birthDate=["1961-06-01"]
    )
    cyrillic = _target("ua", "p2", "Person", name=["Пригожин Евгений"], birthDate=["1961"])
    candidate = compare(latin, cyrillic)
    assert candidate is not None and candidate.rule == "name"
    assert candidate.score >= THRESHOLD
    assert ("year", "1961", "1961", "agree") in candidate.evidence
    assert _pairs([latin, cyrillic]) == {("ua:p2", "us:p1"): "name"}


def test_namesakes_born_years_apart_score_low() -> None:
    one = _target("us", "p1", "Person", name=["Ivan Ivanov"], birthDate=["1960-01-01"])
    other = _target("eu", "p2", "Person", name=["Ivan IVANOV"], birthDate=["1985-03-02"])
    candidate = compare(one, other)
    assert candidate is not None and candidate.score < THRESHOLD
    assert ("year", "1985", "1960", "disagree") in candidate.evidence
    assert _pairs([one, other]) == {}


def test_a_person_is_never_paired_with_a_vessel() -> None:
    person = _target("us", "p1", "Person", name=["Ocean Star"], registrationNumber=["77001"])
    vessel = _target("eu", "v1", "Vessel", name=["OCEAN STAR"], registrationNumber=["77001"])
    assert compare(person, vessel) is None
    assert _pairs([person, vessel]) == {}


def test_legal_forms_and_scripts_give_one_name_key() -> None:
    forms = [
        "Общество с ограниченной ответственностью «Ромашка»",
        "OOO Romashka",
        "Romashka Limited Liability Company",
        "ROMASHKA, LLC",
    ]
    assert {name_key(f, "org") for f in forms} == {"ROMASHKA"}
    assert name_key("Petrov, Ivan", "person") == name_key("Ivan PETROV", "person")
    assert name_key("M/T NS Champion", "object") == name_key("NS CHAMPION", "object")


def test_only_targets_are_matched() -> None:
    assert is_target("Vessel") and is_target("Person") and is_target("LegalEntity")
    assert not is_target("Sanction") and not is_target("Address")
    assert target_of("us", {"id": "s1", "schema": "Sanction", "properties": {}}) is None
    parts = target_of("us", {"id": "p", "schema": "Person", "properties": {"firstName": ["Ivan"]}})
    assert parts is not None and parts.names == ("Ivan",)


FIRST = ["Ivan", "Иван", "Sergei", "Sergey", "Anna", "Ocean"]
LAST = ["Petrov", "Петров", "Petrova", "Ivanov", "Star", "Volga"]
SCHEMAS = ["Person", "Person", "Company", "Organization", "LegalEntity", "Vessel"]


@st.composite
def listings(draw: st.DrawFn) -> list[Target]:
    """A few small lists of look-alike targets, some sharing an identifier."""
    out = []
    for i in range(draw(st.integers(0, 30))):
        properties: dict[str, list[str]] = {
            "name": [f"{draw(st.sampled_from(FIRST))} {draw(st.sampled_from(LAST))}"]
        }
        if draw(st.booleans()):
            properties["birthDate"] = [str(draw(st.integers(1960, 1963)))]
        if draw(st.booleans()):
            properties["taxNumber"] = [f"77{draw(st.integers(0, 3)):04d}"]
        out.append(
            _target(
                draw(st.sampled_from(["eu", "uk", "us"])),
                f"e{i}",
                draw(st.sampled_from(SCHEMAS)),
                **properties,
            )
        )
    return out


@settings(max_examples=150, deadline=None)
@given(listings(), st.randoms(use_true_random=False))
def test_each_pair_once_ordered_across_lists_whatever_the_input_order(
    targets: list[Target], rnd: random.Random
) -> None:
    found = candidates(targets)
    pairs = [(c.left_ref, c.right_ref) for c in found]
    assert len(pairs) == len(set(pairs))
    assert pairs == sorted(pairs)
    for c in found:
        assert c.left_ref < c.right_ref
        assert c.left_ref.split(":")[0] != c.right_ref.split(":")[0]
        assert 0.0 <= c.score <= 1.0
        assert c.score >= THRESHOLD or c.rule.startswith("strong:")
    shuffled = targets[:]
    rnd.shuffle(shuffled)
    assert candidates(shuffled) == found


@settings(max_examples=150, deadline=None)
@given(listings())
def test_the_score_of_a_pair_does_not_depend_on_its_side(targets: list[Target]) -> None:
    for a, b in itertools.pairwise(targets):
        assert compare(a, b) == compare(b, a)


@settings(max_examples=100, deadline=None)
@given(listings())
def test_candidates_are_what_comparing_every_pair_would_give(targets: list[Target]) -> None:
    # By brute force over the definition: every pair compared (on small lists no block
    # reaches the cap, so blocking must lose nothing that shares a token, a sound, a
    # deletion or an identifier), then a name candidate kept only if it is within the
    # margin of the best each of its two targets makes on the other's list (a strong
    # candidate counts as better than any).
    compared = {}
    for i, a in enumerate(targets):
        for b in targets[i + 1 :]:
            candidate = compare(a, b, THRESHOLD)
            if candidate is not None:
                compared[candidate.left_ref, candidate.right_ref] = candidate

    def rank(c: Candidate) -> float:
        return 2.0 if c.rule.startswith("strong:") else c.score

    def best(ref: str, code: str) -> float:
        return max(
            rank(c)
            for (left, right), c in compared.items()
            if (left == ref and right.startswith(code + ":"))
            or (right == ref and left.startswith(code + ":"))
        )

    expected = {
        pair
        for pair, c in compared.items()
        if c.rule.startswith("strong:")
        or (
            rank(c) >= best(pair[0], pair[1].split(":")[0]) - BEST_MARGIN
            and rank(c) >= best(pair[1], pair[0].split(":")[0]) - BEST_MARGIN
        )
    }
    assert {(c.left_ref, c.right_ref) for c in candidates(targets)} == expected


@given(st.lists(st.lists(st.integers(min_value=0, max_value=1 << 40), max_size=30), max_size=6))
def test_the_distinct_pairs_of_several_parts_are_those_numpy_would_give(
    parts: list[list[int]],
) -> None:
    arrays = [np.array(part, dtype=np.int64) for part in parts] or [np.empty(0, np.int64)]
    expected = np.unique(np.concatenate(arrays))
    assert _distinct(arrays).tolist() == expected.tolist()
    assert arrays == []  # emptied as they were joined
