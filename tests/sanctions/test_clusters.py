"""Judgements into clusters: sameness is transitive, a person's "different" is never
undone by a rule, the order decisions arrive in never matters, re-running the rules
changes nothing, revisiting then deciding again restores the state, and a merge that
would join what someone separated is refused with a reason and changes nothing.

Most properties draw a hidden truth (refs of three lists grouped into true targets) and
decisions that agree with it, so that every order of them must be accepted; the
conflict properties draw decisions at random and check the invariants after each one.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.sanctions.clusters import (
    Decision,
    Judgement,
    Resolver,
    auto_decisions,
    canonical_id,
)
from coalition.sanctions.matching import Candidate

AT = dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC)
PEOPLE = ["anna", "boris"]
RULES = ["rule:strong-id", "rule:other"]
REFS = [f"{code}:{n}" for code in ("eu", "uk", "us") for n in range(5)]


def _state(resolver: Resolver) -> tuple[object, ...]:
    """Everything observable: the live decisions, each ref's cluster and canonical id."""
    return (
        sorted(resolver.decisions(), key=lambda d: (d.left_ref, d.right_ref)),
        {ref: resolver.cluster(ref) for ref in REFS},
        {ref: resolver.canonical(ref) for ref in REFS},
    )


@st.composite
def truths(draw: st.DrawFn) -> dict[str, int]:
    """Each ref's true target: refs grouped into a few true targets."""
    return {ref: draw(st.integers(0, 4)) for ref in REFS}


@st.composite
def agreeing(draw: st.DrawFn) -> tuple[dict[str, int], list[Decision]]:
    """A truth and decisions that agree with it, at most one judgement per pair (a rule
    and a person may both say the same of one pair)."""
    truth = draw(truths())
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(REFS), st.sampled_from(REFS)).filter(lambda p: p[0] != p[1]),
            max_size=30,
            unique_by=lambda p: frozenset(p),
        )
    )
    decisions = []
    for left, right in pairs:
        if truth[left] == truth[right]:
            judgement = draw(st.sampled_from([Judgement.SAME, Judgement.SAME, Judgement.UNSURE]))
        else:
            judgement = draw(
                st.sampled_from([Judgement.DIFFERENT, Judgement.DIFFERENT, Judgement.UNSURE])
            )
        # A person, a rule or both: the person's judgement is kept whichever came first.
        authors = draw(
            st.sampled_from([[draw(st.sampled_from(PEOPLE))], [RULES[0]], [PEOPLE[0], RULES[0]]])
        )
        for by in authors:
            minutes = draw(st.integers(0, 600))
            decisions.append(
                Decision(left, right, judgement, by, AT + dt.timedelta(minutes=minutes))
            )
    return truth, decisions


@st.composite
def any_decisions(draw: st.DrawFn) -> list[Decision]:
    """Decisions at random, conflicting with one another as they may."""
    return draw(
        st.lists(
            st.builds(
                Decision,
                st.sampled_from(REFS),
                st.sampled_from(REFS),
                st.sampled_from(list(Judgement)),
                st.sampled_from(PEOPLE + RULES),
                st.just(AT),
            ).filter(lambda d: d.left_ref != d.right_ref),
            max_size=40,
        )
    )


def _apply(decisions: list[Decision]) -> Resolver:
    resolver = Resolver()
    for decision in decisions:
        resolver.decide(decision)
    return resolver


@settings(max_examples=200, deadline=None)
@given(any_decisions())
def test_sameness_is_transitive(decisions: list[Decision]) -> None:
    resolver = _apply(decisions)
    for d in resolver.decisions():
        if d.judgement is Judgement.SAME:
            assert resolver.canonical(d.left_ref) == resolver.canonical(d.right_ref)
    for a in REFS:
        for b in resolver.cluster(a):
            assert resolver.cluster(b) == resolver.cluster(a)
            assert resolver.judgement(a, b) is Judgement.SAME


