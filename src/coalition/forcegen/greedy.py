"""The greedy allocation the optimal plan is measured against. Pure.

Requirements are served in priority order (then by id); each takes units from its
compatible offers in the order of their ids until it is full or they are spent. This is
what a planning cell does by hand, and what the solver must at least match: the solver
starts from it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from coalition.forcegen.solver import (
    Allocation,
    Fill,
    Offer,
    Requirement,
    Scenario,
    check_inputs,
    compatible_pairs,
    counted_offers,
    counted_requirements,
    greedy_columns,
)


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
