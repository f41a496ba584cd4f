"""The summit pack: one meeting of leaders, briefed for one reader from what they may see.

A pack is modelled on leaders' briefing packs: key judgements first, then what changed
since the last summit, then one section per line of effort (commitments, forces, the
ceasefire, the ground, sanctions), the decisions asked of leaders, and an annex of sources,
methods and dissenting positions (:data:`~coalition.briefings.document.SUMMIT_SECTIONS`).

Its period runs from the start of the previous summit's day (or, for the first, from the
first commitment announced) to its cut-off, the start of the meeting's own day in the
pack's zone: what was known going into the summit. Everything is read through the other
capabilities' service functions under the one reader (:mod:`summit_reading`,
:mod:`summit_agenda`), so a record hidden from the reader changes nothing in the pack,
and the pack's marking is the highest of the records it rests on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from coalition.briefings.assembled import Assembled
from coalition.briefings.document import Figure, Row, Section, Value, build, delta, grouped
from coalition.briefings.summit_agenda import decisions_part, sanctions_part, territory_part
from coalition.briefings.summit_reading import (
    Frame,
    Part,
    ceasefire_part,
    commitments_part,
    day,
    force_part,
    shown_of,
)
from coalition.commitments import service as commitments
from coalition.core.errors import Invalid
from coalition.core.marking import Shown
from coalition.core.principal import Principal
from coalition.meetings import service as meetings

ZONE = "Europe/Kyiv"
PAGE = 500
SUMMIT, LEADERS = "summit", "leaders"  # the meeting kind and level a pack is made for
CANCELLED = "cancelled"  # a commitment's status that takes it out of every count

# The headline figures of the key judgements: (key, label, the section figure restated).
HEADLINES: tuple[tuple[str, str, str], ...] = (
    ("headline.pledged_eur", "Total pledged", "commitments.pledged_eur"),
    (
        "headline.delivered_share",
        "Delivered share of the value pledged",
        "commitments.delivered_share",
    ),
    ("headline.force_fill", "Force requirements filled (with the backstop)", "force.fill"),
    ("headline.violations", "Ceasefire violations in the period", "ceasefire.violations"),
    ("headline.sanctions_gaps", "Sanctions gaps open", "sanctions.open_gaps"),
)

# The parts read from other capabilities, in the order of their sections.
PARTS: tuple[Callable[[Frame], Part], ...] = (
    commitments_part,
    force_part,
    ceasefire_part,
    territory_part,
    sanctions_part,
    decisions_part,
)


@dataclass(frozen=True)
class Summit:
    """A meeting a summit pack can be made for."""

    id: int
    title: str
    held_on: dt.date
    kind: str
    level: str
    shown: Shown  # the meeting's marking, as (marking, owner, rel_to)


def summits(session: Session, principal: Principal) -> list[Summit]:
    """The meetings a summit pack can be made for, as the principal may see them, oldest
    first: summits, and meetings of any kind held at the level of leaders, by the day they
    are held (then by id)."""
    found: list[Summit] = []
    offset = 0
    while True:
        page = meetings.list_meetings(session, principal, sort="held_on", limit=PAGE, offset=offset)
        found += [
            Summit(m.id, m.title, m.held_on, m.kind.value, m.level.value, shown_of(m.marking))
            for m in page.items
            if m.kind.value == SUMMIT or m.level.value == LEADERS
        ]
        offset += len(page.items)
        if offset >= page.total or not page.items:
            return found


def _before(session: Session, principal: Principal, meeting: Any) -> list[Summit]:
    """The summits the principal may see held before ``meeting`` (by day, then id)."""
    return [
        m for m in summits(session, principal) if (m.held_on, m.id) < (meeting.held_on, meeting.id)
    ]


def previous_meeting(session: Session, principal: Principal, meeting_id: int) -> int | None:
    """The id of the summit before this one that the principal may see, or None.

    Raises NotFound when the meeting itself is hidden from the principal.
    """
    meeting = meetings.get_meeting(session, principal, meeting_id)
    earlier = _before(session, principal, meeting)
    return earlier[-1].id if earlier else None


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise Invalid(f"not a time zone: {name!r}") from error


def _first_record(session: Session, principal: Principal, until: dt.date) -> Any | None:
    """The first commitment the principal may see announced by ``until`` and not cancelled,
    or None: a cancelled pledge is counted nowhere in the pack, so it opens no period."""
    wanted = commitments.Filters(until=until)
    offset = 0
    while True:
        page = commitments.list_commitments(
            session, principal, wanted, limit=PAGE, offset=offset, sort="announced_on"
        )
        for c in page.items:
            if c.status.value != CANCELLED:
                return c
        offset += len(page.items)
        if offset >= page.total or not page.items:
            return None


def audience(principal: Principal) -> str:
    """Who the pack is for, as its cover says."""
    if principal.is_anonymous:
        return "Public edition"
    return f"Prepared for {principal.username} ({principal.member}), from what they may see"


def assemble(
    session: Session,
    principal: Principal,
    meeting_id: int,
    *,
    previous: Mapping[str, Value] | None,
    judgements: Sequence[str] = (),
    zone: str = ZONE,
) -> Assembled:
    """The summit pack for the meeting as ``principal`` may see it.

    ``previous`` is the previous pack's figures by key (None: this is the first edition);
    ``judgements`` are the analysts' key judgements, printed as written. Raises
    :class:`~coalition.core.errors.NotFound` when the meeting is hidden from the principal.
    """
    here = _zone(zone)
    meeting = meetings.to_summary(meetings.get_meeting(session, principal, meeting_id))
    cutoff = dt.datetime.combine(meeting.held_on, dt.time(), here)
    # The pack's number and period rest on the meeting, the summits before it and, for the
    # first, the first commitment: their markings are the cover's.
    earlier = _before(session, principal, meeting)
    cover: set[Shown] = {shown_of(meeting.marking), *(s.shown for s in earlier)}
    last = earlier[-1] if earlier else None
    if last is not None:
        start = dt.datetime.combine(last.held_on, dt.time(), here)
    else:
        first = _first_record(session, principal, meeting.held_on - dt.timedelta(days=1))
        start = cutoff
        if first is not None and first.announced_on is not None:
            start = dt.datetime.combine(first.announced_on, dt.time(), here)
            cover.add(shown_of(first.marking))
    frame = Frame(session, principal, meeting.id, start, cutoff, previous)
    parts = [read(frame) for read in PARTS]
    figures = {f.key: f for part in parts for f in part.section.figures}
    headlines = tuple(_restate(frame, figures, *h) for h in HEADLINES if h[2] in figures)
    sections = [
        Section(
            title="Key judgements",
            figures=headlines,
            paragraphs=tuple(j.strip() for j in judgements if j.strip()),
            shown=frozenset(cover),
        ),
        _changes(frame, last, parts, headlines),
        *(part.section for part in parts),
        _annex(parts),
    ]
    document = build(
        "summit",
        number=len(earlier) + 1,
        title=f"Summit pack — {meeting.title}, {day(meeting.held_on)}",
        period_start=start,
        period_end=cutoff,
        cutoff=cutoff,
        zone=zone,
        audience=audience(principal),
        sections=sections,
    )
    inputs: dict[str, Any] = {
        "meeting_id": meeting.id,
        "previous_meeting_id": last.id if last is not None else None,
        "period_start": start.isoformat(),
        "cutoff": cutoff.isoformat(),
        "zone": zone,
        "reader": principal.actor,
        "judgements": list(judgements),
        "previous": None if previous is None else {k: str(v) for k, v in sorted(previous.items())},
        "sections": {part.section.title: part.inputs for part in parts},
    }
    return Assembled(document, inputs)


def _restate(frame: Frame, figures: Mapping[str, Figure], key: str, label: str, of: str) -> Figure:
    """A section's figure restated among the headlines, under its own key."""
    source = figures[of]
    return frame.figure(key, label, source.value, source.unit, source.source, source.shown)


