"""The daily report's sections, from the facts of one day as one reader may see them. Pure.

:mod:`coalition.briefings.daily` reads the other capabilities through their services and
hands this module a :class:`Facts`: plain records of the day, each carrying the marking
(:data:`~coalition.core.marking.Shown`) of the record it came from. Every figure, row and
sentence here takes the markings of exactly the records it rests on, so the report's
overall marking is the highest of what it says and nothing it does not.

The sections follow the OSCE Special Monitoring Mission's daily reports and OCHA's
situation reports: what happened (violations by region and type), what it cost (civilian
impact), what moved (territory), what was claimed, and what monitoring could not see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from zoneinfo import ZoneInfo

from coalition.briefings.assembled import figure
from coalition.briefings.document import Figure, Row, Section, Value
from coalition.core.marking import Shown

# Incident types fired by heavy weapons in the monitoring missions' sense: artillery,
# missiles and aircraft (the ceasefire vocabulary's values).
HEAVY_WEAPONS = frozenset({"shelling", "missile", "air_strike"})

HEAVY = "by heavy weapons (shelling, missiles, air strikes)"

# The verification statuses of an incident counted (unfounded ones are not) that are
# neither corroborated nor verified: only reported, or disputed between sources.
UNCONFIRMED = frozenset({"reported", "disputed"})

REPORTS = "Ceasefire reports filed by monitors and sources"
INCIDENTS = "Ceasefire incidents (reports of one event grouped)"
CLAIMS = "Situation claims and their reviews"
NO_REGION = "region not given"


@dataclass(frozen=True)
class Agreement:
    """The ceasefire that governs the day: the latest the reader may see begun by then."""

    name: str
    starts_on: dt.date
    ends_on: dt.date
    status: str
    shown: Shown


@dataclass(frozen=True)
class ReportFact:
    """One report of the period; ``standing`` is how it stands against the agreement."""

    id: int
    region: str
    type: str
    standing: str  # violation, outside_scope, not_in_force, outside_area
    day_only: bool  # its time was given to the day only
    source: str
    source_kind: str
    owner: str
    shown: Shown
    illustrative: bool = False


@dataclass(frozen=True)
class IncidentFact:
    """One incident first seen in the period, its deaths reconciled over its sources."""

    id: int
    region: str
    in_area: bool
    status: str
    reports: int
    casualties_low: int
    casualties_high: int
    shown: Shown


@dataclass(frozen=True)
class TerritoryFact:
    """One source's held-territory snapshot of the day, against its latest before."""

    source: str
    method: str
    taken_on: dt.date
    area_km2: float
    illustrative: bool
    earlier_on: dt.date | None = None  # None: no earlier snapshot to compare with
    gained_km2: float = 0.0
    lost_km2: float = 0.0
    regions: tuple[tuple[str, float, float], ...] = ()  # name, gained, lost
    owners: tuple[str, ...] = ()
    shown: frozenset[Shown] = frozenset()


@dataclass(frozen=True)
class SnapshotFact:
    """The latest held snapshot the reader may see on or before the day."""

    source: str
    taken_on: dt.date
    shown: Shown


@dataclass(frozen=True)
class ReviewFact:
    """A review of a claim given by the cut-off."""

    reviewer: str
    kind: str
    owner: str
    in_period: bool
    shown: Shown


@dataclass(frozen=True)
class ClaimFact:
    """A claim made or reviewed in the period, with its status at the cut-off."""

    id: int
    summary: str
    claimant: str
    claimed_at: dt.datetime
    status: str  # unreviewed, disputed, supported, refuted
    made_in_period: bool
    reviews: tuple[ReviewFact, ...]
    shown: Shown  # the claim's own marking