@settings(max_examples=200, deadline=None)
@given(any_decisions())
def test_a_negative_judgement_is_never_overridden(decisions: list[Decision]) -> None:
    resolver = Resolver()
    persons_negatives: set[frozenset[str]] = set()
    for decision in decisions:
        outcome = resolver.decide(decision)
        recorded = outcome.recorded
        if recorded and recorded.judgement is Judgement.DIFFERENT and not recorded.by_rule:
            persons_negatives.add(frozenset((decision.left_ref, decision.right_ref)))
        live = {frozenset((d.left_ref, d.right_ref)): d for d in resolver.decisions()}
        for pair in persons_negatives:
            # Nothing but revisiting removes a person's "different": it stands, and the two
            # refs stay in separate clusters, whatever rules or people said since.
            assert live[pair].judgement is Judgement.DIFFERENT
            assert not live[pair].by.startswith("rule:")
            left, right = sorted(pair)
            assert resolver.canonical(left) != resolver.canonical(right)
            assert resolver.judgement(left, right) is Judgement.DIFFERENT


@settings(max_examples=200, deadline=None)
@given(agreeing(), st.randoms(use_true_random=False))
def test_the_order_of_decisions_does_not_matter(
    drawn: tuple[dict[str, int], list[Decision]], rnd: random.Random
) -> None:
    truth, decisions = drawn
    shuffled = decisions[:]
    rnd.shuffle(shuffled)
    first, second = _apply(decisions), _apply(shuffled)
    assert _state(first) == _state(second)
    for ref in REFS:
        # Decisions that agree with the truth never join two true targets.
        assert {truth[m] for m in first.cluster(ref)} == {truth[ref]}
        assert first.canonical(ref) == canonical_id(min(first.cluster(ref)))


@settings(max_examples=200, deadline=None)
@given(agreeing(), st.randoms(use_true_random=False))
def test_decisions_that_agree_are_all_accepted(
    drawn: tuple[dict[str, int], list[Decision]], rnd: random.Random
) -> None:
    _, decisions = drawn
    resolver = Resolver()
    for decision in decisions:
        assert resolver.decide(decision).accepted


def _strong(left: str, right: str) -> Candidate:
    a, b = sorted((left, right))
    return Candidate(a, b, 1.0, "strong:imoNumber", ())


@settings(max_examples=200, deadline=None)
@given(any_decisions(), st.lists(st.tuples(st.sampled_from(REFS), st.sampled_from(REFS))))
def test_running_the_rules_again_changes_nothing(
    decisions: list[Decision], pairs: list[tuple[str, str]]
) -> None:
    resolver = _apply(decisions)
    found = [_strong(a, b) for a, b in pairs if a.split(":")[0] != b.split(":")[0]]
    for decision in auto_decisions(found, at=AT):
        resolver.decide(decision)
    before = _state(resolver)
    later = AT + dt.timedelta(days=1)
    for decision in auto_decisions(found, at=later):
        outcome = resolver.decide(decision)
        assert outcome.recorded is None and outcome.removed is None
    assert _state(resolver) == before


@settings(max_examples=200, deadline=None)
@given(any_decisions(), st.data())
def test_revisiting_then_deciding_again_restores_the_state(
    decisions: list[Decision], data: st.DataObject
) -> None:
    resolver = _apply(decisions)
    live = sorted(resolver.decisions(), key=lambda d: (d.left_ref, d.right_ref))
    if not live:
        return
    before = _state(resolver)
    chosen = data.draw(st.sampled_from(live))
    revisited = resolver.revisit(chosen.left_ref, chosen.right_ref, "anna", AT)
    assert revisited.accepted and revisited.removed == chosen
    assert chosen not in resolver.decisions()
    assert resolver.decide(chosen).accepted
    assert _state(resolver) == before


@settings(max_examples=200, deadline=None)
@given(any_decisions(), st.sampled_from(REFS), st.sampled_from(REFS), st.sampled_from(PEOPLE))
def test_a_conflicting_merge_is_refused_and_changes_nothing(
    decisions: list[Decision], left: str, right: str, by: str
) -> None:
    resolver = _apply(decisions)
    if resolver.judgement(left, right) is not Judgement.DIFFERENT:
        return
    live = {frozenset((d.left_ref, d.right_ref)) for d in resolver.decisions()}
    if frozenset((left, right)) in live:
        return  # the pair's own judgement: a different refusal, tested below
    before = _state(resolver)
    outcome = resolver.decide(Decision(left, right, Judgement.SAME, by, AT))
    assert not outcome.accepted
    assert "judged different" in outcome.reason
    assert _state(resolver) == before


