"""How widely a plan may be marked: never wider than any record it was computed from. Pure.

A plan reveals its inputs (the lines it fills, the offers it uses, the gaps it lists), so its
audience must lie within the audience of every input. The default marking of a plan is the
widest its inputs allow, capped at COALITION: plans are operational and never PUBLIC by
default.
"""

from __future__ import annotations

from collections.abc import Iterable

from coalition.core.errors import Invalid
from coalition.core.marking import Marking, describe, reach

# ``None`` stands for "every member of the coalition".
Audience = frozenset[str] | None


def common_audience(inputs: Iterable[tuple[str, Marking, str | None]]) -> Audience:
    """The members who may read every input."""
    common: Audience = None
    for owner, marking, rel_to in inputs:
        members = reach(owner, marking, rel_to)
        if members is not None:
            common = members if common is None else common & members
    return common


def widest_marking(owner: str, common: Audience) -> tuple[Marking, list[str]]:
    """The default marking of a plan owned by ``owner`` whose inputs allow ``common``."""
    if common is None:
        return Marking.COALITION, []
    others = sorted(common - {owner})
    return (Marking.REL_TO, others) if others else (Marking.NATIONAL, [])


def check_within(owner: str, marking: Marking, rel_to: list[str], common: Audience) -> None:
    """Refuse a plan marking that would show an input to someone who may not read it."""
    if common is None:
        if marking is Marking.PUBLIC:
            raise Invalid("a plan is never PUBLIC; mark it COALITION or narrower")
        return
    wanted = reach(owner, marking, "|" + "|".join(rel_to) + "|")
    if wanted is None or not wanted <= common:
        allowed = describe(*_as_marking(owner, common))
        raise Invalid(f"the plan's inputs allow at most {allowed}")


def _as_marking(owner: str, common: frozenset[str]) -> tuple[Marking, str, str]:
    marking, others = widest_marking(owner, common)
    return marking, owner, "|" + "|".join(others) + "|" if others else ""
