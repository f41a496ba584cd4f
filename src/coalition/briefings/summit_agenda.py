"""What a summit pack reads of the ground, the pressure and the table: territory and
claims, sanctions gaps, and the decisions asked of leaders.

As in :mod:`coalition.briefings.summit_reading`, each part reads one capability through
its service functions under the pack's one reader, inside one
:func:`~coalition.core.marking.noting` block.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from coalition.briefings.document import Figure, Row, Section, Value, grouped
from coalition.briefings.summit_reading import PAGE, TOP, Frame, Part, day, shown_of
from coalition.core.errors import NotFound
from coalition.core.marking import Shown, noting
from coalition.decisions import service as decisions
from coalition.sanctions import service as sanctions
from coalition.situation import service as situation

# The queries the situation's service functions take, named through the service itself:
# the one surface a briefing may import from another capability.
from coalition.situation.service import (  # type: ignore[attr-defined]
    ChangeQuery,
    ClaimFilters,
    SnapshotFilters,
)

# --- territory and claims ------------------------------------------------------------------

TERRITORY = "Territory snapshots and recorded claims"
MOVED = 5  # regions named in the paragraph on the largest movements
SOURCES = 100  # recent held snapshots read to find a source reaching back to the start


def _recent_sources(frame: Frame) -> list[str]:
    """The sources of the held snapshots taken by the last day, newest snapshot first."""
    recent = situation.snapshot_page(
        frame.session,
        frame.principal,
        SnapshotFilters.model_validate({"layer": "held", "until": frame.last_day}),
        limit=SOURCES,
        offset=0,
    ).items
    return list(dict.fromkeys(s.source for s in recent))


def _held_change(frame: Frame, sources: list[str]) -> tuple[Any | None, Any | None]:
    """The latest held snapshot by the last day, and its source's change over the period.

    The first of ``sources`` whose snapshots reach back to the period's start gives the
    change; without one, the latest snapshot alone is read.
    """
    for source in sources:
        query = ChangeQuery.model_validate(
            {"source": source, "from": frame.first_day, "to": frame.last_day, "layer": "held"}
        )
        try:
            change = situation.change_out(frame.session, frame.principal, query)
        except NotFound:  # the source has no snapshot as early as the period's start
            continue
        return change.later, change
    if not sources:
        return None, None
    latest = situation.snapshot_page(
        frame.session,
        frame.principal,
        SnapshotFilters.model_validate({"layer": "held", "until": frame.last_day}),
        limit=1,
        offset=0,
    ).items
    return latest[0], None


def _moved(gained: float, lost: float) -> str:
    """A region's movement as printed: ``+119.0 / −39.4 km²``, a side that is nil left out."""
    sides = [f"+{grouped(round(gained, 1))}" if round(gained, 1) else ""]
    sides.append(f"−{grouped(round(lost, 1))}" if round(lost, 1) else "")
    return " / ".join(side for side in sides if side) + " km²" if any(sides) else "no change"


def _claims(frame: Frame) -> list[Any]:
    """Every claim made before the cut-off, newest first.

    The service filters by the UTC day, so the last day's listing runs past a cut-off east
    of UTC (00:00 in Kyiv is 21:00 or 22:00 UTC): the claims made after it are dropped.
    """
    wanted = ClaimFilters.model_validate({"until": frame.cutoff.astimezone(dt.UTC).date()})
    found: list[Any] = []
    while True:
        page = situation.claim_page(
            frame.session, frame.principal, wanted, None, limit=PAGE, offset=len(found)
        )
        found += page.items
        if len(found) >= page.total or not page.items:
            return [c for c in found if c.claimed_at < frame.cutoff]