def test_a_merge_across_a_negative_names_the_pair() -> None:
    resolver = Resolver()
    resolver.decide(Decision("eu:1", "uk:1", Judgement.SAME, "anna", AT))
    resolver.decide(Decision("us:1", "us:2", Judgement.SAME, "anna", AT))
    resolver.decide(Decision("uk:1", "us:2", Judgement.DIFFERENT, "boris", AT))
    outcome = resolver.decide(Decision("eu:1", "us:1", Judgement.SAME, "anna", AT))
    assert not outcome.accepted
    assert "uk:1" in outcome.reason and "us:2" in outcome.reason and "boris" in outcome.reason
    assert resolver.cluster("eu:1") == frozenset({"eu:1", "uk:1"})


def test_a_rule_never_replaces_what_a_person_said() -> None:
    resolver = Resolver()
    resolver.decide(Decision("eu:1", "uk:1", Judgement.DIFFERENT, "anna", AT))
    outcome = resolver.decide(Decision("eu:1", "uk:1", Judgement.SAME, "rule:strong-id", AT))
    assert not outcome.accepted and "anna" in outcome.reason
    assert resolver.judgement("eu:1", "uk:1") is Judgement.DIFFERENT


def test_a_negative_inside_a_cluster_is_refused_until_revisited() -> None:
    resolver = Resolver()
    resolver.decide(Decision("eu:1", "uk:1", Judgement.SAME, "rule:strong-id", AT))
    resolver.decide(Decision("uk:1", "us:1", Judgement.SAME, "anna", AT))
    outcome = resolver.decide(Decision("eu:1", "us:1", Judgement.DIFFERENT, "boris", AT))
    assert not outcome.accepted and "revisit" in outcome.reason
    assert resolver.revisit("uk:1", "us:1", "boris", AT).accepted
    assert resolver.decide(Decision("eu:1", "us:1", Judgement.DIFFERENT, "boris", AT)).accepted
    assert resolver.cluster("us:1") == frozenset({"us:1"})
    assert resolver.canonical("eu:1") == canonical_id("eu:1")


def test_a_rule_cannot_revisit_a_persons_judgement() -> None:
    resolver = Resolver()
    resolver.decide(Decision("eu:1", "uk:1", Judgement.SAME, "anna", AT))
    assert not resolver.revisit("eu:1", "uk:1", "rule:strong-id", AT).accepted
    assert not resolver.revisit("eu:1", "us:9", "anna", AT).accepted
    assert resolver.cluster("eu:1") == frozenset({"eu:1", "uk:1"})


def test_a_person_confirming_a_rule_takes_the_judgement_over() -> None:
    resolver = Resolver()
    resolver.decide(Decision("eu:1", "uk:1", Judgement.SAME, "rule:strong-id", AT))
    outcome = resolver.decide(Decision("uk:1", "eu:1", Judgement.SAME, "anna", AT))
    assert outcome.accepted and outcome.recorded is not None
    assert outcome.removed is not None and outcome.removed.by == "rule:strong-id"
    assert [d.by for d in resolver.decisions()] == ["anna"]


def test_an_unknown_ref_is_its_own_cluster() -> None:
    resolver = Resolver()
    assert resolver.cluster("eu:7") == frozenset({"eu:7"})
    assert resolver.canonical("eu:7") == canonical_id("eu:7")
    assert canonical_id("eu:7").startswith("NK-")
    assert resolver.judgement("eu:7", "uk:7") is None


def test_only_strong_identifiers_become_rule_decisions() -> None:
    found = [
        Candidate("eu:1", "uk:1", 1.0, "strong:imoNumber", ()),
        Candidate("eu:2", "uk:2", 0.97, "name", ()),
    ]
    decided = auto_decisions(found, at=AT)
    assert [(d.left_ref, d.right_ref, d.judgement, d.by) for d in decided] == [
        ("eu:1", "uk:1", Judgement.SAME, "rule:strong-id")
    ]
    with pytest.raises(ValueError, match="rule:"):
        auto_decisions(found, by="anna", at=AT)


def test_a_decision_needs_an_aware_time_and_two_refs() -> None:
    with pytest.raises(ValueError, match="UTC"):
        Decision("eu:1", "uk:1", Judgement.SAME, "anna", dt.datetime(2025, 3, 10))
    outcome = Resolver().decide(Decision("eu:1", "eu:1", Judgement.SAME, "anna", AT))
    assert not outcome.accepted
