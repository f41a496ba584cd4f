"""The force-generation model: allocate national offers to the statement of requirements.

Pure: dataclasses in, dataclasses out, no database or web code. The model is a mixed-integer
programme solved by HiGHS:

- one integer variable ``x[r, o]`` (units of offer ``o`` given to requirement ``r``) for each
  *compatible* pair only: same capability, windows overlapping, the requirement's region and
  task not excluded by the offer's caveats, and, when the scenario has no backstop, neither
  side needing a backstop enabler;
- each requirement takes at most its quantity, each offer gives at most its quantity;
- the objective is priority-weighted fill: filling requirement ``r`` completely scores its
  priority weight (5 for priority 1 down to 1 for priority 5), a part fill scores that share.

A unit allocated is committed for the whole plan: rotations between phases are not modelled,
so a scenario spanning several phases is conservative. Scenario filters (members, offer
statuses, approval, phase) remove rows before the model is built.

:func:`compatible_pairs` is vectorised (grouped by capability); :func:`is_compatible` is the
same rule for one pair, written plainly, and the property tests hold the two together.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import highspy
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


def is_compatible(r: Requirement, o: Offer, backstop: bool) -> bool:
    """Whether offer ``o`` may fill requirement ``r``: the rule for one pair, plainly."""
    if r.capability != o.capability:
        return False
    if o.start > r.end or r.start > o.end:
        return False
    if r.region in o.excluded_regions or r.task in o.excluded_tasks:
        return False
    return backstop or not (r.enablers or o.needs_enablers)


def _excluded(
    pairs_o: IntArray,
    pairs_value: IntArray,
    offers: Sequence[Offer],
    attr: str,
    codes: dict[str, int],
) -> npt.NDArray[np.bool_]:
    """For each candidate pair, whether the offer's caveat ``attr`` excludes the value."""
    lens = [len(getattr(o, attr)) for o in offers]
    value = np.fromiter(
        (codes.get(item, -1) for o in offers for item in getattr(o, attr)),
        dtype=np.int64,
        count=sum(lens),
    )
    owner = np.repeat(np.arange(len(offers), dtype=np.int64), lens)
    named = value >= 0  # a caveat naming no requirement's value excludes nothing
    if not named.any():
        return np.zeros(len(pairs_o), dtype=bool)
    width = len(codes)
    banned = np.unique(owner[named] * width + value[named])
    return np.isin(pairs_o * width + pairs_value, banned, assume_unique=False)


def compatible_pairs(
    requirements: Sequence[Requirement], offers: Sequence[Offer], backstop: bool
) -> tuple[IntArray, IntArray]:
    """Indices ``(r, o)`` of every compatible pair, computed by capability in bulk."""
    if not requirements or not offers:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    caps: dict[str, int] = {}
    regions: dict[str, int] = {}
    tasks: dict[str, int] = {}
    # One pass over each side reads every field the rule needs into one integer table.
    r_table = np.array(
        [
            (
                caps.setdefault(r.capability, len(caps)),
                r.start.toordinal(),
                r.end.toordinal(),
                bool(r.enablers),
                regions.setdefault(r.region, len(regions)),
                tasks.setdefault(r.task, len(tasks)),
            )
            for r in requirements
        ],
        dtype=np.int64,
    )
    o_table = np.array(
        [
            (
                caps.setdefault(o.capability, len(caps)),
                o.start.toordinal(),
                o.end.toordinal(),
                bool(o.needs_enablers),
            )
            for o in offers
        ],
        dtype=np.int64,
    )
    r_cap, r_start, r_end = r_table[:, 0], r_table[:, 1], r_table[:, 2]
    r_needs, r_region, r_task = r_table[:, 3].astype(bool), r_table[:, 4], r_table[:, 5]
    o_cap, o_start, o_end = o_table[:, 0], o_table[:, 1], o_table[:, 2]
    o_needs = o_table[:, 3].astype(bool)

    r_order = np.argsort(r_cap, kind="stable")
    o_order = np.argsort(o_cap, kind="stable")
    r_bounds = np.searchsorted(r_cap[r_order], np.arange(len(caps) + 1))
    o_bounds = np.searchsorted(o_cap[o_order], np.arange(len(caps) + 1))
    rs: list[IntArray] = []
    os_: list[IntArray] = []
    for c in range(len(caps)):
        ri = r_order[r_bounds[c] : r_bounds[c + 1]]
        oi = o_order[o_bounds[c] : o_bounds[c + 1]]
        if ri.size == 0 or oi.size == 0:
            continue
        fits = (o_start[oi][None, :] <= r_end[ri][:, None]) & (
            r_start[ri][:, None] <= o_end[oi][None, :]
        )
        if not backstop:
            fits &= ~r_needs[ri][:, None] & ~o_needs[oi][None, :]
        a, b = np.nonzero(fits)
        rs.append(ri[a])
        os_.append(oi[b])
    if not rs:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    pr = np.concatenate(rs).astype(np.int64)
    po = np.concatenate(os_).astype(np.int64)

    drop = _excluded(po, r_region[pr], offers, "excluded_regions", regions)
    drop |= _excluded(po, r_task[pr], offers, "excluded_tasks", tasks)
    keep = ~drop
    # Requirement-major order keeps the model, and so HiGHS's answer, deterministic.
    pr, po = pr[keep], po[keep]
    order = np.lexsort((po, pr))
    return pr[order], po[order]


