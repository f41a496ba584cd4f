"""The decision rules: pure functions from members' positions to an outcome and its reasons.

Every rule reads a :class:`Ballot` (who takes part, every position statement ever made,
the deadline, the rule's thresholds) and returns an :class:`Outcome` whose ``reason`` is
one sentence a reader can check, e.g. ``"rejected: objection by POL on 14 March 2025"``.

A member's *live* position is its latest statement made before the deadline; statements
at or after the deadline never count, and the order statements are given in never matters
(they are ordered by time, then by their sequence number). Nothing here touches a
database or the web.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction


class Rule(enum.StrEnum):
    CONSENSUS = "consensus"
    SILENCE = "silence"
    QUALIFIED_MAJORITY = "qualified_majority"
    SIMPLE_MAJORITY = "simple_majority"

    @property
    def label(self) -> str:
        return {
            Rule.CONSENSUS: "consensus",
            Rule.SILENCE: "silence procedure",
            Rule.QUALIFIED_MAJORITY: "qualified majority",
            Rule.SIMPLE_MAJORITY: "simple majority",
        }[self]


class Stance(enum.StrEnum):
    SUPPORT = "support"
    ABSTAIN = "abstain"  # constructive abstention: does not block, is recorded
    OBJECT = "object"
    RESERVE = "reserve"  # a reservation, with text and the condition for lifting it

    @property
    def label(self) -> str:
        return {
            Stance.SUPPORT: "support",
            Stance.ABSTAIN: "constructive abstention",
            Stance.OBJECT: "objection",
            Stance.RESERVE: "reservation",
        }[self]


class Result(enum.StrEnum):
    ADOPTED = "adopted"
    REJECTED = "rejected"
    LAPSED = "lapsed"


@dataclass(frozen=True)
class Voter:
    """A member taking part in the decision, with the population its vote weighs.

    ``basis`` says where the population comes from (e.g. ``Council Annex III 2025``); a
    qualified-majority reason names every basis used, so a fallback is never silent.
    """

    code: str
    population: int = 0
    basis: str = ""


@dataclass(frozen=True)
class Statement:
    """One position as stated: who, what, when; ``seq`` orders statements made at one instant."""

    member: str
    stance: Stance
    at: dt.datetime
    seq: int = 0


@dataclass(frozen=True)
class Thresholds:
    """A qualified majority: shares of members and of population, and the blocking minority.

    The defaults are the EU Council's rule (Article 16(4) TEU): 55% of the members taking
    part, representing 65% of their population; fewer than ``blocking_members`` members
    against means the majority is deemed reached. ``blocking_members=0`` switches the
    blocking-minority clause off, as for the reinforced majority (Article 238(2) TFEU).
    """

    members_pct: int = 55
    population_pct: int = 65
    blocking_members: int = 4


REINFORCED = Thresholds(members_pct=72, population_pct=65, blocking_members=0)


@dataclass(frozen=True)
class Ballot:
    rule: Rule
    voters: tuple[Voter, ...]
    statements: tuple[Statement, ...]
    deadline: dt.datetime
    quorum: int = 0  # positions that must be stated for the decision to be taken at all
    thresholds: Thresholds = field(default_factory=Thresholds)


@dataclass(frozen=True)
class Outcome:
    result: Result
    reason: str
    positions: Mapping[str, Stance]  # live position of each voter that stated one
    silence_broken_by: str | None = None
    silence_broken_at: dt.datetime | None = None

    def count(self, stance: Stance) -> int:
        return sum(1 for s in self.positions.values() if s is stance)


def day(at: dt.datetime) -> str:
    """A date as the reasons print it: ``14 March 2025`` (UTC)."""
    at = at.astimezone(dt.UTC)
    return f"{at.day} {at:%B %Y}"


def _ordered(statements: Iterable[Statement]) -> list[Statement]:
    return sorted(statements, key=lambda s: (s.at, s.seq, s.member, s.stance.value))


def timely(ballot: Ballot) -> list[Statement]:
    """The statements that count: by voters, before the deadline, oldest first."""
    codes = {v.code for v in ballot.voters}
    return [s for s in _ordered(ballot.statements) if s.member in codes and s.at < ballot.deadline]


def live_statements(ballot: Ballot) -> dict[str, Statement]:
    """Each voter's last timely statement."""
    live: dict[str, Statement] = {}
    for statement in timely(ballot):
        live[statement.member] = statement
    return live