@dataclass(frozen=True)
class Facts:
    """Everything one daily report says, as its reader may see it."""

    day: dt.date
    zone: str
    start: dt.datetime
    end: dt.datetime
    cutoff: dt.datetime
    today: bool  # cut off at the newest record, not at the end of the day
    cutoff_shown: frozenset[Shown] = frozenset()  # the record that set a today's cut-off
    agreement: Agreement | None = None
    reports: tuple[ReportFact, ...] = ()
    incidents: tuple[IncidentFact, ...] = ()
    week: Mapping[str, frozenset[Shown]] = field(default_factory=dict)  # region: reports
    territory: tuple[TerritoryFact, ...] = ()
    latest_snapshot: SnapshotFact | None = None
    claims: tuple[ClaimFact, ...] = ()


def stamp(moment: dt.datetime, zone: str) -> str:
    """``moment`` as printed in ``zone``: ``26 March 2025 00:00 EET (Europe/Kyiv)``."""
    here = moment.astimezone(ZoneInfo(zone))
    return f"{here.day} {here:%B %Y %H:%M %Z} ({zone})"


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _marks(records: Iterable[ReportFact | IncidentFact | ReviewFact]) -> frozenset[Shown]:
    return frozenset(r.shown for r in records)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _kind(value: str) -> str:
    return value.replace("_", " ")


def _km2(value: float) -> float:
    return round(value, 1)


def sections(
    facts: Facts, previous: Mapping[str, Value] | None, judgements: Sequence[str]
) -> list[Section]:
    """The seven sections of the daily report, in the order the document fixes."""
    fig = partial(figure, cutoff=facts.cutoff, previous=previous)
    return [
        summary(facts, fig, judgements),
        violations(facts, fig),
        territory(facts, fig),
        civilian_impact(facts, fig),
        disputed_claims(facts, fig),
        limits(facts, fig),
        sources(facts, fig),
    ]


Make = partial[Figure]


def _agreement(facts: Facts) -> frozenset[Shown]:
    return frozenset([facts.agreement.shown]) if facts.agreement else frozenset()


def _in_area(facts: Facts) -> list[ReportFact]:
    return [r for r in facts.reports if r.standing != "outside_area"]


def _violations(facts: Facts) -> list[ReportFact]:
    return [r for r in facts.reports if r.standing == "violation"]


def _area_incidents(facts: Facts) -> list[IncidentFact]:
    """The incidents in the area of operations that the report counts: unfounded ones are
    left out, as the summit pack leaves them out."""
    return [i for i in facts.incidents if i.in_area and i.status != "unfounded"]


def _unfounded(facts: Facts) -> list[IncidentFact]:
    """The incidents in the area found unfounded, counted in no figure."""
    return [i for i in facts.incidents if i.in_area and i.status == "unfounded"]


def _of_reports(
    fig: Make,
    key: str,
    label: str,
    held: Sequence[ReportFact],
    also: frozenset[Shown] = frozenset(),
) -> Figure:
    """A count of reports, resting on each report counted (and on ``also``)."""
    return fig(key, label, len(held), unit="reports", source=REPORTS, shown=_marks(held) | also)


def _of_incidents(fig: Make, key: str, label: str, held: Sequence[IncidentFact]) -> Figure:
    """A count of incidents, resting on each incident counted."""
    return fig(key, label, len(held), unit="incidents", source=INCIDENTS, shown=_marks(held))


def _of_claims(fig: Make, key: str, label: str, held: Sequence[ClaimFact]) -> Figure:
    """A count of claims, resting on each claim counted and the reviews that set its status."""
    return fig(key, label, len(held), unit="claims", source=CLAIMS, shown=_claim_marks(held))


def _deaths(fig: Make, key: str, label: str, deaths: int, held: Sequence[IncidentFact]) -> Figure:
    return fig(key, label, deaths, unit="deaths", source=INCIDENTS, shown=_marks(held))