_BANNER_SHOWN = False


def _highs() -> highspy.Highs:
    """A silent HiGHS instance (its first construction prints a banner to stdout)."""
    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        return highspy.Highs()  # type: ignore[no-untyped-call]
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as sink:
            os.dup2(sink.fileno(), 1)
            h = highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        _BANNER_SHOWN = True
    return h


def solve(
    requirements: Sequence[Requirement],
    offers: Sequence[Offer],
    scenario: Scenario,
    *,
    time_limit: float = 60.0,
    threads: int = 1,
) -> Solution:
    """Solve the scenario once, with the backstop as the scenario says."""
    started = time.perf_counter()
    check_inputs(requirements, offers)
    reqs = counted_requirements(requirements, scenario)
    offs = counted_offers(offers, scenario)
    pr, po = compatible_pairs(reqs, offs, scenario.backstop)
    n_r, n_o, k = len(reqs), len(offs), int(pr.size)
    r_qty = np.array([r.quantity for r in reqs], dtype=np.float64)
    o_qty = np.array([o.quantity for o in offs], dtype=np.float64)
    r_weight = np.array([priority_weight(r.priority) for r in reqs], dtype=np.float64)
    cost = r_weight[pr] / r_qty[pr] if k else np.zeros(0)
    upper = np.minimum(r_qty[pr], o_qty[po]) if k else np.zeros(0)
    # Each column has two entries: its requirement's row, then its offer's row.
    index = np.empty(2 * k, dtype=np.int32)
    index[0::2] = pr
    index[1::2] = n_r + po
    start = np.arange(0, 2 * k + 1, 2, dtype=np.int32)
    values = np.ones(2 * k, dtype=np.float64)
    row_upper = np.concatenate([r_qty, o_qty])
    row_lower = np.full(n_r + n_o, -highspy.kHighsInf)

    if k == 0:
        built = time.perf_counter()
        return _solution(
            reqs,
            offs,
            pr,
            po,
            np.zeros(0, dtype=np.int64),
            "optimal",
            0.0,
            0.0,
            0.0,
            built - started,
            0.0,
        )

    h = _highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", 1e-6)
    h.setOptionValue("threads", int(threads))
    h.setOptionValue("random_seed", 0)
    h.passModel(
        k,
        n_r + n_o,
        2 * k,
        int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMaximize),
        0.0,
        cost,
        np.zeros(k),
        upper,
        row_lower,
        row_upper,
        start,
        index,
        values,
        np.ones(k, dtype=np.int32),  # every variable integer: units are indivisible
    )
    built = time.perf_counter()
    # Start from the greedy allocation, so a solve stopped by its time limit still has a
    # plan at least as good as greedy, with its gap stated.
    order = sorted(range(n_r), key=lambda i: (reqs[i].priority, reqs[i].id))
    first = greedy_columns(pr, po, r_qty, o_qty, order)
    h.setSolution(k, np.arange(k, dtype=np.int32), first.astype(np.float64))
    seeded = time.perf_counter()
    h.run()
    solved = time.perf_counter()
    model_status = h.getModelStatus()
    info = h.getInfo()
    has_plan = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
    if model_status == highspy.HighsModelStatus.kOptimal:
        status = "optimal"
    elif model_status == highspy.HighsModelStatus.kTimeLimit:
        status = "time_limit"
    else:  # the model is always feasible (allocate nothing), so this is a solver failure
        raise Invalid(f"the solver stopped without a plan ({h.modelStatusToString(model_status)})")
    x = np.rint(np.asarray(h.getSolution().col_value)).astype(np.int64) if has_plan else first
    objective = float(np.dot(cost, x))
    if status == "optimal":
        bound, gap = objective, 0.0
    else:
        # HiGHS's dual bound when it has one, else the plain bound: every line that has a
        # compatible offer filled completely.
        plain = float(r_weight[np.unique(pr)].sum())
        dual = float(info.mip_dual_bound)
        bound = dual if np.isfinite(dual) and objective <= dual <= plain else plain
        gap = (bound - objective) / bound if bound > 0 else 0.0
    return _solution(
        reqs,
        offs,
        pr,
        po,
        x,
        status,
        objective,
        bound,
        gap,
        built - started,
        solved - seeded,
        seeded - built,
    )


