"""Which offer may fill which requirement, and why not: caveats, windows, enablers. Pure.

:func:`compatible_pairs` is vectorised (grouped by capability) and is what the solver
uses; :func:`incompatibilities` is the same rule for one pair, written plainly, returning
every reason the pair is refused (:func:`is_compatible` is "no reason"). The property
tests hold the two together. :func:`uncounted` gives the reasons a scenario does not count
an offer at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from coalition.forcegen.allocation import IntArray, Offer, OfferStatus, Requirement, Scenario


class Why(StrEnum):
    """Why an offer may not fill a line, or does not count in a scenario."""

    CAPABILITY = "capability"  # a different capability
    WINDOW = "window"  # available only outside the line's window
    REGION = "region"  # a caveat excludes the line's region
    TASK = "task"  # a caveat excludes the line's task
    LINE_NEEDS_BACKSTOP = "line_needs_backstop"  # no backstop, and the line relies on it
    OFFER_NEEDS_BACKSTOP = "offer_needs_backstop"  # no backstop, and the offer needs it
    WITHDRAWN = "withdrawn"
    STATUS = "status"  # a status the scenario does not count
    MEMBER = "member"  # a member not taking part in the scenario
    APPROVAL = "approval"  # approval pending, and the scenario counts approved offers only
    NO_UNITS = "no_units"  # an offer of no units


@dataclass(frozen=True)
class Reason:
    """One reason, with the codes it concerns (the region, the task, the enablers)."""

    why: Why
    codes: tuple[str, ...] = ()


def incompatibilities(r: Requirement, o: Offer, backstop: bool) -> tuple[Reason, ...]:
    """Every reason offer ``o`` may not fill requirement ``r``; empty when it may."""
    out: list[Reason] = []
    if r.capability != o.capability:
        out.append(Reason(Why.CAPABILITY, (o.capability,)))
    if o.start > r.end or r.start > o.end:
        out.append(Reason(Why.WINDOW))
    if r.region in o.excluded_regions:
        out.append(Reason(Why.REGION, (r.region,)))
    if r.task in o.excluded_tasks:
        out.append(Reason(Why.TASK, (r.task,)))
    if not backstop and r.enablers:
        out.append(Reason(Why.LINE_NEEDS_BACKSTOP, tuple(sorted(r.enablers))))
    if not backstop and o.needs_enablers:
        out.append(Reason(Why.OFFER_NEEDS_BACKSTOP, tuple(sorted(o.needs_enablers))))
    return tuple(out)


def is_compatible(r: Requirement, o: Offer, backstop: bool) -> bool:
    """Whether offer ``o`` may fill requirement ``r``: the rule for one pair, plainly."""
    return not incompatibilities(r, o, backstop)


def uncounted(o: Offer, scenario: Scenario) -> tuple[Reason, ...]:
    """Every reason the scenario does not count offer ``o``; empty when it does.

    The same rule as :func:`~coalition.forcegen.allocation.counted_offers`, one offer at a
    time and with its reasons.
    """
    out: list[Reason] = []
    if o.status is OfferStatus.WITHDRAWN:
        out.append(Reason(Why.WITHDRAWN))
    elif o.status not in scenario.statuses:
        out.append(Reason(Why.STATUS, (o.status.value,)))
    if o.quantity <= 0:
        out.append(Reason(Why.NO_UNITS))
    if scenario.members is not None and o.member not in scenario.members:
        out.append(Reason(Why.MEMBER, (o.member,)))
    if o.approval_pending and not scenario.count_pending_approval:
        out.append(Reason(Why.APPROVAL))
    return tuple(out)


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
