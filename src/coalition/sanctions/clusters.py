"""Judgements that two listings name the same target, and the clusters they make. Pure.

A :class:`Decision` says of two refs (``list_code:entity_id``) that they are the same
target, different targets, or that its author could not tell, and who said so: a person
(their username) or a rule (``rule:<name>``). The :class:`Resolver` holds the live
decisions, at most one per pair, and the clusters they make: the refs joined by chains of
"same" judgements. It is in memory and knows no table: the database layer loads the live
decisions into it and persists what each call returns (:class:`Outcome`: the decision
recorded and the one it removed), so decisions stay append-only rows.

The rules, as nomenklatura's resolver keeps them:

- "same" joins two clusters unless some pair across them was judged different; it is
  then refused, naming that pair and who judged it.
- "different" between two refs already in one cluster is refused: the "same" judgements
  that joined them must be revisited first (:meth:`Resolver.revisit` removes one and
  derives the clusters again from the rest).
- "unsure" records that someone looked; it joins and separates nothing.
- A pair's "same" or "different" is changed only by revisiting it; an "unsure" may be
  replaced by a firmer judgement. A rule never replaces, nor revisits, what a person said
  of a pair; a person saying what a rule said takes the judgement over.

So the live decisions never contradict one another (no "different" inside a cluster), and
decisions that do not contradict one another give the same clusters in any order.

A cluster's canonical id is ``NK-`` and the first 16 hex digits of the SHA-256 of its
smallest ref (:func:`canonical_id`): a function of its members only, never of the order of
decisions. It changes when a smaller ref joins, or the smallest leaves; the database layer
re-maps what it stored under the old id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from coalition.sanctions.matching import Candidate

RULE_PREFIX = "rule:"
CANONICAL_PREFIX = "NK-"
_DIGEST_CHARS = 16  # 64 bits: no collision in any number of refs a coalition lists


class Judgement(StrEnum):
    """What a decision says of two refs (nomenklatura's words, stored as they are)."""

    SAME = "positive"
    DIFFERENT = "negative"
    UNSURE = "unsure"


@dataclass(frozen=True, slots=True)
class Decision:
    """One judgement of one pair, by a person (username) or a rule (``rule:<name>``)."""

    left_ref: str
    right_ref: str
    judgement: Judgement
    by: str
    at: dt.datetime

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("a decision's time is timezone-aware (UTC)")
        if not self.by:
            raise ValueError("a decision names who made it")

    @property
    def pair(self) -> tuple[str, str]:
        """The two refs, smallest first: a pair's key whichever way it was given."""
        return _pair(self.left_ref, self.right_ref)

    @property
    def by_rule(self) -> bool:
        """Whether a rule, not a person, made this decision."""
        return self.by.startswith(RULE_PREFIX)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a call did: accepted or refused (with the reason), the decision it recorded
    and the one it removed (either may be None: an accepted call may change nothing)."""

    accepted: bool
    reason: str = ""
    recorded: Decision | None = None
    removed: Decision | None = None


def canonical_id(ref: str) -> str:
    """The canonical id of a cluster whose smallest ref is ``ref``."""
    digest = hashlib.sha256(ref.encode("utf-8")).hexdigest()
    return CANONICAL_PREFIX + digest[:_DIGEST_CHARS]


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _refused(reason: str) -> Outcome:
    return Outcome(False, reason)


class Resolver:
    """The live decisions and the clusters they make, in memory.

    A cluster is held as a set of members under a root ref; merging moves the smaller set
    into the larger, so n refs joined one by one cost O(n log n). Revisiting a "same"
    derives the clusters of its old members again from the "same" judgements among them.
    """

    def __init__(self, decisions: Iterable[Decision] = ()) -> None:
        self._decisions: dict[tuple[str, str], Decision] = {}
        self._neighbours: dict[str, set[str]] = {}  # refs each ref has a live decision with
        self._root: dict[str, str] = {}  # ref -> the root of its cluster (refs in a cluster)
        self._members: dict[str, set[str]] = {}  # root -> members, for clusters of two or more
        for decision in decisions:
            self.decide(decision)

    # Reading ---------------------------------------------------------------------------

    def decisions(self) -> Iterator[Decision]:
        """The live decisions, one per pair."""
        return iter(list(self._decisions.values()))

    def cluster(self, ref: str) -> frozenset[str]:
        """The refs judged the same target as ``ref`` (``ref`` alone if none)."""
        root = self._root.get(ref)
        return frozenset(self._members[root]) if root is not None else frozenset((ref,))

    def canonical(self, ref: str) -> str:
        """The canonical id of ``ref``'s cluster (see :func:`canonical_id`)."""
        return canonical_id(min(self.cluster(ref)))

    def clusters(self) -> Iterator[frozenset[str]]:
        """Every cluster of two refs or more."""
        for members in list(self._members.values()):
            yield frozenset(members)

    def judgement(self, a: str, b: str) -> Judgement | None:
        """The effective judgement between two refs: SAME in one cluster, DIFFERENT when a
        "different" separates their clusters, UNSURE when someone was unsure of a pair
        across them, None when nobody judged."""
        if a == b or self._same(a, b):
            return Judgement.SAME
        found = self._across(a, b)
        if found is None:
            return None
        return Judgement.DIFFERENT if found.judgement is Judgement.DIFFERENT else Judgement.UNSURE

    # Deciding --------------------------------------------------------------------------

    def decide(self, decision: Decision) -> Outcome:
        """Apply one decision under the rules in the module's docstring."""
        left, right = decision.pair
        if left == right:
            return _refused(f"{left} is the same as itself: a judgement needs two refs")
        existing = self._decisions.get((left, right))
        if existing is not None:
            if existing.judgement is decision.judgement:
                if decision.by_rule or not existing.by_rule:
                    said = _word(existing.judgement)
                    return Outcome(True, f"already judged {said} by {existing.by}")
                return self._record(decision, replacing=existing)
            if existing.by_rule is False and decision.by_rule:
                return _refused(
                    f"{existing.by} judged {left} and {right} {_word(existing.judgement)}: "
                    "a rule never overrides a person"
                )
            if existing.judgement is not Judgement.UNSURE:
                return _refused(
                    f"{left} and {right} were judged {_word(existing.judgement)} by "
                    f"{existing.by}: revisit that judgement first"
                )
        if decision.judgement is Judgement.SAME and not self._same(left, right):
            separating = self._across(left, right, Judgement.DIFFERENT)
            if separating is not None:
                a, b = separating.pair
                return _refused(
                    f"{a} and {b} were judged different by {separating.by}: "
                    f"{left} and {right} cannot be joined"
                )
            self._join(left, right)
        if decision.judgement is Judgement.DIFFERENT and self._same(left, right):
            return _refused(
                f"{left} and {right} are one target through other judgements: revisit those first"
            )
        return self._record(decision, replacing=existing)

    def revisit(self, left: str, right: str, by: str, at: dt.datetime) -> Outcome:
        """Remove the live judgement of a pair (``by`` at ``at`` is who undoes it) and
        derive the clusters again from the judgements that remain."""
        if at.tzinfo is None:
            raise ValueError("a revisit's time is timezone-aware (UTC)")
        pair = _pair(left, right)
        existing = self._decisions.get(pair)
        if existing is None:
            return _refused(f"nobody judged {pair[0]} and {pair[1]}: nothing to revisit")
        if by.startswith(RULE_PREFIX) and not existing.by_rule:
            return _refused(f"{existing.by} made this judgement: a rule never revisits a person")
        self._forget(existing)
        if existing.judgement is Judgement.SAME:
            self._split(pair[0])
        return Outcome(True, f"{existing.by}'s judgement removed by {by}", removed=existing)

    # Internals -------------------------------------------------------------------------

    def _same(self, a: str, b: str) -> bool:
        root = self._root.get(a)
        return root is not None and root == self._root.get(b)

    def _across(self, a: str, b: str, only: Judgement | None = None) -> Decision | None:
        """A live decision (``only`` of that judgement, else any but SAME; DIFFERENT first)
        between a member of ``a``'s cluster and one of ``b``'s: the smallest such pair."""
        mine, theirs = self.cluster(a), self.cluster(b)
        if len(mine) > len(theirs):
            mine, theirs = theirs, mine
        found: list[Decision] = []
        for ref in mine:
            for other in self._neighbours.get(ref, ()):
                if other in theirs:
                    decision = self._decisions[_pair(ref, other)]
                    if decision.judgement is not Judgement.SAME and (
                        only is None or decision.judgement is only
                    ):
                        found.append(decision)
        if not found:
            return None
        return min(found, key=lambda d: (d.judgement is not Judgement.DIFFERENT, d.pair))

    def _record(self, decision: Decision, replacing: Decision | None) -> Outcome:
        if replacing is not None:
            self._forget(replacing)
        left, right = decision.pair
        self._decisions[(left, right)] = decision
        self._neighbours.setdefault(left, set()).add(right)
        self._neighbours.setdefault(right, set()).add(left)
        return Outcome(True, recorded=decision, removed=replacing)

    def _forget(self, decision: Decision) -> None:
        left, right = decision.pair
        del self._decisions[(left, right)]
        for a, b in ((left, right), (right, left)):
            neighbours = self._neighbours[a]
            neighbours.discard(b)
            if not neighbours:
                del self._neighbours[a]

    def _join(self, a: str, b: str) -> None:
        root_a = self._root.get(a)
        root_b = self._root.get(b)
        members_a = self._members[root_a] if root_a is not None else {a}
        members_b = self._members[root_b] if root_b is not None else {b}
        if len(members_a) < len(members_b):
            a, b, root_a, root_b, members_a, members_b = b, a, root_b, root_a, members_b, members_a
        if root_a is None:
            root_a = a
            self._members[root_a] = members_a
            self._root[a] = root_a
        if root_b is not None:
            del self._members[root_b]
        members_a.update(members_b)
        for ref in members_b:
            self._root[ref] = root_a

    def _split(self, ref: str) -> None:
        """Derive ``ref``'s old cluster again from the "same" judgements among its members."""
        root = self._root.get(ref)
        if root is None:
            return
        old = self._members.pop(root)
        for member in old:
            del self._root[member]
        unplaced = set(old)
        while unplaced:
            start = min(unplaced)
            component = {start}
            frontier = [start]
            while frontier:
                current = frontier.pop()
                for other in self._neighbours.get(current, ()):
                    if other in component:
                        continue
                    if self._decisions[_pair(current, other)].judgement is Judgement.SAME:
                        component.add(other)
                        frontier.append(other)
            unplaced -= component
            if len(component) > 1:
                self._members[start] = component
                for member in component:
                    self._root[member] = start


def _word(judgement: Judgement) -> str:
    return {Judgement.SAME: "the same", Judgement.DIFFERENT: "different"}.get(judgement, "unsure")


def auto_decisions(
    candidates: Iterable[Candidate], by: str = "rule:strong-id", at: dt.datetime | None = None
) -> list[Decision]:
    """A "same" decision by the rule ``by`` for each candidate found by a strong
    identifier (rule ``strong:*``). A candidate found by its names alone is left for a
    person: names are never enough to merge without one."""
    if not by.startswith(RULE_PREFIX):
        raise ValueError(f"automatic decisions are made by a rule ({RULE_PREFIX}<name>)")
    when = at if at is not None else dt.datetime.now(dt.UTC)
    return [
        Decision(c.left_ref, c.right_ref, Judgement.SAME, by, when)
        for c in candidates
        if c.rule.startswith("strong:")
    ]