def standing(facts: Facts) -> str:
    """The agreement's standing on the day, in one sentence."""
    a = facts.agreement
    if a is None:
        return "No ceasefire agreement is recorded for this day: no report counts as a violation."
    days = (facts.day - a.starts_on).days + 1
    if a.status == "proposed":
        return f"{a.name} is proposed, not agreed: no report counts as a violation."
    if facts.day > a.ends_on:
        return (
            f"Day {days} since {a.name} began; it ended on {_day(a.ends_on)}, so no report "
            "counts as a violation."
        )
    return f"Day {days} of {a.name}, which runs until {_day(a.ends_on)} ({_kind(a.status)})."


def summary(facts: Facts, fig: Make, judgements: Sequence[str]) -> Section:
    """The headline figures in a fixed order, then the analysts' judgements."""
    agreement = _agreement(facts)
    counted = _violations(facts)
    heavy = [r for r in counted if r.type in HEAVY_WEAPONS]
    incidents = _area_incidents(facts)
    deadly = [i for i in incidents if i.casualties_high]
    disputed = [c for c in facts.claims if c.status == "disputed"]
    figures = (
        _of_reports(
            fig, "summary.violations", "Reports of ceasefire violations", counted, agreement
        ),
        _of_reports(fig, "summary.heavy_weapons", f"of which {HEAVY}", heavy, agreement),
        _of_incidents(fig, "summary.incidents", "Incidents in the area of operations", incidents),
        _deaths(fig, "summary.fatalities", "Fatalities reported", _high(deadly), deadly),
        _territory_headline(facts, fig),
        _of_claims(fig, "summary.claims_disputed", "Claims disputed at the cut-off", disputed),
    )
    return Section(
        "Summary", figures=figures, paragraphs=(standing(facts), *judgements), shown=agreement
    )


def _high(incidents: Iterable[IncidentFact]) -> int:
    return sum(i.casualties_high for i in incidents)


def _low(incidents: Iterable[IncidentFact]) -> int:
    return sum(i.casualties_low for i in incidents)


def _territory_headline(facts: Facts, fig: Make) -> Figure:
    """The first source's net change (in the alphabet), or a plain statement of none."""
    compared = [t for t in facts.territory if t.earlier_on is not None]
    if compared:
        first = compared[0]
        return fig(
            f"summary.territory.{first.source}",
            f"Net change in held territory ({first.source})",
            _km2(first.gained_km2 - first.lost_km2),
            unit="km²",
            source=f"Control snapshots of {first.source}",
            shown=first.shown,
        )
    said = "first snapshot, none earlier to compare" if facts.territory else "no snapshot"
    return fig(
        "summary.territory",
        "Change in held territory",
        f"{said} in the period",
        unit="",
        source="Control snapshots",
        shown=frozenset().union(*(t.shown for t in facts.territory)),
    )


def violations(facts: Facts, fig: Make) -> Section:
    """Reports by region and type, and which of them the agreement counts as violations."""
    agreement = _agreement(facts)
    in_area = _in_area(facts)
    cells: dict[tuple[str, str], list[ReportFact]] = {}
    for r in in_area:
        cells.setdefault((r.region or NO_REGION, r.type), []).append(r)
    rows = tuple(
        Row(
            (region, _kind(kind), str(len(held)), str(_count(held, "violation"))),
            _marks(held) | agreement,
        )
        for (region, kind), held in sorted(cells.items())
    )

    def counted_as(key: str, label: str) -> Figure:
        held = [r for r in in_area if r.standing == key]
        name = "violations" if key == "violation" else key
        return _of_reports(fig, f"violations.{name}", label, held, agreement)

    figures = (
        _of_reports(fig, "violations.reports", "Reports in the area of operations", in_area),
        counted_as("violation", "of which ceasefire violations"),
        counted_as("outside_scope", "of which of a type the agreement's scope does not cover"),
        counted_as("not_in_force", "of which on a day the agreement was not in force"),
    )
    paragraphs = [
        "A report is a violation when the agreement is in force on its day, its scope "
        "covers the report's type and it is placed inside the area of operations. Each "
        "source's report of an event counts, so one event may count more than once; "
        "incidents count events once."
    ]
    if not in_area:
        paragraphs.append("No report was placed in the area of operations in the period.")
    return Section(
        "Violations by sector and type",
        figures=figures,
        paragraphs=tuple(paragraphs),
        columns=("Region", "Type", "Reports", "Violations"),
        items=rows,
    )


