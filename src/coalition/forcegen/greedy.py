"""The greedy allocation the optimal plan is measured against. Pure.

Requirements are served in priority order (then by id); each takes units from its
compatible offers in the order of their ids until it is full or they are spent. This is
what a planning cell does by hand, and what the solver must at least match: the solver
starts from it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from coalition.forcegen.allocation import (
    Allocation,
    Fill,
    IntArray,
    Offer,
    Requirement,
    Scenario,
    check_inputs,
    counted_offers,
    counted_requirements,
)
from coalition.forcegen.compatibility import compatible_pairs


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


def greedy(
    requirements: Sequence[Requirement], offers: Sequence[Offer], scenario: Scenario
) -> tuple[tuple[Allocation, ...], tuple[Fill, ...]]:
    """Allocate by priority, first come first served; returns allocations and fills."""
    check_inputs(requirements, offers)
    reqs = counted_requirements(requirements, scenario)
    offs = counted_offers(offers, scenario)
    pr, po = compatible_pairs(reqs, offs, scenario.backstop)
    r_qty = np.array([r.quantity for r in reqs], dtype=np.float64)
    o_qty = np.array([o.quantity for o in offs], dtype=np.float64)
    order = sorted(range(len(reqs)), key=lambda i: (reqs[i].priority, reqs[i].id))
    x = greedy_columns(pr, po, r_qty, o_qty, order)
    used = np.nonzero(x)[0]
    allocations = tuple(
        Allocation(reqs[pr[c]].id, offs[po[c]].id, offs[po[c]].member, int(x[c])) for c in used
    )
    filled = np.bincount(pr[used], weights=x[used], minlength=len(reqs)).round().astype(np.int64)
    fills = tuple(
        Fill(r.id, r.capability, r.phase, r.quantity, int(filled[i])) for i, r in enumerate(reqs)
    )
    return allocations, fills