def live_positions(ballot: Ballot) -> dict[str, Stance]:
    """Each voter's live position (voters who stated none are absent)."""
    return {code: s.stance for code, s in sorted(live_statements(ballot).items())}


def _by(stance: Stance, live: Mapping[str, Statement]) -> list[Statement]:
    return sorted(
        (s for s in live.values() if s.stance is stance), key=lambda s: (s.at, s.seq, s.member)
    )


def _names(statements: list[Statement], noun: str, plural: str) -> str:
    if len(statements) == 1:
        s = statements[0]
        return f"{noun} by {s.member} on {day(s.at)}"
    return f"{plural} by " + ", ".join(f"{s.member} on {day(s.at)}" for s in statements)


def _codes(statements: list[Statement]) -> str:
    return ", ".join(s.member for s in sorted(statements, key=lambda s: s.member))


def _quorum_lapse(ballot: Ballot, positions: Mapping[str, Stance]) -> Outcome | None:
    if ballot.quorum and len(positions) < ballot.quorum:
        return Outcome(
            Result.LAPSED,
            f"lapsed: {len(positions)} of the {ballot.quorum} positions required were stated",
            positions,
        )
    return None


def consensus(ballot: Ballot) -> Outcome:
    """Adopted when nobody objects and no reservation stands; abstention is recorded.

    Any objection blocks. A reservation not lifted by the deadline blocks as well: the
    member said it cannot yet agree. A quorum of stated positions may be required.
    """
    live = live_statements(ballot)
    positions = live_positions(ballot)
    objections = _by(Stance.OBJECT, live)
    if objections:
        return Outcome(
            Result.REJECTED, "rejected: " + _names(objections, "objection", "objections"), positions
        )
    reservations = _by(Stance.RESERVE, live)
    if reservations:
        return Outcome(
            Result.REJECTED,
            "rejected: "
            + _names(reservations, "reservation", "reservations")
            + " not lifted by the deadline",
            positions,
        )
    lapse = _quorum_lapse(ballot, positions)
    if lapse is not None:
        return lapse
    abstentions = _by(Stance.ABSTAIN, live)
    reason = f"adopted by consensus: no objection, {len(_by(Stance.SUPPORT, live))} in support"
    if abstentions:
        reason += f"; constructive abstention by {_codes(abstentions)}"
    return Outcome(Result.ADOPTED, reason, positions)


def silence_breaker(ballot: Ballot) -> Statement | None:
    """The first timely objection or reservation: who broke silence, and when."""
    for statement in timely(ballot):
        if statement.stance in (Stance.OBJECT, Stance.RESERVE):
            return statement
    return None


def silence(ballot: Ballot) -> Outcome:
    """Adopted at the deadline unless a member broke silence before it.

    Silence is broken by an objection or a reservation; once broken it stays broken, even
    if the member later changes its position. Support and abstention keep silence.
    """
    positions = live_positions(ballot)
    breaker = silence_breaker(ballot)
    if breaker is not None:
        return Outcome(
            Result.REJECTED,
            f"rejected: silence broken by {breaker.member} on {day(breaker.at)} "
            f"({breaker.stance.label})",
            positions,
            silence_broken_by=breaker.member,
            silence_broken_at=breaker.at,
        )
    return Outcome(
        Result.ADOPTED, f"adopted: silence not broken by {day(ballot.deadline)}", positions
    )


@dataclass(frozen=True)
class DoubleMajority:
    """The arithmetic of a qualified-majority vote, kept for the reasons and the page."""

    members: int
    in_favour: int
    against: int  # every voter not in favour: objection, abstention, reservation, silence
    population: int
    population_in_favour: int

    @property
    def members_share(self) -> Fraction:
        return Fraction(self.in_favour, self.members) if self.members else Fraction(0)

    @property
    def population_share(self) -> Fraction:
        return (
            Fraction(self.population_in_favour, self.population) if self.population else Fraction(0)
        )