def territory(facts: Facts, fig: Make) -> Section:
    """Each source's change in held territory over the day, with its source and method."""
    figures: list[Figure] = []
    paragraphs: list[str] = []
    rows: list[Row] = []
    for t in facts.territory:
        name = f"Control snapshot {t.source} of {_day(t.taken_on)}"

        def km2(key: str, label: str, value: float, t: TerritoryFact = t, name: str = name) -> None:
            figures.append(
                fig(
                    f"territory.{t.source}.{key}",
                    f"{label} ({t.source})",
                    _km2(value),
                    unit="km²",
                    source=name,
                    shown=t.shown,
                )
            )

        method = t.method.strip().rstrip(".") or "no method stated"
        note = " Illustrative: not a real figure." if t.illustrative else ""
        km2("area_km2", "Held territory", t.area_km2)
        if t.earlier_on is None:
            paragraphs.append(
                f"{name}: the source's first held snapshot, none earlier to compare with. "
                f"Method: {method}.{note}"
            )
            continue
        paragraphs.append(
            f"{name}, against its snapshot of {_day(t.earlier_on)}. Method: {method}.{note}"
        )
        km2("net_km2", "Net change in held territory", t.gained_km2 - t.lost_km2)
        km2("gained_km2", "Territory gained", t.gained_km2)
        km2("lost_km2", "Territory lost", t.lost_km2)
        rows += [
            Row((t.source, region, f"{gained:,.1f}", f"{lost:,.1f}"), t.shown)
            for region, gained, lost in t.regions
            if gained or lost
        ]
    shown: frozenset[Shown] = frozenset()
    if not facts.territory:
        paragraphs.append("No control snapshot in the period: no change in territory is given.")
        latest = facts.latest_snapshot
        if latest is not None:
            paragraphs.append(
                f"The latest held snapshot is {latest.source} of {_day(latest.taken_on)}."
            )
            shown = frozenset([latest.shown])
    paragraphs.append(
        "Areas are true areas on the WGS 84 ellipsoid, computed when the snapshot was "
        "recorded; a change compares the source's snapshot of the day with its latest before."
    )
    return Section(
        "Territory",
        figures=tuple(figures),
        paragraphs=tuple(paragraphs),
        columns=("Source", "Region", "Gained km²", "Lost km²"),
        items=tuple(rows),
        shown=shown,
    )


def civilian_impact(facts: Facts, fig: Make) -> Section:
    """Deaths reported, each incident counted once, and strikes on infrastructure."""
    deadly = [i for i in _area_incidents(facts) if i.casualties_high]
    strikes = [r for r in _in_area(facts) if r.type == "infrastructure_strike"]
    by_region: dict[str, list[IncidentFact]] = {}
    for i in deadly:
        by_region.setdefault(i.region or NO_REGION, []).append(i)
    rows = tuple(
        Row((region, str(len(held)), _range(_low(held), _high(held))), _marks(held))
        for region, held in sorted(by_region.items())
    )
    figures = (
        _deaths(
            fig,
            "civilian.fatalities",
            "Fatalities reported (each incident at its highest source figure)",
            _high(deadly),
            deadly,
        ),
        _deaths(
            fig,
            "civilian.fatalities_low",
            "Fatalities reported (each incident at its lowest source figure)",
            _low(deadly),
            deadly,
        ),
        _of_incidents(
            fig, "civilian.incidents_with_fatalities", "Incidents with fatalities", deadly
        ),
        _of_reports(
            fig, "civilian.infrastructure_strikes", "Reports of strikes on infrastructure", strikes
        ),
    )
    said = (
        "Fatalities are counted once per incident; where sources differ, the range gives "
        "their lowest and highest figures."
        if deadly
        else "No fatalities were recorded in the period."
    )
    return Section(
        "Civilian impact",
        figures=figures,
        paragraphs=(
            said,
            "The reports give deaths without telling civilians from combatants: no civilian "
            "harm is recorded as such.",
        ),
        columns=("Region", "Incidents with fatalities", "Fatalities"),
        items=rows,
    )


