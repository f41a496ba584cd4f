"""Markings: who may see a record. Pure rules; the SQL form lives in ``visibility``.

A record carries its owner member and one marking:

- ``PUBLIC``: anyone, signed in or not;
- ``COALITION``: every signed-in user of any member;
- ``REL_TO``: users of the owner and of the members the record is released to;
- ``NATIONAL``: users of the owner only.

Roles do not widen what a user may see: an admin of one nation reads another nation's
NATIONAL records no more than a viewer does.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from coalition.core.errors import Invalid
from coalition.core.principal import Principal

MEMBER_CODE = re.compile(r"^[A-Z]{2,4}$")


class Marking(enum.StrEnum):
    PUBLIC = "PUBLIC"
    COALITION = "COALITION"
    REL_TO = "REL_TO"
    NATIONAL = "NATIONAL"

    @property
    def label(self) -> str:
        return "REL TO" if self is Marking.REL_TO else self.value


def encode_release(members: Iterable[str]) -> str:
    """The stored form of a REL TO list: sorted, de-duplicated codes between bars.

    ``["GBR", "FRA"]`` becomes ``"|FRA|GBR|"`` so that one member's release is the
    portable SQL test ``rel_to LIKE '%|FRA|%'``; an empty list is ``""``.
    """
    codes = sorted({m.strip().upper() for m in members if m.strip()})
    for code in codes:
        if not MEMBER_CODE.match(code):
            raise Invalid(f"not a member code: {code!r}")
    return f"|{'|'.join(codes)}|" if codes else ""


def decode_release(stored: str | None) -> list[str]:
    """The member codes of a stored REL TO list."""
    return [c for c in (stored or "").split("|") if c]


def check_marking(marking: Marking, owner: str, rel_to: Iterable[str]) -> str:
    """Validate a marking as entered and return the stored release list.

    REL TO needs at least one member besides the owner; other markings take none.
    """
    codes = [c for c in decode_release(encode_release(rel_to)) if c != owner]
    if marking is Marking.REL_TO and not codes:
        raise Invalid("a REL TO marking needs at least one member besides the owner")
    if marking is not Marking.REL_TO and codes:
        raise Invalid(f"a {marking.label} marking takes no release list")
    return encode_release(codes)


def can_see(principal: Principal, owner: str, marking: Marking, rel_to: str | None) -> bool:
    """Whether ``principal`` may see a record with this owner and marking."""
    if marking is Marking.PUBLIC:
        return True
    if principal.is_anonymous or principal.member is None:
        return False
    if marking is Marking.COALITION or principal.member == owner:
        return True
    if marking is Marking.REL_TO:
        return principal.member in decode_release(rel_to)
    return False


def reach(owner: str, marking: Marking, rel_to: str | None) -> frozenset[str] | None:
    """The members a marking names, or ``None`` when it reaches every member.

    PUBLIC and COALITION reach every member (PUBLIC the anonymous public too); REL TO the
    owner and the members released to; NATIONAL the owner alone.
    """
    if marking in (Marking.PUBLIC, Marking.COALITION):
        return None
    if marking is Marking.REL_TO:
        return frozenset([owner, *decode_release(rel_to)])
    return frozenset([owner])


def audience(
    owner: str, marking: Marking, rel_to: str | None, register: Iterable[str]
) -> frozenset[str]:
    """The members of ``register`` whose users may see a record with this marking.

    The one answer to "who may see this": a member is in it exactly when ``can_see`` lets
    a user of that member see the record (a property test states it).
    """
    named = reach(owner, marking, rel_to)
    members = frozenset(register)
    return members if named is None else members & named


def describe(marking: Marking, owner: str, rel_to: str | None) -> str:
    """The marking as shown on a page, e.g. ``REL TO FRA, GBR`` or ``NATIONAL (POL)``."""
    if marking is Marking.REL_TO:
        return "REL TO " + ", ".join([owner, *decode_release(rel_to)])
    if marking is Marking.NATIONAL:
        return f"NATIONAL ({owner})"
    return marking.value


def change_of_sight(
    owner: str,
    before: tuple[Marking, str | None],
    after: tuple[Marking, str | None],
) -> str:
    """What a change of marking does to who may see the record, in one sentence.

    ``before`` and ``after`` are (marking, stored REL TO list). Empty when nothing
    changes. The sentence names who loses sight and who gains it, so whoever changes a
    marking is told before it takes effect.
    """
    (old, old_rel), (new, new_rel) = before, after
    old_reach, new_reach = reach(owner, old, old_rel), reach(owner, new, new_rel)
    if old is new and old_reach == new_reach:
        return ""
    lost: list[str] = []
    gained: list[str] = []
    if old is Marking.PUBLIC and new is not Marking.PUBLIC:
        lost.append("the public (readers who are not signed in)")
    if new is Marking.PUBLIC and old is not Marking.PUBLIC:
        gained.append("the public (readers who are not signed in)")
    if old_reach is None and new_reach is not None:
        lost.append("every member but " + ", ".join(sorted(new_reach)))
    elif old_reach is not None and new_reach is None:
        gained.append("every member")
    elif old_reach is not None and new_reach is not None:
        if old_reach - new_reach:
            lost.append(", ".join(sorted(old_reach - new_reach)))
        if new_reach - old_reach:
            gained.append(", ".join(sorted(new_reach - old_reach)))
    gains = " and ".join(gained)
    words = [
        f"From {describe(old, owner, old_rel)} to {describe(new, owner, new_rel)}:",
        f"{' and '.join(lost)} will no longer see it." if lost else "",
        f"{gains[:1].upper()}{gains[1:]} will see it." if gained else "",
    ]
    return " ".join(w for w in words if w)


# --- the marking of a whole page --------------------------------------------------------

Shown = tuple[Marking, str, str | None]  # (marking, owner, stored REL TO list)


@dataclass(frozen=True)
class Overall:
    """The marking a page or an export carries: the highest of what it shows.

    ``label`` is what the banner prints; ``level`` names its class. Anyone the overall
    marking admits may see every record it was built from: mixed REL TO releases give
    the members common to all of them.
    """

    level: Marking
    label: str


def overall(shown: Iterable[Shown]) -> Overall:
    """The overall marking of a page showing ``shown`` (PUBLIC when it shows none)."""
    national: set[str] = set()
    released: frozenset[str] | None = None
    coalition = False
    for marking, owner, rel_to in shown:
        if marking is Marking.NATIONAL:
            national.add(owner)
        elif marking is Marking.REL_TO:
            named = reach(owner, marking, rel_to) or frozenset()
            released = named if released is None else released & named
        elif marking is Marking.COALITION:
            coalition = True
    if national:
        return Overall(Marking.NATIONAL, "NATIONAL (" + ", ".join(sorted(national)) + ")")
    if released is not None:
        return Overall(Marking.REL_TO, "REL TO " + (", ".join(sorted(released)) or "nobody"))
    if coalition:
        return Overall(Marking.COALITION, "COALITION")
    return Overall(Marking.PUBLIC, "PUBLIC")


# The distinct markings made public while serving one request (a set: a list of 200,000
# records of three markings holds three entries).
_SHOWN: ContextVar[set[Shown] | None] = ContextVar("coalition_shown", default=None)


def watch_shown() -> set[Shown]:
    """Start noting, for this request, the marking of every record made public."""
    noted: set[Shown] = set()
    _SHOWN.set(noted)
    return noted


def note_shown(marking: Marking, owner: str, rel_to: str | None) -> None:
    """Note that a record with this marking is shown (a no-op outside a watched request)."""
    noted = _SHOWN.get()
    if noted is not None:
        noted.add((marking, owner, rel_to or None))


def shown() -> set[Shown]:
    """What this request has noted so far."""
    return set(_SHOWN.get() or ())


@contextmanager
def noting() -> Iterator[set[Shown]]:
    """Note, apart, the markings of what the block shows; the request's own noting goes on.

    A briefing builds each section in one block, so the section knows the markings it rests
    on; whatever the block noted is added to the request's set too (when one is watched).
    """
    outer = _SHOWN.get()
    inner: set[Shown] = set()
    token = _SHOWN.set(inner)
    try:
        yield inner
    finally:
        _SHOWN.reset(token)
        if outer is not None:
            outer.update(inner)
