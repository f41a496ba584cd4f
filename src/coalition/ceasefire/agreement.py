"""What the agreement covers: its days, its scope, and its standing on a given day. Pure.

A report is a *ceasefire violation* only when it falls inside the agreement: on a day the
ceasefire is in force (from its first day through its last, extensions included), of a
type its scope covers, and inside the area of operations (``regions.in_area``). Anything
else is still a report, shown as such, but never counted as a violation.
"""

from __future__ import annotations

import datetime as dt

from coalition.ceasefire.vocabulary import CeasefireStatus, IncidentType, Scope

# The incident types each scope covers: a truce on energy infrastructure is broken by a
# strike on it, not by small-arms fire; a maritime truce by nothing the land types name.
SCOPE_TYPES: dict[Scope, frozenset[IncidentType]] = {
    Scope.ALL_FRONTS: frozenset(IncidentType),
    Scope.ENERGY_INFRASTRUCTURE: frozenset({IncidentType.INFRASTRUCTURE_STRIKE}),
    Scope.MARITIME: frozenset(),
}


def in_force(first: dt.date, last: dt.date, day: dt.date) -> bool:
    """Whether ``day`` is one of the agreement's days."""
    return first <= day <= last


def covered_types(scope: list[Scope]) -> frozenset[IncidentType]:
    """The incident types whose reports may be violations under ``scope``."""
    covered: frozenset[IncidentType] = frozenset()
    for s in scope:
        covered |= SCOPE_TYPES[s]
    return covered


def standing(status: CeasefireStatus, first: dt.date, last: dt.date, today: dt.date) -> str:
    """The agreement's standing today, in words that never contradict its day count."""
    if status is CeasefireStatus.COLLAPSED:
        return "collapsed"
    if status is CeasefireStatus.PROPOSED:
        return "proposed, not agreed"
    if today < first:
        return f"agreed, in force from {first.isoformat()}"
    if today > last or status is CeasefireStatus.EXPIRED:
        return f"ended on {last.isoformat()}"
    return "in force"