def _count(reports: Iterable[ReportFact], standing: str) -> int:
    return sum(r.standing == standing for r in reports)


def _range(low: int, high: int) -> str:
    return str(high) if low == high else f"{high} (sources give {low}–{high})"


def _claim_marks(claims: Iterable[ClaimFact]) -> frozenset[Shown]:
    return frozenset(s for c in claims for s in (c.shown, *(r.shown for r in c.reviews)))


def disputed_claims(facts: Facts, fig: Make) -> Section:
    """Claims made or reviewed in the period, with their status at the cut-off."""
    claims = facts.claims
    made = [c for c in claims if c.made_in_period]
    figures = [
        _of_claims(fig, "claims.in_period", "Claims made or reviewed in the period", claims),
        fig(
            "claims.made",
            "Claims made in the period",
            len(made),
            unit="claims",
            source=CLAIMS,
            shown=frozenset(c.shown for c in made),  # being made rests on no review
        ),
    ]
    figures += [
        _of_claims(
            fig,
            f"claims.{status}",
            f"Claims {status} at the cut-off",
            [c for c in claims if c.status == status],
        )
        for status in ("disputed", "refuted", "supported", "unreviewed")
    ]
    rows = tuple(
        Row(
            (c.summary, c.claimant, stamp(c.claimed_at, facts.zone), c.status, str(len(c.reviews))),
            _claim_marks([c]),
        )
        for c in claims
    )
    paragraphs = (
        (
            "A claim's status follows from each reviewer's latest review by the cut-off: "
            "supported or refuted when the firm reviews agree, disputed otherwise.",
        )
        if claims
        else ("No claim was made or reviewed in the period.",)
    )
    return Section(
        "Disputed claims",
        figures=tuple(figures),
        paragraphs=paragraphs,
        columns=("Claim", "Claimant", "Made", "Status at the cut-off", "Reviews"),
        items=rows,
    )


def limits(facts: Facts, fig: Make) -> Section:
    """What the data says of its own coverage: silent regions, unplaced and unverified."""
    outside = [r for r in facts.reports if r.standing == "outside_area"]
    incidents = _area_incidents(facts)
    heard = {r.region or NO_REGION for r in _in_area(facts)}
    silent = sorted(region for region in facts.week if region not in heard)
    silent_shown = frozenset(s for region in silent for s in facts.week[region])
    figures = (
        _of_reports(
            fig,
            "limits.out_of_area",
            "Reports placed outside the area of operations, held for review",
            outside,
        ),
        _of_incidents(
            fig,
            "limits.unverified",
            "Incidents neither corroborated nor verified",
            [i for i in incidents if i.status in UNCONFIRMED],
        ),
        _of_incidents(
            fig,
            "limits.disputed",
            "of which disputed",
            [i for i in incidents if i.status == "disputed"],
        ),
        _of_incidents(
            fig,
            "limits.single_source",
            "Incidents seen by one report only",
            [i for i in incidents if i.reports == 1],
        ),
        _of_reports(
            fig,
            "limits.day_only",
            "Reports giving the day but not the time",
            [r for r in facts.reports if r.day_only],
        ),
        fig(
            "limits.silent_regions",
            "Regions reporting in the seven days before but not in the period",
            len(silent),
            unit="regions",
            source=REPORTS,
            shown=silent_shown,
        ),
    )
    if silent:
        heard_before = "it" if len(silent) == 1 else "each"
        coverage = (
            f"No report came from {', '.join(silent)} in the period, though {heard_before} "
            "reported in the seven days before."
        )
    elif facts.week:
        coverage = "Every region that reported in the seven days before reported in the period."
    else:
        coverage = "No region reported in the seven days before the period."
    paragraphs = [
        coverage,
        "Figures count the reports and incidents this edition's reader may see, and no others.",
    ]
    unfounded = _unfounded(facts)
    if unfounded:
        paragraphs.append(
            f"{_plural(len(unfounded), 'incident')} in the area "
            f"{'was' if len(unfounded) == 1 else 'were'} found unfounded and "
            f"{'is' if len(unfounded) == 1 else 'are'} left out of every incident and "
            "fatality figure."
        )
    if outside:
        paragraphs.append(
            f"{_plural(len(outside), 'report')} placed outside the area of operations "
            f"{'is' if len(outside) == 1 else 'are'} held for review: counted here and among "
            "the period's reports and their sources, in no figure of violations, incidents, "
            "fatalities or regions."
        )
    return Section(
        "Limits of monitoring",
        figures=figures,
        paragraphs=tuple(paragraphs),
        shown=silent_shown | _marks(unfounded),
    )


