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

:mod:`allocation` holds what goes in and out, :mod:`compatibility` the caveat rules,
:mod:`greedy` the first-come allocation the model starts from and is measured against.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

import highspy
import numpy as np

from coalition.core.errors import Invalid
from coalition.forcegen.allocation import (
    COUNTABLE,
    Allocation,
    Dependency,
    Fill,
    IntArray,
    Offer,
    Plan,
    Requirement,
    Scenario,
    Solution,
    check_inputs,
    counted_offers,
    counted_requirements,
    priority_weight,
)
from coalition.forcegen.compatibility import compatible_pairs
from coalition.forcegen.greedy import greedy_columns

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
