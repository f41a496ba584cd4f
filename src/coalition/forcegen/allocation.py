"""What the force-generation model reads and returns. Pure.

Requirements, offers and scenarios go in; allocations, fills and solutions come out. The
scenario's filters (members, offer statuses, approval, phase) and the checks on bad input
live here too, so the model, the greedy allocation and the tests share one reading.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from coalition.core.errors import Invalid

IntArray = npt.NDArray[np.int64]


class OfferStatus(StrEnum):
    INDICATED = "indicated"
    OFFERED = "offered"
    CONFIRMED = "confirmed"
    WITHDRAWN = "withdrawn"


# A withdrawn offer never counts, whatever a scenario says.
COUNTABLE = frozenset({OfferStatus.INDICATED, OfferStatus.OFFERED, OfferStatus.CONFIRMED})

MAX_PRIORITY = 5


def priority_weight(priority: int) -> int:
    """The score of filling a requirement completely: 5 for priority 1, 1 for priority 5."""
    return MAX_PRIORITY + 1 - priority


@dataclass(frozen=True)
class Requirement:
    """One line of the statement of requirements."""

    id: int
    capability: str
    quantity: int
    phase: str
    region: str
    task: str
    start: dt.date
    end: dt.date
    priority: int = 3
    enablers: frozenset[str] = frozenset()  # backstop enablers the line relies on


@dataclass(frozen=True)
class Offer:
    """A member's offer of a capability, with its caveats."""

    id: int
    member: str
    capability: str
    quantity: int
    start: dt.date
    end: dt.date
    status: OfferStatus = OfferStatus.OFFERED
    excluded_regions: frozenset[str] = frozenset()
    excluded_tasks: frozenset[str] = frozenset()
    needs_enablers: frozenset[str] = frozenset()  # what the offer needs from the backstop
    approval_pending: bool = False


@dataclass(frozen=True)
class Scenario:
    """Which members take part, with or without the backstop, which offers count."""

    backstop: bool = True
    members: frozenset[str] | None = None  # None: every member
    statuses: frozenset[OfferStatus] = frozenset({OfferStatus.OFFERED, OfferStatus.CONFIRMED})
    phase: str | None = None  # None: every phase
    count_pending_approval: bool = True


@dataclass(frozen=True)
class Allocation:
    requirement_id: int
    offer_id: int
    member: str
    quantity: int


@dataclass(frozen=True)
class Fill:
    requirement_id: int
    capability: str
    phase: str
    required: int
    filled: int

    @property
    def missing(self) -> int:
        return self.required - self.filled


@dataclass(frozen=True)
class Solution:
    """One solve: ``status`` is ``optimal`` (proven) or ``time_limit`` (best found, with gap)."""

    status: str
    objective: float
    bound: float
    gap: float
    allocations: tuple[Allocation, ...]
    fills: tuple[Fill, ...]
    variables: int
    constraints: int
    build_s: float  # reading the inputs, applying the caveats, assembling the matrix
    solve_s: float  # HiGHS alone
    start_s: float = 0.0  # the greedy starting plan handed to HiGHS


@dataclass(frozen=True)
class Dependency:
    """A requirement filled only because the backstop is assumed (``units`` of it)."""

    requirement_id: int
    capability: str
    phase: str
    with_backstop: int
    without_backstop: int

    @property
    def units(self) -> int:
        return self.with_backstop - self.without_backstop


@dataclass(frozen=True)
class Plan:
    """The scenario's plan, solved with and without the backstop."""

    with_backstop: Solution
    without_backstop: Solution
    backstop: bool  # which of the two the scenario assumes
    dependencies: tuple[Dependency, ...] = field(default=())

    @property
    def headline(self) -> Solution:
        return self.with_backstop if self.backstop else self.without_backstop


def check_inputs(requirements: Sequence[Requirement], offers: Sequence[Offer]) -> None:
    """Refuse quantities, windows and priorities no plan can be built on."""
    for r in requirements:
        if r.quantity < 1:
            raise Invalid(f"requirement {r.id}: the quantity must be at least 1")
        if r.end < r.start:
            raise Invalid(f"requirement {r.id}: the window ends before it starts")
        if not 1 <= r.priority <= MAX_PRIORITY:
            raise Invalid(f"requirement {r.id}: the priority runs from 1 to {MAX_PRIORITY}")
    for o in offers:
        if o.quantity < 0:
            raise Invalid(f"offer {o.id}: the quantity may not be negative")
        if o.end < o.start:
            raise Invalid(f"offer {o.id}: the window ends before it starts")


def counted_offers(offers: Sequence[Offer], scenario: Scenario) -> list[Offer]:
    """The offers the scenario counts: member taking part, status counted, approval allowed."""
    statuses = scenario.statuses & COUNTABLE
    return [
        o
        for o in offers
        if o.status in statuses
        and o.quantity > 0
        and (scenario.members is None or o.member in scenario.members)
        and (scenario.count_pending_approval or not o.approval_pending)
    ]


def counted_requirements(
    requirements: Sequence[Requirement], scenario: Scenario
) -> list[Requirement]:
    """The requirement lines of the scenario's phase (all lines when it names none)."""
    return [r for r in requirements if scenario.phase is None or r.phase == scenario.phase]


def fill_score(requirements: Sequence[Requirement], fills: Sequence[Fill]) -> float:
    """Priority-weighted fill of ``fills``: the objective, recomputed from the result."""
    weight = {r.id: priority_weight(r.priority) / r.quantity for r in requirements}
    return sum(weight[f.requirement_id] * f.filled for f in fills)