def greedy_columns(
    pr: IntArray,
    po: IntArray,
    r_qty: npt.NDArray[np.float64],
    o_qty: npt.NDArray[np.float64],
    order: Sequence[int],
) -> IntArray:
    """Units per compatible pair when lines take, in ``order``, from their offers in turn.

    ``pr`` must be sorted (requirement-major, as :func:`compatible_pairs` returns it).
    """
    x = np.zeros(pr.size, dtype=np.int64)
    left = o_qty.astype(np.int64)
    bounds = np.searchsorted(pr, np.arange(r_qty.size + 1))
    offers_of = po.tolist()
    for i in order:
        need = int(r_qty[i])
        for col in range(int(bounds[i]), int(bounds[i + 1])):
            if need == 0:
                break
            j = offers_of[col]
            take = min(need, int(left[j]))
            if take:
                left[j] -= take
                need -= take
                x[col] = take
    return x


def _solution(
    reqs: list[Requirement],
    offs: list[Offer],
    pr: IntArray,
    po: IntArray,
    x: IntArray,
    status: str,
    objective: float,
    bound: float,
    gap: float,
    build_s: float,
    solve_s: float,
    start_s: float = 0.0,
) -> Solution:
    used = np.nonzero(x > 0)[0]
    allocations = tuple(
        Allocation(reqs[int(pr[i])].id, offs[int(po[i])].id, offs[int(po[i])].member, int(x[i]))
        for i in used
    )
    filled = np.bincount(pr[used], weights=x[used], minlength=len(reqs)).round().astype(np.int64)
    fills = tuple(
        Fill(r.id, r.capability, r.phase, r.quantity, int(filled[i])) for i, r in enumerate(reqs)
    )
    return Solution(
        status=status,
        objective=objective,
        bound=bound,
        gap=gap,
        allocations=allocations,
        fills=fills,
        variables=int(pr.size),
        constraints=len(reqs) + len(offs),
        build_s=build_s,
        solve_s=solve_s,
        start_s=start_s,
    )


def plan(
    requirements: Sequence[Requirement],
    offers: Sequence[Offer],
    scenario: Scenario,
    *,
    time_limit: float = 60.0,
) -> Plan:
    """Solve with and without the backstop and list what rests on it."""
    if not counted_requirements(requirements, scenario):
        where = f" in phase {scenario.phase}" if scenario.phase else ""
        raise Invalid(f"the scenario has no requirement to fill{where}")
    if scenario.members is not None and not scenario.members:
        raise Invalid("the scenario names no member taking part")
    if not scenario.statuses & COUNTABLE:
        raise Invalid("the scenario counts no offer status (withdrawn offers never count)")
    with_b = solve(requirements, offers, _with(scenario, True), time_limit=time_limit)
    without = solve(requirements, offers, _with(scenario, False), time_limit=time_limit)
    by_id = {f.requirement_id: f for f in without.fills}
    dependencies = tuple(
        Dependency(
            f.requirement_id, f.capability, f.phase, f.filled, by_id[f.requirement_id].filled
        )
        for f in with_b.fills
        if f.filled > by_id[f.requirement_id].filled
    )
    return Plan(with_b, without, scenario.backstop, dependencies)


def _with(scenario: Scenario, backstop: bool) -> Scenario:
    return Scenario(
        backstop=backstop,
        members=scenario.members,
        statuses=scenario.statuses,
        phase=scenario.phase,
        count_pending_approval=scenario.count_pending_approval,
    )


def fill_score(requirements: Sequence[Requirement], fills: Sequence[Fill]) -> float:
    """Priority-weighted fill of ``fills``: the objective, recomputed from the result."""
    weight = {r.id: priority_weight(r.priority) / r.quantity for r in requirements}
    return sum(weight[f.requirement_id] * f.filled for f in fills)
