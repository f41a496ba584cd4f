"""Why a line of a plan has a gap: each offer of its capability that stayed out, and why. Pure.

For every line the plan leaves short, :func:`kept_out` lists the offers of the line's
capability that gave it nothing (or less than they had), each with its reasons in plain
words: the scenario does not count it (status, member, pending approval), the pair is
incompatible (window, regional or task caveat, a backstop enabler the plan does not assume;
see :mod:`compatibility`), or its units fill other lines. An offer has no reason of the
first two kinds exactly when it is counted and compatible (a property test states it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from coalition.forcegen.allocation import Offer, OfferStatus, Requirement, Scenario, Solution
from coalition.forcegen.compatibility import Reason, Why, incompatibilities, uncounted
from coalition.forcegen.taxonomy import capability_names, region_name, task_name

USED_ELSEWHERE = "used_elsewhere"
LEFT_OVER = "left_over"


@dataclass(frozen=True)
class Exclusion:
    """One reason in words; ``code`` is a :class:`Why` value, ``used_elsewhere`` or
    ``left_over``."""

    code: str
    text: str


@dataclass(frozen=True)
class KeptOut:
    """An offer of a short line's capability that gave the line less than it had."""

    offer_id: int
    member: str
    capability: str
    quantity: int
    allocated_here: int
    reasons: tuple[Exclusion, ...]


def reasons_out(r: Requirement, o: Offer, scenario: Scenario) -> tuple[Reason, ...]:
    """Why the scenario may not give offer ``o`` to line ``r``: empty exactly when the
    scenario counts the offer and the pair is compatible (with the scenario's backstop)."""
    return uncounted(o, scenario) + incompatibilities(r, o, scenario.backstop)


def _statuses(scenario: Scenario) -> str:
    counted = [s.value for s in OfferStatus if s in scenario.statuses]
    counted = [s for s in counted if s != OfferStatus.WITHDRAWN.value]
    return " and ".join(counted) if counted else "none"


def words(reason: Reason, r: Requirement, o: Offer, scenario: Scenario) -> str:
    """A reason as a planner reads it."""
    match reason.why:
        case Why.CAPABILITY:
            return f"offers {capability_names(reason.codes)}, not what the line needs"
        case Why.WINDOW:
            return (
                f"available {o.start.isoformat()} to {o.end.isoformat()}, outside the line's "
                f"window {r.start.isoformat()} to {r.end.isoformat()}"
            )
        case Why.REGION:
            return f"a caveat: it may not go to {region_name(reason.codes[0])}"
        case Why.TASK:
            return f"a caveat: it may not be used for {task_name(reason.codes[0])}"
        case Why.LINE_NEEDS_BACKSTOP:
            return (
                f"the line relies on {capability_names(reason.codes)} from the backstop, "
                "which this plan does not assume"
            )
        case Why.OFFER_NEEDS_BACKSTOP:
            return (
                f"it needs {capability_names(reason.codes)} from the backstop, "
                "which this plan does not assume"
            )
        case Why.WITHDRAWN:
            return "withdrawn: a withdrawn offer never counts"
        case Why.STATUS:
            return f"only {reason.codes[0]}: this scenario counts {_statuses(scenario)} offers"
        case Why.MEMBER:
            return f"{reason.codes[0]} does not take part in this scenario"
        case Why.APPROVAL:
            return (
                "national approval is still pending, and this scenario counts approved offers only"
            )
        case Why.NO_UNITS:
            return "it offers no units"


def _units(n: int) -> str:
    return f"{n} unit" if n == 1 else f"{n} units"


def kept_out(
    requirements: Sequence[Requirement],
    offers: Sequence[Offer],
    scenario: Scenario,
    solution: Solution,
    labels: Mapping[int, str],
) -> dict[int, tuple[KeptOut, ...]]:
    """For each line ``solution`` leaves short, the offers of its capability kept out.

    ``offers`` are those the plan may name, counted by the scenario or not; ``solution`` is
    the plan's headline solve (the scenario's backstop); ``labels`` name the lines.
    """
    short = {f.requirement_id for f in solution.fills if f.filled < f.required}
    given: dict[tuple[int, int], int] = defaultdict(int)
    by_offer: dict[int, dict[int, int]] = defaultdict(dict)
    for a in solution.allocations:
        given[a.requirement_id, a.offer_id] += a.quantity
        by_offer[a.offer_id][a.requirement_id] = a.quantity
    ordered = sorted(offers, key=lambda o: (o.member, o.id))
    out: dict[int, tuple[KeptOut, ...]] = {}
    for r in requirements:
        if r.id not in short:
            continue
        rows: list[KeptOut] = []
        for o in ordered:
            if o.capability != r.capability:
                continue
            here = given.get((r.id, o.id), 0)
            if here and here >= o.quantity:
                continue
            reasons = [
                Exclusion(reason.why.value, words(reason, r, o, scenario))
                for reason in reasons_out(r, o, scenario)
            ]
            if not reasons:
                reasons = _spent(r, o, here, by_offer[o.id], solution, labels)
            rows.append(KeptOut(o.id, o.member, o.capability, o.quantity, here, tuple(reasons)))
        out[r.id] = tuple(rows)
    return out


def _spent(
    r: Requirement,
    o: Offer,
    here: int,
    elsewhere: Mapping[int, int],
    solution: Solution,
    labels: Mapping[int, str],
) -> list[Exclusion]:
    """Why a counted, compatible offer gave a short line no more: its units went elsewhere."""
    others = {rid: n for rid, n in elsewhere.items() if rid != r.id}
    out: list[Exclusion] = []
    if others:
        used = sum(others.values())
        lines = "; ".join(
            f"{labels.get(rid, f'line {rid}')} ({n})" for rid, n in sorted(others.items())
        )
        lead = (
            "all its units went"
            if used == o.quantity
            else f"{used} of its {_units(o.quantity)} went"
        )
        out.append(Exclusion(USED_ELSEWHERE, f"{lead} to other lines: {lines}"))
    left = o.quantity - here - sum(others.values())
    if left > 0:
        why = (
            ": the solver stopped at its time limit before using them"
            if solution.status == "time_limit"
            else ""
        )
        out.append(Exclusion(LEFT_OVER, f"{_units(left)} left unallocated{why}"))
    return out