def double_majority(ballot: Ballot) -> DoubleMajority:
    """Count members and population in favour; everyone else counts against."""
    positions = live_positions(ballot)
    in_favour = [v for v in ballot.voters if positions.get(v.code) is Stance.SUPPORT]
    return DoubleMajority(
        members=len(ballot.voters),
        in_favour=len(in_favour),
        against=len(ballot.voters) - len(in_favour),
        population=sum(v.population for v in ballot.voters),
        population_in_favour=sum(v.population for v in in_favour),
    )


def _pct(share: Fraction) -> str:
    return f"{float(share) * 100:.1f}%"


def population_bases(voters: Iterable[Voter]) -> str:
    """Where the populations come from, e.g. ``Council Annex III 2025 for 22 members; the
    register's 2023 figure, not in the Council's table for GBR, NOR``: every basis, its
    members named (counted past twelve); empty when no voter names a basis."""
    groups: dict[str, list[str]] = {}
    for voter in voters:
        if voter.basis:
            groups.setdefault(voter.basis, []).append(voter.code)
    parts = []
    for basis, codes in sorted(groups.items(), key=lambda g: (-len(g[1]), g[0])):
        named = ", ".join(sorted(codes)) if len(codes) <= 12 else f"{len(codes)} members"
        parts.append(f"{basis} for {named}")
    return "; ".join(parts)


def qualified_majority(ballot: Ballot) -> Outcome:
    """The Council's double majority among the members taking part in the vote.

    Adopted when at least ``members_pct`` of the voters, representing at least
    ``population_pct`` of their population, support. Abstention, reservation and silence
    count as votes against. When fewer than ``blocking_members`` members are against, the
    majority is deemed reached even if the population condition fails.
    """
    positions = live_positions(ballot)
    lapse = _quorum_lapse(ballot, positions)
    if lapse is not None:
        return lapse
    t = ballot.thresholds
    dm = double_majority(ballot)
    if dm.members == 0 or dm.population == 0:
        return Outcome(Result.LAPSED, "lapsed: no member with a population takes part", positions)
    members_ok = dm.members_share >= Fraction(t.members_pct, 100)
    population_ok = dm.population_share >= Fraction(t.population_pct, 100)
    tally = (
        f"{dm.in_favour} of {dm.members} members ({_pct(dm.members_share)}) in favour, "
        f"representing {_pct(dm.population_share)} of the population"
    )
    named = population_bases(ballot.voters)
    bases = f" (populations: {named})" if named else ""
    if members_ok and population_ok:
        return Outcome(Result.ADOPTED, f"adopted: {tally}{bases}", positions)
    if members_ok and t.blocking_members and dm.against < t.blocking_members:
        return Outcome(
            Result.ADOPTED,
            f"adopted: {tally}; only {dm.against} against, fewer than the blocking minority "
            f"of {t.blocking_members} members, so the majority is deemed reached{bases}",
            positions,
        )
    missing = []
    if not members_ok:
        missing.append(f"{t.members_pct}% of members")
    if not population_ok:
        missing.append(f"{t.population_pct}% of the population")
    return Outcome(
        Result.REJECTED,
        f"rejected: {tally}; short of {' and '.join(missing)}{bases}",
        positions,
    )


def simple_majority(ballot: Ballot) -> Outcome:
    """More members voting in support than against; abstentions and reservations do not vote."""
    positions = live_positions(ballot)
    lapse = _quorum_lapse(ballot, positions)
    if lapse is not None:
        return lapse
    support = sum(1 for s in positions.values() if s is Stance.SUPPORT)
    against = sum(1 for s in positions.values() if s is Stance.OBJECT)
    if support + against == 0:
        return Outcome(Result.LAPSED, "lapsed: no member voted for or against", positions)
    tally = f"{support} for, {against} against of {support + against} members voting"
    if support > against:
        return Outcome(Result.ADOPTED, f"adopted: {tally}", positions)
    if support == against:
        return Outcome(Result.REJECTED, f"rejected: a tie, {tally}", positions)
    return Outcome(Result.REJECTED, f"rejected: {tally}", positions)


RULES = {
    Rule.CONSENSUS: consensus,
    Rule.SILENCE: silence,
    Rule.QUALIFIED_MAJORITY: qualified_majority,
    Rule.SIMPLE_MAJORITY: simple_majority,
}


def decide(ballot: Ballot) -> Outcome:
    """The outcome of ``ballot`` under its rule."""
    return RULES[ballot.rule](ballot)