def territory_part(frame: Frame) -> Part:
    """The held area's change since the period began, and the claims still disputed."""
    # Which source to read is chosen outside the section's noting: the snapshots read to
    # choose it are not what the section shows.
    sources = _recent_sources(frame)
    with noting() as ground:
        latest, change = _held_change(frame, sources)
    # The listing reaches past the cut-off: the section rests on the claims it keeps.
    claims = _claims(frame)
    disputed = [c for c in claims if c.status == "disputed"]
    with noting() as said:
        for claim in disputed:  # a claim's status rests on its reviews: note them too
            situation.claim_out(frame.session, frame.principal, claim.id)
    ground_shown = frozenset(ground)
    claims_shown = frozenset(said) | {shown_of(c.marking) for c in claims}
    in_period = [c for c in claims if c.claimed_at >= frame.start]
    figures: list[Figure] = []

    def fig(key: str, label: str, value: Value, unit: str, shown: frozenset[Shown]) -> None:
        figures.append(frame.figure(key, label, value, unit, TERRITORY, shown))

    if change is not None:
        fig(
            "territory.held_km2",
            "Area held at the cut-off",
            round(change.later_km2, 1),
            "km²",
            ground_shown,
        )
        fig(
            "territory.net_km2",
            "Net change in the period",
            round(change.net_km2, 1),
            "km²",
            ground_shown,
        )
        fig("territory.gained_km2", "Area gained", round(change.gained_km2, 1), "km²", ground_shown)
        fig("territory.lost_km2", "Area lost", round(change.lost_km2, 1), "km²", ground_shown)
        moved = [r for r in change.regions if r.gained_km2 or r.lost_km2][:MOVED]
        movements = "; ".join(f"{r.name} {_moved(r.gained_km2, r.lost_km2)}" for r in moved)
        ground_said = (
            f"By {change.source}'s snapshots of {day(change.earlier.taken_on)} and "
            f"{day(change.later.taken_on)}, the held area changed by "
            f"{grouped(round(change.net_km2, 1))} km²."
            + (f" Largest movements: {movements}." if movements else "")
        )
    elif latest is not None:
        fig(
            "territory.held_km2",
            "Area held at the cut-off",
            round(latest.area_km2, 1),
            "km²",
            ground_shown,
        )
        ground_said = (
            f"{latest.source} has no held snapshot as early as {day(frame.first_day)}: the "
            f"change over the period is not known; held on {day(latest.taken_on)}: "
            f"{grouped(round(latest.area_km2, 1))} km²."
        )
    else:
        ground_said = "No territory snapshot taken by the cut-off is visible to this reader."
    fig(
        "claims.in_period",
        "Claims made in the period",
        len(in_period),
        "claims",
        frozenset(shown_of(c.marking) for c in in_period),
    )
    fig("claims.disputed", "Claims disputed", len(disputed), "claims", claims_shown)
    return Part(
        section=Section(
            title="Territory and claims",
            figures=tuple(figures),
            paragraphs=(ground_said,),
            columns=("Claimed on", "Claimant", "Claim", "Reviews"),
            items=tuple(
                Row(
                    (day(c.claimed_at.date()), c.claimant, c.summary, str(c.reviews)),
                    frozenset([shown_of(c.marking)]) | claims_shown,
                )
                for c in disputed[:TOP]
            ),
            shown=ground_shown | claims_shown,
        ),
        inputs={
            "snapshot_ids": sorted(
                {s.id for s in ([change.earlier, change.later] if change else [latest]) if s}
            ),
            "claim_ids": [c.id for c in claims],
            "disputed_claim_ids": [c.id for c in disputed],
        },
        sources=f"{TERRITORY}: snapshot_page, change_out, claim_page and claim_out of the "
        "situation service",
        method="The source of the latest held snapshot by the cut-off, compared with its own "
        "snapshot at the period's start (true areas on the WGS 84 ellipsoid); a claim is "
        "disputed when the reviews the reader may see disagree.",
    )


# --- sanctions gaps to close ---------------------------------------------------------------

SANCTIONS = "Members' sanctions lists as applied"


def sanctions_part(frame: Frame) -> Part:
    """Targets some members designate and others do not: the top ones, and counts by theme."""
    with noting() as seen:
        gaps = sanctions.gaps_against_coalition(
            frame.session, frame.principal, as_of=frame.last_day, limit=TOP
        )
    shown = frozenset(seen)
    open_gaps = sum(found[0].total for found in gaps.values())
    members = sorted(m for m, found in gaps.items() if found[0].total)
    by_theme: dict[str, int] = defaultdict(int)
    for found in gaps.values():
        for gap in found[1:]:
            by_theme[str(gap.theme)] += gap.total
    targets: dict[str, Any] = {}
    missing: dict[str, list[str]] = defaultdict(list)
    for member, found in sorted(gaps.items()):
        for row in found[0].rows:
            targets.setdefault(row.target, row)
            missing[row.target].append(member)
    ranked = sorted(
        targets.values(),
        key=lambda r: (-len(r.members), not r.un_listed, r.first_listed, r.caption, r.target),
    )[:TOP]
    figures = [
        frame.figure(
            "sanctions.open_gaps",
            "Open gaps (a target a member does not list)",
            open_gaps,
            "gaps",
            SANCTIONS,
            shown,
        ),
        frame.figure(
            "sanctions.members_with_gaps",
            "Members with a gap",
            len(members),
            "members",
            SANCTIONS,
            shown,
        ),
    ]
    for theme, count in sorted(by_theme.items()):
        figures.append(
            frame.figure(
                f"sanctions.gaps.{theme}",
                f"Open gaps: {theme.replace('_', ' ')}",
                count,
                "gaps",
                SANCTIONS,
                shown,
            )
        )
    said = (
        f"{grouped(open_gaps)} gaps are open across {len(members)} members: targets other "
        "members' lists designate that their own do not."
        if open_gaps
        else "No gap is open between the members' lists this reader may see."
    )
    return Part(
        section=Section(
            title="Sanctions gaps to close",
            figures=tuple(figures),
            paragraphs=(said,),
            columns=("Target", "Kind", "Listed by", "Not yet listed by", "Listed since"),
            items=tuple(
                Row(
                    (
                        r.caption,
                        r.kind,
                        ", ".join(r.members) or "—",
                        ", ".join(missing[r.target]),
                        day(r.first_listed),
                    ),
                    shown,
                )
                for r in ranked
            ),
            shown=shown,
        ),
        inputs={
            "open_gaps": open_gaps,
            "gaps_by_member": {m: found[0].total for m, found in sorted(gaps.items())},
            "gaps_by_theme": dict(sorted(by_theme.items())),
            "top_targets": [r.target for r in ranked],
        },
        sources=f"{SANCTIONS}: gaps_against_coalition of the sanctions service",
        method="For each member applying a list, the targets the coalition's lists designate on "
        "the last day before the cut-off that none of its own lists designates, the same "
        "target across lists counted once; ranked by the members listing it, the UN's listing "
        "and how long it has been listed.",
    )