def sources(facts: Facts, fig: Make) -> Section:
    """Which sources fed the report, the period, the cut-off and the zone."""
    by_source: dict[tuple[str, str, str], list[ReportFact]] = {}
    for r in facts.reports:
        by_source.setdefault((r.source, _kind(r.source_kind), r.owner), []).append(r)
    rows = [
        Row((name, kind, owner, str(len(held))), _marks(held))
        for (name, kind, owner), held in sorted(by_source.items())
    ]
    a = facts.agreement
    if a is not None:
        rows.append(Row((a.name, "ceasefire agreement", a.shown[1], "1"), frozenset([a.shown])))
    rows += [
        Row(
            (t.source, "control snapshot", ", ".join(t.owners), "2" if t.earlier_on else "1"),
            t.shown,
        )
        for t in facts.territory
    ]
    reviews: dict[tuple[str, str, str], list[ReviewFact]] = {}
    for c in facts.claims:
        for review in c.reviews:
            if review.in_period:
                key = (review.reviewer, _kind(review.kind), review.owner)
                reviews.setdefault(key, []).append(review)
    rows += [
        Row((name, f"claim review ({kind})", owner, str(len(held))), _marks(held))
        for (name, kind, owner), held in sorted(reviews.items())
    ]
    cut = (
        "cut off at the newest record not after the time of assembly"
        if facts.today
        else "cut off at the end of the day"
    )
    figures = (
        _of_reports(fig, "sources.reports", "Reports in the period", facts.reports),
        fig(
            "sources.report_sources",
            "Report sources",
            len(by_source),
            unit="sources",
            source=REPORTS,
            shown=_marks(facts.reports),
        ),
    )
    paragraphs = [
        f"The period runs from {stamp(facts.start, facts.zone)} to "
        f"{stamp(facts.end, facts.zone)}, {cut}: {stamp(facts.cutoff, facts.zone)}.",
        f"Times are given in {facts.zone}; territory snapshots are dated by day.",
        "Rows give each source of reports, control snapshots and claim reviews in the "
        "period, the member that provided it, and how many records it gave.",
    ]
    invented = [r for r in facts.reports if r.illustrative]
    if invented:
        paragraphs.append(
            f"{_plural(len(invented), 'report')} of the period "
            f"{'is' if len(invented) == 1 else 'are'} illustrative: invented for a "
            "demonstration, not real events."
        )
    return Section(
        "Sources and method",
        figures=figures,
        paragraphs=tuple(paragraphs),
        columns=("Source", "Kind", "Provided by", "Records in the period"),
        items=tuple(rows),
        shown=facts.cutoff_shown | _marks(invented),
    )