def _changes(
    frame: Frame, last: Any, parts: Sequence[Part], headlines: Sequence[Figure]
) -> Section:
    """The period's own figures, and each headline set against the previous pack's."""
    if last is not None:
        opening = f"The period runs from the last summit, {last.title}, on {day(last.held_on)}."
    elif frame.start < frame.cutoff:
        opening = (
            "This is the first summit pack this reader may see: the period runs from "
            f"{day(frame.first_day)}, when the first commitment they may see was announced."
        )
    else:
        opening = "This is the first summit pack this reader may see, and nothing precedes it."
    paragraphs = [opening]
    rests: set[Shown] = set()
    if frame.previous is None:
        paragraphs.append("There is no previous pack to compare the headline figures with.")
    for headline in headlines:
        if headline.previous is None:
            continue
        paragraphs.append(f"{headline.label}: {_printed(headline)}, {delta(headline)}.")
        rests |= headline.shown
    return Section(
        title="Changes since the last summit",
        figures=tuple(f for part in parts for f in part.changes),
        paragraphs=tuple(paragraphs),
        shown=frozenset(rests),
    )


def _printed(fig: Figure) -> str:
    """A figure's value as printed, with its unit."""
    value = fig.value if isinstance(fig.value, str) else grouped(fig.value)
    return f"{value} {fig.unit}" if fig.unit else value


def _annex(parts: Sequence[Part]) -> Section:
    """The sources and method of each section, and the dissenting positions stated."""
    dissent = [line for part in parts for line in part.dissent]
    return Section(
        title="Annex: sources, methods and dissenting positions",
        paragraphs=(
            "Every figure is read at the pack's cut-off from the records its reader may see, "
            "and compared with the same figure in the previous pack.",
        ),
        columns=("Section", "Sources", "Method"),
        items=tuple(Row((p.section.title, p.sources, p.method)) for p in parts),
        dissent=" ".join(dissent) if dissent else None,
        shown=frozenset(s for part in parts for s in part.dissent_shown),
    )