# --- decisions asked of leaders ------------------------------------------------------------

DECISIONS = "Proposals and members' positions"
DISSENTING = ("object", "abstain", "reserve")


def decisions_part(frame: Frame) -> Part:
    """The proposals put to this meeting, where each stands, and the dissent stated on them."""
    session, principal = frame.session, frame.principal
    with noting() as seen:
        proposals = sorted(
            decisions.proposals_for_meeting(session, principal, frame.meeting_id),
            key=lambda p: (p.deadline, p.id),
        )
        read = [
            (
                p,
                decisions.outcome(session, principal, p.id),
                decisions.list_positions(session, principal, p.id),
            )
            for p in proposals
        ]
    rows: list[Row] = []
    dissent: list[str] = []
    dissent_shown: set[Shown] = set()
    objections = 0
    for proposal, outcome, positions in read:
        mark = shown_of(proposal.marking)
        tally = outcome.tally
        rows.append(
            Row(
                (
                    proposal.title,
                    proposal.rule.label,
                    proposal.status.value,
                    frame_stamp(frame, proposal.deadline),
                    f"{tally.support} for, {tally.abstain} abstaining, {tally.object} objecting, "
                    f"{tally.reserve} reserving, {tally.no_position} without a position",
                    outcome.standing,
                ),
                frozenset([mark]),
            )
        )
        objections += tally.object
        for position in positions:
            if position.stance.value not in DISSENTING:
                continue
            words = f": {position.text}" if position.text else ""
            condition = f" (lifted if: {position.condition})" if position.condition else ""
            dissent.append(
                f"{position.member}, {position.stance.label} on “{proposal.title}”{words}"
                f"{condition}."
            )
            dissent_shown.add(mark)
    shown = frozenset(seen)
    open_now = sum(1 for p in proposals if p.status.value == "open")
    figures = (
        frame.figure(
            "decisions.proposals",
            "Proposals put to the meeting",
            len(proposals),
            "proposals",
            DECISIONS,
            shown,
        ),
        frame.figure(
            "decisions.open", "Proposals still open", open_now, "proposals", DECISIONS, shown
        ),
        frame.figure(
            "decisions.objections",
            "Objections standing",
            objections,
            "objections",
            DECISIONS,
            shown,
        ),
    )
    return Part(
        section=Section(
            title="Decisions asked of leaders",
            figures=figures,
            paragraphs=(
                f"{len(proposals)} proposals are put to this meeting, {open_now} still open."
                if proposals
                else "No proposal put to this meeting is visible to this reader.",
            ),
            columns=("Proposal", "Rule", "Status", "Deadline", "Positions", "Standing"),
            items=tuple(rows),
            shown=shown,
        ),
        inputs={
            "proposal_ids": [p.id for p in proposals],
            "positions": {str(p.id): [x.id for x in found] for p, _, found in read},
        },
        sources=f"{DECISIONS}: proposals_for_meeting, outcome and list_positions of the decisions "
        "service",
        method="Each proposal under its own decision rule; the standing is the outcome if it "
        "closed on the positions stated now; dissent is every objection, constructive "
        "abstention and reservation stated, in the member's words.",
        dissent=tuple(dissent),
        dissent_shown=frozenset(dissent_shown),
    )


def frame_stamp(frame: Frame, moment: Any) -> str:
    """A time as printed in the pack's zone: ``14 March 2026 18:00 EET``."""
    here = moment.astimezone(frame.cutoff.tzinfo)
    return f"{here.day} {here:%B %Y %H:%M %Z}"
