"""The greedy allocation the optimal plan is measured against. Pure.

Requirements are served in priority order (then by id); each takes units from its
compatible offers in the order of their ids until it is full or they are spent. This is
what a planning cell does by hand, and what the solver must at least match.
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
)


def greedy(
    requirements: Sequence[Requirement], offers: Sequence[Offer], scenario: Scenario
) -> tuple[tuple[Allocation, ...], tuple[Fill, ...]]:
    """Allocate by priority, first come first served; returns allocations and fills."""
    check_inputs(requirements, offers)
    reqs = counted_requirements(requirements, scenario)
    offs = counted_offers(offers, scenario)
    pr, po = compatible_pairs(reqs, offs, scenario.backstop)
    left = [o.quantity for o in offs]
    bounds = np.searchsorted(pr, np.arange(len(reqs) + 1))
    order = sorted(range(len(reqs)), key=lambda i: (reqs[i].priority, reqs[i].id))
    allocations: list[Allocation] = []
    filled = [0] * len(reqs)
    for i in order:
        need = reqs[i].quantity
        for j in po[bounds[i] : bounds[i + 1]].tolist():
            if need == 0:
                break
            take = min(need, left[j])
            if take:
                left[j] -= take
                need -= take
                allocations.append(Allocation(reqs[i].id, offs[j].id, offs[j].member, take))
        filled[i] = reqs[i].quantity - need
    fills = tuple(
        Fill(r.id, r.capability, r.phase, r.quantity, filled[i]) for i, r in enumerate(reqs)
    )
    return tuple(allocations), fills
