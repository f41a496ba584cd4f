"""What a summit pack reads from each capability, one part per section.

Each function reads one capability through its service functions, under the one reader a
pack is made for, inside one :func:`~coalition.core.marking.noting` block: the section
carries the markings of everything those calls showed or counted, and a figure or row
that rests on fewer records carries theirs. A part also hands back the plain inputs it was
computed from (ids and counts, for the pack's digest), the figures of the period that the
"Changes since the last summit" section prints, and the sources and method the annex
names.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from coalition.briefings.assembled import figure
from coalition.briefings.document import Figure, Row, Section, Value, grouped
from coalition.ceasefire import service as ceasefire
from coalition.commitments import service as commitments
from coalition.core.marking import Shown, encode_release, noting
from coalition.core.principal import Principal
from coalition.core.schemas import MarkingOut
from coalition.forcegen import service as forcegen

PAGE = 500  # rows read a page at a time from the listing functions
TOP = 10  # rows of a ranked table (gaps to close, disputed claims)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Frame:
    """What every part reads under: the reader, the meeting, the period and its cut-off.

    The period runs from ``start`` to ``cutoff`` (the start of the meeting's day in the
    pack's zone); dated records count from ``first_day`` to ``last_day``, the last whole
    day before the cut-off.
    """

    session: Session
    principal: Principal
    meeting_id: int
    start: dt.datetime
    cutoff: dt.datetime
    previous: Mapping[str, Value] | None

    @property
    def first_day(self) -> dt.date:
        return min(self.start.date(), self.last_day)

    @property
    def last_day(self) -> dt.date:
        return self.cutoff.date() - dt.timedelta(days=1)

    def figure(
        self, key: str, label: str, value: Value, unit: str, source: str, shown: Iterable[Shown]
    ) -> Figure:
        """A figure cut off at the pack's cut-off, compared with the previous pack's."""
        return figure(
            key,
            label,
            value,
            unit=unit,
            source=source,
            cutoff=self.cutoff,
            previous=self.previous,
            shown=shown,
        )


@dataclass(frozen=True)
class Part:
    """One section as read, with what the rest of the pack takes from it."""

    section: Section
    inputs: dict[str, Any]
    sources: str
    method: str
    changes: tuple[Figure, ...] = ()
    dissent: tuple[str, ...] = ()
    dissent_shown: frozenset[Shown] = frozenset()


def shown_of(marking: MarkingOut) -> Shown:
    """The ``(marking, owner, rel_to)`` triple of a record from its marking on the wire."""
    return (marking.marking, marking.owner, encode_release(marking.rel_to) or None)


def percent(part: Decimal | int, whole: Decimal | int) -> float:
    """``part`` of ``whole`` in per cent, to one decimal (0 of nothing is 0)."""
    return round(float(Decimal(part) * 100 / Decimal(whole)), 1) if whole else 0.0


MILLION = Decimal(1_000_000)


def millions(value: Decimal) -> Decimal:
    """EUR as a briefing prints money: in millions, to the nearest ten thousand."""
    return (value / MILLION).quantize(CENT)


def euros(value: Decimal) -> str:
    return f"{grouped(millions(value))} EUR m"


# --- commitments and deliveries ------------------------------------------------------------

LEDGER = "Commitments ledger"


def _commitments(frame: Frame) -> list[Any]:
    """The live, not cancelled commitments announced by the last day, every page of them."""
    wanted = commitments.Filters(until=frame.last_day)
    found: list[Any] = []
    while True:
        page = commitments.list_commitments(
            frame.session, frame.principal, wanted, limit=PAGE, offset=len(found)
        )
        found += page.items
        if len(found) >= page.total or not page.items:
            break
    return sorted((c for c in found if c.status.value != "cancelled"), key=lambda c: c.id)


def commitments_part(frame: Frame) -> Part:
    """Pledged against delivered by the cut-off, by member, and what the period added."""
    session, principal = frame.session, frame.principal
    # The listing notes cancelled pledges too; the section rests on the others alone, so
    # its markings are taken from the commitments it counts.
    with noting():
        total = commitments.summary(session, principal, commitments.Filters(until=frame.last_day))
        period = commitments.summary(
            session,
            principal,
            commitments.Filters(since=frame.first_day, until=frame.last_day),
        )
        rows = _commitments(frame)
        deliveries = {
            c.id: [
                d
                for d in commitments.list_deliveries(session, principal, c.id)
                if d.delivered_on <= frame.last_day and d.value_eur is not None
            ]
            for c in rows
            if c.delivered_value_eur is not None
        }
    by_member: dict[str, set[Shown]] = defaultdict(set)
    delivered: dict[str, Decimal] = defaultdict(Decimal)
    delivered_in_period = Decimal(0)
    period_shown: set[Shown] = set()
    for c in rows:
        by_member[c.member].add(shown_of(c.marking))
        if c.announced_on is not None and c.announced_on >= frame.first_day:
            period_shown.add(shown_of(c.marking))
        for d in deliveries.get(c.id, ()):
            value = d.value_eur or Decimal(0)
            delivered[c.member] += value
            if d.delivered_on >= frame.first_day:
                delivered_in_period += value
                period_shown.add(shown_of(c.marking))
    all_shown = frozenset(shown_of(c.marking) for c in rows)
    delivered_total = sum(delivered.values(), Decimal(0)).quantize(CENT)
    share = percent(delivered_total, total.pledged_eur)

    def fig(key: str, label: str, value: Value, unit: str, shown: Iterable[Shown]) -> Figure:
        return frame.figure(key, label, value, unit, LEDGER, shown)

    figures = (
        fig(
            "commitments.count",
            "Commitments announced",
            total.commitments,
            "commitments",
            all_shown,
        ),
        fig("commitments.pledged_eur", "Pledged", millions(total.pledged_eur), "EUR m", all_shown),
        fig(
            "commitments.delivered_eur",
            "Delivered by the cut-off",
            millions(delivered_total),
            "EUR m",
            all_shown,
        ),
        fig(
            "commitments.delivered_share",
            "Delivered share of the value pledged",
            share,
            "%",
            all_shown,
        ),
    )
    changes = (
        fig(
            "changes.commitments",
            "New commitments in the period",
            period.commitments,
            "commitments",
            period_shown,
        ),
        fig(
            "changes.pledged_eur",
            "Pledged in the period",
            millions(period.pledged_eur),
            "EUR m",
            period_shown,
        ),
        fig(
            "changes.delivered_eur",
            "Delivered in the period",
            millions(delivered_in_period),
            "EUR m",
            period_shown,
        ),
    )
    table = tuple(
        Row(
            (
                m.member,
                m.name,
                str(m.commitments),
                euros(m.pledged_eur),
                euros(delivered[m.member]),
                f"{percent(delivered[m.member], m.pledged_eur)} %",
            ),
            frozenset(by_member[m.member]),
        )
        for m in sorted(total.by_member, key=lambda m: (-m.pledged_eur, m.member))
    )
    undated = f" {total.undated} undated commitments are not counted." if total.undated else ""
    section = Section(
        title="Commitments and deliveries",
        figures=figures,
        paragraphs=(
            f"{grouped(total.commitments)} commitments announced by {day(frame.last_day)} "
            f"pledge {euros(total.pledged_eur)}, of which {euros(delivered_total)} ({share} %) "
            f"had been delivered by then.{undated}",
        ),
        columns=("Member", "Name", "Commitments", "Pledged", "Delivered", "Delivered share"),
        items=table,
        shown=all_shown,
    )
    return Part(
        section=section,
        inputs={
            "commitment_ids": [c.id for c in rows],
            "revisions": [c.revision for c in rows],
            "delivery_ids": sorted(d.id for found in deliveries.values() for d in found),
            "pledged_eur": str(total.pledged_eur),
            "delivered_eur": str(delivered_total),
        },
        sources=f"{LEDGER}: summary, list_commitments and list_deliveries of the commitments "
        "service",
        method="Commitments announced by the last day before the cut-off, neither cancelled nor "
        "undated, in EUR at the ECB reference rate of each pledge's day; deliveries dated by "
        "that day, in EUR at the rate of their own day; a delivered share is value delivered "
        "over value pledged.",
        changes=changes,
    )


def day(on: dt.date) -> str:
    """A day as printed: ``14 March 2026``."""
    return f"{on.day} {on:%B %Y}"


# --- force generation and the backstop ----------------------------------------------------

FORCE = "Statement of requirements and national offers"


def force_part(frame: Frame) -> Part:
    """Requirements against the offers that fill them, with the backstop and without it."""
    with noting() as seen:
        plan = forcegen.backstop_plan(frame.session, frame.principal)
    required = filled = without = 0
    table: list[Row] = []
    lines = 0
    resting: list[str] = []
    if plan is not None:
        lines = len(plan.with_backstop.fills)
        by_capability: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        alone = {f.requirement_id: f.filled for f in plan.without_backstop.fills}
        for f in plan.with_backstop.fills:
            counts = by_capability[f.capability]
            counts[0] += f.required
            counts[1] += f.filled
            counts[2] += alone.get(f.requirement_id, 0)
        required = sum(c[0] for c in by_capability.values())
        filled = sum(c[1] for c in by_capability.values())
        without = sum(c[2] for c in by_capability.values())
        table = [
            Row((code, str(c[0]), str(c[1]), str(c[2]), str(c[1] - c[2])), frozenset(seen))
            for code, c in sorted(by_capability.items())
        ]
        resting = sorted({d.capability for d in plan.dependencies})
    shown = frozenset(seen)

    def fig(key: str, label: str, value: Value, unit: str) -> Figure:
        return frame.figure(key, label, value, unit, FORCE, shown)

    figures = (
        fig("force.required", "Units required", required, "units"),
        fig("force.filled", "Units filled with the backstop", filled, "units"),
        fig("force.fill", "Fill with the backstop", percent(filled, required), "%"),
        fig("force.filled_without_backstop", "Units filled without the backstop", without, "units"),
        fig(
            "force.fill_without_backstop",
            "Fill without the backstop",
            percent(without, required),
            "%",
        ),
        fig("force.on_backstop", "Units resting on the backstop", filled - without, "units"),
    )
    if plan is None:
        said = "No line of the statement of requirements is visible to this reader."
    else:
        rests = (
            f"What rests on the backstop: {', '.join(resting)}."
            if resting
            else "Nothing in the plan rests on the backstop."
        )
        said = (
            f"{grouped(filled)} of {grouped(required)} units required are filled "
            f"({percent(filled, required)} %) with the backstop assumed, "
            f"{grouped(without)} without it. {rests}"
        )
        if plan.headline.status != "optimal":
            said += f" The solver stopped at its time limit, {plan.headline.gap:.1%} from the best."
    return Part(
        section=Section(
            title="Force generation and the backstop",
            figures=figures,
            paragraphs=(said,),
            columns=(
                "Capability",
                "Required",
                "Filled",
                "Filled without the backstop",
                "Resting on the backstop",
            ),
            items=tuple(table),
            shown=shown,
        ),
        inputs={
            "requirement_lines": lines,
            "required": required,
            "filled": filled,
            "filled_without_backstop": without,
            "resting_on_backstop": resting,
        },
        sources=f"{FORCE}: backstop_plan of the force-generation service",
        method="The requirement lines and offers as they stand at assembly, solved under the "
        "default scenario (every member; offered and confirmed offers) with and without the "
        "backstop's enablers: what is filled only with them rests on the backstop.",
    )


# --- the ceasefire's record ----------------------------------------------------------------

MONITORING = "Ceasefire monitoring reports"


def _incidents(frame: Frame) -> list[Any]:
    found: list[Any] = []
    cursor = None
    while True:
        page = ceasefire.list_incidents(
            frame.session,
            frame.principal,
            since=frame.start,
            until=frame.cutoff,
            cursor=cursor,
            limit=PAGE,
        )
        found += page.items
        cursor = page.next_cursor
        if cursor is None:
            return found


def ceasefire_part(frame: Frame) -> Part:
    """Incidents and violations in the period, by type and week, and where the ceasefire
    stands on the summit's day."""
    meeting_day = frame.cutoff.date()
    with noting():
        ceasefires = ceasefire.list_ceasefires(frame.session, frame.principal)
        incidents = [i for i in _incidents(frame) if i.status.value != "unfounded"]
    agreement = ceasefire.governing(ceasefires, meeting_day)
    incidents.sort(key=lambda i: (i.first_at, i.id))
    terms: set[Shown] = {shown_of(agreement.marking)} if agreement is not None else set()
    # Each incident stands against the ceasefire governing its own day, by the daily
    # report's rule: a violation rests on that agreement as well as on the incident.
    governed = {i.id: ceasefire.governing(ceasefires, _day_of(frame, i)) for i in incidents}
    rules = {shown_of(c.marking) for c in governed.values() if c is not None} | terms
    violations = [
        i
        for i in incidents
        if ceasefire.against_agreement(governed[i.id], _day_of(frame, i), i) == "violation"
    ]
    counted = frozenset(shown_of(i.marking) for i in incidents)
    breaches = frozenset(shown_of(i.marking) for i in violations) | rules
    # Unfounded incidents are listed (and noted) but not counted: the section rests on the
    # agreements and the incidents counted alone.
    shown = counted | breaches
    by_type: dict[str, list[Any]] = defaultdict(list)
    by_week: dict[str, int] = defaultdict(int)
    for i in incidents:
        by_type[i.type.value].append(i)
        year, week, _ = _local(frame, i.first_at).isocalendar()
        by_week[f"{year}-W{week:02d}"] += 1
    verified = sum(1 for i in violations if i.status.value == "verified")
    figures = [
        frame.figure("ceasefire.incidents", "Incidents reported in the period", len(incidents),
                     "incidents", MONITORING, counted),
        frame.figure("ceasefire.violations", "Violations of the ceasefire in the period",
                     len(violations), "incidents", MONITORING, breaches),
        frame.figure("ceasefire.verified", "Violations verified", verified, "incidents",
                     MONITORING, breaches),
        frame.figure("ceasefire.deaths", "Deaths reported in the period's incidents",
                     sum(i.casualties for i in incidents), "deaths", MONITORING, counted),
    ]  # fmt: skip
    if agreement is not None:
        length = agreement.duration_days + agreement.extension_days
        standing = (
            f"{agreement.name} ({agreement.status.value.replace('_', ' ')}) began on "
            f"{day(agreement.starts_on)} for {length} days, to {day(agreement.ends_on)}."
        )
        number = (meeting_day - agreement.starts_on).days + 1
        if number <= length:
            standing += f" The summit falls on its day {number}."
            figures.append(
                frame.figure("ceasefire.day", "Day of the ceasefire at the summit", number, "",
                             MONITORING, terms)
            )  # fmt: skip
        figures.append(
            frame.figure("ceasefire.status", "Ceasefire status", agreement.status.value, "",
                         MONITORING, terms)
        )  # fmt: skip
    else:
        standing = "No ceasefire that had begun by the summit is recorded for this reader."
    weeks = "; ".join(f"{week}: {n}" for week, n in sorted(by_week.items()))
    paragraphs = [
        standing,
        f"Incidents by week: {weeks}." if weeks else "No incident is recorded in the period.",
    ]
    return Part(
        section=Section(
            title="The ceasefire's record",
            figures=tuple(figures),
            paragraphs=tuple(paragraphs),
            columns=("Type", "Incidents", "Violations", "Verified violations", "Deaths"),
            items=tuple(
                _type_row(kind, found, {i.id for i in violations}, rules)
                for kind, found in sorted(by_type.items(), key=lambda kv: (-len(kv[1]), kv[0]))
            ),
            shown=shown,
        ),
        inputs={
            "ceasefire_id": agreement.id if agreement is not None else None,
            "governing_ceasefire_ids": sorted({c.id for c in governed.values() if c}),
            "incident_ids": [i.id for i in incidents],
            "violation_ids": [i.id for i in violations],
        },
        sources=f"{MONITORING}: list_ceasefires and list_incidents of the ceasefire service",
        method="An incident is the reports grouped as one event, first reported in the period "
        "and not found unfounded; a violation is an incident that stands against the ceasefire "
        "governing its day as a report does in the daily report: that ceasefire agreed (not "
        "only proposed) and in force on the day, its scope covering the incident's type, and "
        "the incident inside the area of operations; deaths are each incident's highest "
        "sourced figure.",
    )


def _local(frame: Frame, moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(frame.cutoff.tzinfo)


def _day_of(frame: Frame, incident: Any) -> dt.date:
    """The day (in the pack's zone) the incident was first reported on."""
    return _local(frame, incident.first_at).date()


def _type_row(kind: str, found: list[Any], violations: set[int], terms: set[Shown]) -> Row:
    """One type of incident: how many, how many violations, verified, deaths."""
    breaches = [i for i in found if i.id in violations]
    return Row(
        (
            kind.replace("_", " "),
            str(len(found)),
            str(len(breaches)),
            str(sum(1 for i in breaches if i.status.value == "verified")),
            str(sum(i.casualties for i in found)),
        ),
        frozenset(shown_of(i.marking) for i in found) | terms,
    )
