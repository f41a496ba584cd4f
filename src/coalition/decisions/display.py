"""How proposals are shown: the grid of members' positions and the time left. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from coalition.decisions.schemas import ProposalPublic


@dataclass(frozen=True)
class Cell:
    """One member in the grid: its code and name, and its position in words and colour."""

    code: str
    name: str
    stance: str  # the CSS class: support, abstain, object, reserve or none
    label: str  # the position in words, so colour never carries it alone
    detail: str


def grid(proposal: ProposalPublic, seen: set[str], names: Mapping[str, str]) -> list[Cell]:
    """A cell for each member taking part that the reader may see, in code order."""
    live = {p.member: p for p in proposal.positions}
    cells = []
    for voter in proposal.voters:
        if voter.member not in seen:
            continue
        pos = live.get(voter.member)
        if pos is None:
            cells.append(Cell(voter.member, names.get(voter.member, ""), "none", "no position", ""))
            continue
        detail = pos.text
        if pos.condition:
            detail = f"{pos.text} — lifted if: {pos.condition}"
        cells.append(
            Cell(
                voter.member,
                names.get(voter.member, ""),
                pos.stance.value,
                pos.stance.label,
                detail,
            )
        )
    return cells


def time_left(deadline: dt.datetime, now: dt.datetime) -> str:
    """The time to a deadline in words: ``2 days 3 hours left``, ``deadline passed``."""
    seconds = int((deadline - now).total_seconds())
    if seconds <= 0:
        return "deadline passed; closing"
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} day{'s' if days != 1 else ''} {hours} h left"
    if hours:
        return f"{hours} h {minutes} min left"
    return f"{max(minutes, 1)} min left"
