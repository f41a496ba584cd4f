"""The decision rules, as pure functions: worked examples and properties.

The qualified-majority examples use the EU-27 with the populations of ``eu27`` and say
how each expected result follows from the Council's rule (Article 16(4) TEU and Article
238 TFEU), which is what the Council's voting calculator applies: 55% of the members
(15 of 27) representing 65% of the population; a blocking minority needs four members;
an abstention counts against; the reinforced majority needs 72% of the members (20 of 27).
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.decisions.rules import (
    REINFORCED,
    Ballot,
    Result,
    Rule,
    Stance,
    Statement,
    Thresholds,
    Voter,
    decide,
    double_majority,
    live_positions,
)
from tests.decisions.eu27 import BY_SIZE, POPULATION_2025

DEADLINE = dt.datetime(2025, 3, 20, 12, 0, tzinfo=dt.UTC)
BEFORE = DEADLINE - dt.timedelta(days=6)
EU27 = tuple(Voter(code, pop) for code, pop in POPULATION_2025.items())


def eu_vote(
    against: list[str] = (),  # type: ignore[assignment]
    abstain: list[str] = (),  # type: ignore[assignment]
    silent: list[str] = (),  # type: ignore[assignment]
    thresholds: Thresholds | None = None,
    voters: tuple[Voter, ...] = EU27,
) -> Ballot:
    statements = []
    for i, voter in enumerate(voters):
        if voter.code in silent:
            continue
        stance = (
            Stance.OBJECT
            if voter.code in against
            else Stance.ABSTAIN
            if voter.code in abstain
            else Stance.SUPPORT
        )
        statements.append(Statement(voter.code, stance, BEFORE, i))
    return Ballot(
        Rule.QUALIFIED_MAJORITY,
        voters,
        tuple(statements),
        DEADLINE,
        thresholds=thresholds or Thresholds(),
    )


# --- qualified majority: worked examples on EU-27 ------------------------------------


def test_all_in_favour_is_adopted() -> None:
    assert decide(eu_vote()).result is Result.ADOPTED


def test_three_large_states_cannot_block_alone() -> None:
    # DEU, FRA, ITA: 46.9% of the population against, so 53.1% for (< 65%); but only
    # three members are against, fewer than the four of a blocking minority: adopted.
    outcome = decide(eu_vote(against=["DEU", "FRA", "ITA"]))
    assert outcome.result is Result.ADOPTED
    assert "blocking minority of 4" in outcome.reason


def test_a_fourth_member_makes_the_blocking_minority() -> None:
    # Adding Malta (0.1%) makes four members and 47.1% against: 52.9% for, rejected.
    outcome = decide(eu_vote(against=["DEU", "FRA", "ITA", "MLT"]))
    assert outcome.result is Result.REJECTED
    assert "short of 65% of the population" in outcome.reason


def test_four_members_under_35_percent_do_not_block() -> None:
    # ESP, POL, ROU, NLD: four members but 27.2% of the population; 72.8% for: adopted.
    assert decide(eu_vote(against=["ESP", "POL", "ROU", "NLD"])).result is Result.ADOPTED


def test_four_members_over_35_percent_block() -> None:
    # FRA, ITA, POL, NLD: 40.5% against, 59.5% for: rejected.
    assert decide(eu_vote(against=["FRA", "ITA", "POL", "NLD"])).result is Result.REJECTED


def test_abstention_counts_as_a_vote_against() -> None:
    # The four largest abstaining leave 42.2% of the population for: rejected, exactly as
    # if they had voted against.
    big4 = BY_SIZE[:4]
    assert decide(eu_vote(abstain=big4)).result is Result.REJECTED
    assert decide(eu_vote(abstain=big4)).reason == decide(eu_vote(against=big4)).reason
    # Silence counts the same way.
    assert decide(eu_vote(silent=big4)).result is Result.REJECTED


def test_fifteen_members_are_enough_fourteen_are_not() -> None:
    # The 15 largest: 55.6% of members, 91.8% of population: adopted.
    assert decide(eu_vote(against=BY_SIZE[15:])).result is Result.ADOPTED
    # The 14 largest: 51.9% of members (< 55%) despite 90.4% of the population: rejected.
    outcome = decide(eu_vote(against=BY_SIZE[14:]))
    assert outcome.result is Result.REJECTED
    assert "short of 55% of members" in outcome.reason


def test_the_fifteen_smallest_are_not_enough() -> None:
    # 15 members (55.6%) but 13.8% of the population: rejected.
    outcome = decide(eu_vote(against=BY_SIZE[:12]))
    assert outcome.result is Result.REJECTED
    assert "short of 65% of the population" in outcome.reason


def test_reinforced_majority_needs_twenty_members() -> None:
    # 19 largest for: 70.4% of members (< 72%), 96.8% of population: rejected.
    assert decide(eu_vote(against=BY_SIZE[19:], thresholds=REINFORCED)).result is Result.REJECTED
    # 20 largest for: 74.1% of members, 97.7% of population: adopted.
    assert decide(eu_vote(against=BY_SIZE[20:], thresholds=REINFORCED)).result is Result.ADOPTED
    # Under the ordinary majority the 19 largest would have carried it.
    assert decide(eu_vote(against=BY_SIZE[19:])).result is Result.ADOPTED


def test_only_members_taking_part_count() -> None:
    # With DNK and IRL not taking part (25 members, 15 of them a 55% majority...), the
    # 14 largest for are 56% of members: adopted, where among 27 they were not.
    voters = tuple(v for v in EU27 if v.code not in ("DNK", "IRL"))
    against = [c for c in BY_SIZE[14:] if c not in ("DNK", "IRL")]
    ballot = eu_vote(against=against, voters=voters)
    dm = double_majority(ballot)
    assert (dm.members, dm.in_favour) == (25, 14)
    assert decide(ballot).result is Result.ADOPTED


def test_thresholds_are_exact_at_the_boundary() -> None:
    # 20 members of one person each: 11 for is exactly 55% of members and of population.
    voters = tuple(Voter(f"M{i:02d}", 1) for i in range(20))
    t = Thresholds(members_pct=55, population_pct=55, blocking_members=0)
    for n, expected in ((11, Result.ADOPTED), (10, Result.REJECTED)):
        statements = tuple(
            Statement(v.code, Stance.SUPPORT if i < n else Stance.OBJECT, BEFORE, i)
            for i, v in enumerate(voters)
        )
        ballot = Ballot(Rule.QUALIFIED_MAJORITY, voters, statements, DEADLINE, thresholds=t)
        assert decide(ballot).result is expected, n


# --- the other rules: examples -------------------------------------------------------

SIX = tuple(Voter(c, 1) for c in ("DEU", "FRA", "GBR", "ITA", "POL", "ESP"))


def ballot(rule: Rule, *stated: tuple[str, Stance, dt.datetime], quorum: int = 0) -> Ballot:
    return Ballot(
        rule,
        SIX,
        tuple(Statement(m, s, at, i) for i, (m, s, at) in enumerate(stated)),
        DEADLINE,
        quorum=quorum,
    )


MARCH_14 = dt.datetime(2025, 3, 14, 9, 30, tzinfo=dt.UTC)


def test_consensus_reason_names_the_objector_and_the_day() -> None:
    b = ballot(
        Rule.CONSENSUS,
        ("GBR", Stance.SUPPORT, BEFORE),
        ("POL", Stance.OBJECT, MARCH_14),
    )
    outcome = decide(b)
    assert outcome.result is Result.REJECTED
    assert outcome.reason == "rejected: objection by POL on 14 March 2025"


def test_consensus_records_constructive_abstention() -> None:
    b = ballot(
        Rule.CONSENSUS,
        ("GBR", Stance.SUPPORT, BEFORE),
        ("ITA", Stance.ABSTAIN, BEFORE),
    )
    outcome = decide(b)
    assert outcome.result is Result.ADOPTED
    assert "constructive abstention by ITA" in outcome.reason


def test_consensus_quorum_and_reservation() -> None:
    assert decide(ballot(Rule.CONSENSUS, quorum=3)).result is Result.LAPSED
    b = ballot(Rule.CONSENSUS, ("ESP", Stance.RESERVE, BEFORE))
    assert decide(b).result is Result.REJECTED
    assert "reservation by ESP" in decide(b).reason


def test_silence_broken_is_recorded_even_if_withdrawn() -> None:
    b = ballot(
        Rule.SILENCE,
        ("FRA", Stance.RESERVE, MARCH_14),
        ("FRA", Stance.SUPPORT, MARCH_14 + dt.timedelta(days=1)),
    )
    outcome = decide(b)
    assert outcome.result is Result.REJECTED
    assert (outcome.silence_broken_by, outcome.silence_broken_at) == ("FRA", MARCH_14)
    assert outcome.reason.startswith("rejected: silence broken by FRA on 14 March 2025")
    assert decide(ballot(Rule.SILENCE)).result is Result.ADOPTED


def test_simple_majority_of_members_voting() -> None:
    b = ballot(
        Rule.SIMPLE_MAJORITY,
        ("DEU", Stance.SUPPORT, BEFORE),
        ("FRA", Stance.SUPPORT, BEFORE),
        ("POL", Stance.OBJECT, BEFORE),
        ("ITA", Stance.ABSTAIN, BEFORE),
    )
    assert decide(b).result is Result.ADOPTED
    tie = ballot(
        Rule.SIMPLE_MAJORITY, ("DEU", Stance.SUPPORT, BEFORE), ("POL", Stance.OBJECT, BEFORE)
    )
    assert decide(tie).result is Result.REJECTED
    assert decide(ballot(Rule.SIMPLE_MAJORITY)).result is Result.LAPSED


def test_only_the_latest_timely_statement_counts() -> None:
    b = ballot(
        Rule.CONSENSUS,
        ("POL", Stance.OBJECT, BEFORE),
        ("POL", Stance.SUPPORT, BEFORE + dt.timedelta(days=1)),
        ("POL", Stance.OBJECT, DEADLINE),  # at the deadline: too late
    )
    assert live_positions(b) == {"POL": Stance.SUPPORT}
    assert decide(b).result is Result.ADOPTED


# --- properties ------------------------------------------------------------------------

CODES = [f"M{i:02d}" for i in range(12)]
STANCES = st.sampled_from(list(Stance))
# Support drawn as often as the three other stances together, so adopted ballots are common.
LEANING_SUPPORT = st.sampled_from([Stance.SUPPORT] * 3 + list(Stance))
MAJORITY_RULES = [Rule.QUALIFIED_MAJORITY, Rule.SIMPLE_MAJORITY]


@st.composite
def ballots(draw: st.DrawFn, rules: list[Rule] | None = None) -> Ballot:
    n = draw(st.integers(min_value=1, max_value=len(CODES)))
    voters = tuple(
        Voter(code, draw(st.integers(min_value=1, max_value=90_000_000))) for code in CODES[:n]
    )
    offsets = st.integers(min_value=-30 * 24 * 60, max_value=-1)  # minutes before the deadline
    statements = draw(
        st.lists(
            st.tuples(st.sampled_from(CODES[:n]), LEANING_SUPPORT, offsets),
            max_size=30,
        )
    )
    rule = draw(st.sampled_from(rules or list(Rule)))
    thresholds = draw(
        st.sampled_from([Thresholds(), REINFORCED, Thresholds(50, 50, 2), Thresholds(60, 0, 0)])
    )
    return Ballot(
        rule,
        voters,
        tuple(
            Statement(m, s, DEADLINE + dt.timedelta(minutes=o), i)
            for i, (m, s, o) in enumerate(statements)
        ),
        DEADLINE,
        quorum=draw(st.integers(min_value=0, max_value=3)),
        thresholds=thresholds,
    )


def with_statement(b: Ballot, member: str, stance: Stance, at: dt.datetime) -> Ballot:
    seq = max((s.seq for s in b.statements), default=0) + 1
    return Ballot(
        b.rule,
        b.voters,
        (*b.statements, Statement(member, stance, at, seq)),
        b.deadline,
        b.quorum,
        b.thresholds,
    )


@settings(max_examples=300)
@given(ballots(MAJORITY_RULES), st.data())
def test_adding_support_never_turns_adopted_into_rejected(b: Ballot, data: st.DataObject) -> None:
    before = decide(b).result
    member = data.draw(st.sampled_from([v.code for v in b.voters]))
    latest = max((s.at for s in b.statements), default=BEFORE)
    at = min(latest + dt.timedelta(seconds=1), DEADLINE - dt.timedelta(microseconds=1))
    after = decide(with_statement(b, member, Stance.SUPPORT, at)).result
    assert before is not Result.ADOPTED or after is Result.ADOPTED


@settings(max_examples=300)
@given(ballots([Rule.CONSENSUS]), st.data())
def test_one_objection_always_blocks_consensus(b: Ballot, data: st.DataObject) -> None:
    member = data.draw(st.sampled_from([v.code for v in b.voters]))
    latest = max((s.at for s in b.statements), default=BEFORE)
    at = min(latest + dt.timedelta(seconds=1), DEADLINE - dt.timedelta(microseconds=1))
    outcome = decide(with_statement(b, member, Stance.OBJECT, at))
    assert outcome.result is Result.REJECTED
    assert member in outcome.reason


@settings(max_examples=300)
@given(ballots(), st.sampled_from(CODES), STANCES, st.integers(min_value=0, max_value=10_000))
def test_statements_at_or_after_the_deadline_do_not_count(
    b: Ballot, member: str, stance: Stance, late_minutes: int
) -> None:
    late = with_statement(b, member, stance, DEADLINE + dt.timedelta(minutes=late_minutes))
    assert decide(late) == decide(b)


@settings(max_examples=300)
@given(ballots([Rule.SILENCE]), st.sampled_from(CODES), st.integers(min_value=0, max_value=99))
def test_silence_broken_after_the_deadline_does_not_count(
    b: Ballot, member: str, late_minutes: int
) -> None:
    late = with_statement(b, member, Stance.OBJECT, DEADLINE + dt.timedelta(minutes=late_minutes))
    assert decide(late).silence_broken_by == decide(b).silence_broken_by
    assert decide(late).result is decide(b).result


@settings(max_examples=300)
@given(ballots(), st.randoms(use_true_random=False))
def test_the_outcome_does_not_depend_on_arrival_order(b: Ballot, rnd: random.Random) -> None:
    shuffled = list(b.statements)
    rnd.shuffle(shuffled)
    other = Ballot(b.rule, b.voters, tuple(shuffled), b.deadline, b.quorum, b.thresholds)
    assert decide(other) == decide(b)


@pytest.mark.parametrize("rule", list(Rule))
def test_every_rule_gives_a_reason_starting_with_its_result(rule: Rule) -> None:
    outcome = decide(ballot(rule, ("GBR", Stance.SUPPORT, BEFORE)))
    assert outcome.reason.startswith(outcome.result.value + ":") or outcome.reason.startswith(
        outcome.result.value + " by"
    )
