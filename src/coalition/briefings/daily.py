"""The daily report: one day of the ceasefire, assembled for one reader from what they may see.

The day runs from 00:00 to 24:00 in the report's time zone (Kyiv's by default, where the
monitoring happens) and is cut off at its end, or, for today, at the newest record the
reader may see that is not after the time of assembly. The report reads the ceasefire and
situation capabilities through their service functions only, always as its reader: a
record hidden from the reader changes nothing in it, not a count, not a cut-off, not an
input. The sections themselves are built from the facts gathered here by
:mod:`coalition.briefings.daily_sections`, which reads no database.

The edition number is the day of the ceasefire that governs the day (the latest the reader
may see that had begun by then): day 1 is its first day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from coalition.briefings import daily_sections as parts
from coalition.briefings.assembled import Assembled
from coalition.briefings.document import Value, build
from coalition.briefings.language import check
from coalition.ceasefire import service as ceasefire
from coalition.ceasefire.service import (  # type: ignore[attr-defined]
    CeasefirePublic,
    IncidentPublic,
    ReportPublic,
)
from coalition.core.errors import Invalid, NotFound
from coalition.core.marking import Shown, encode_release
from coalition.core.principal import Principal
from coalition.situation import service as situation

# The wire shapes the services take and give, named through the services themselves: the
# one surface a briefing may import from another capability.
from coalition.situation.service import (  # type: ignore[attr-defined]
    ChangeQuery,
    ClaimOut,
    SnapshotFilters,
    SnapshotOut,
)

ZONE = "Europe/Kyiv"
WEEK = dt.timedelta(days=7)  # how far back "regions that usually report" looks
PAGE = 1000  # records read per call of a paged service function
HELD = "held"


def _shown(record: Any) -> Shown:
    """The marking triple of a record as its public shape gives it."""
    m = record.marking
    return (m.marking, m.owner, encode_release(m.rel_to) or None)


def _zone(zone: str) -> ZoneInfo:
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise Invalid(f"not a time zone: {zone!r}") from error


def _period(day: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The day's start and end (00:00 to 24:00 in ``zone``), in UTC."""
    start = dt.datetime.combine(day, dt.time(), zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def previous_day(session: Session, principal: Principal, day: dt.date) -> dt.date | None:
    """The day of the previous daily report: day - 1, or None when `day` is the first day of
    monitoring (the start of the earliest ceasefire visible to the principal) or earlier."""
    starts = [c.starts_on for c in ceasefire.list_ceasefires(session, principal)]
    if not starts or day <= min(starts):
        return None
    return day - dt.timedelta(days=1)


def _reports(
    session: Session, principal: Principal, since: dt.datetime, until: dt.datetime
) -> list[ReportPublic]:
    found: list[ReportPublic] = []
    cursor: str | None = None
    while True:
        page = ceasefire.list_reports(
            session, principal, since=since, until=until, cursor=cursor, limit=PAGE
        )
        found += page.items
        cursor = page.next_cursor
        if cursor is None:
            return found


def _incidents(
    session: Session, principal: Principal, since: dt.datetime, until: dt.datetime
) -> list[IncidentPublic]:
    found: list[IncidentPublic] = []
    cursor: str | None = None
    while True:
        page = ceasefire.list_incidents(
            session, principal, since=since, until=until, cursor=cursor, limit=PAGE
        )
        found += page.items
        cursor = page.next_cursor
        if cursor is None:
            return found


def _cutoff(
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    reports: Sequence[ReportPublic],
    claims: Sequence[ClaimOut],
) -> tuple[dt.datetime, frozenset[Shown]]:
    """The end of the day, or for today the newest record not after ``now`` (the start of
    the day when there is none), with the marking of the record that set it."""
    if now >= end:
        return end, frozenset()
    times: list[tuple[dt.datetime, Shown]] = [(r.occurred_at, _shown(r)) for r in reports]
    for c in claims:
        times.append((c.claimed_at, _shown(c)))
        times += [(r.reviewed_at, _shown(r)) for r in c.reviews]
    held = [(at, shown) for at, shown in times if start <= at <= now]
    if not held:
        return start, frozenset()
    newest = max(at for at, _ in held)
    return newest, frozenset(shown for at, shown in held if at == newest)


def _territory(
    session: Session, principal: Principal, day: dt.date
) -> tuple[list[parts.TerritoryFact], list[SnapshotOut]]:
    """Each held snapshot of the day against its source's latest before, by source."""
    snapshots: list[SnapshotOut] = []
    while True:
        page = situation.snapshot_page(
            session,
            principal,
            SnapshotFilters(layer=HELD, since=day, until=day),
            limit=500,
            offset=len(snapshots),
        )
        snapshots += page.items
        if not page.items or len(snapshots) >= page.total:
            break
    facts: list[parts.TerritoryFact] = []
    used: list[SnapshotOut] = []
    for snapshot in sorted(snapshots, key=lambda s: s.source):
        base = parts.TerritoryFact(
            source=snapshot.source,
            method=snapshot.method,
            taken_on=snapshot.taken_on,
            area_km2=snapshot.area_km2,
            illustrative=snapshot.illustrative,
            owners=(snapshot.marking.owner,),
            shown=frozenset([_shown(snapshot)]),
        )
        used.append(snapshot)
        query = ChangeQuery.model_validate(
            {"source": snapshot.source, "from": day - dt.timedelta(days=1), "to": day}
        )
        try:
            change = situation.change_out(session, principal, query)
        except NotFound:  # the source's first snapshot
            facts.append(base)
            continue
        used.append(change.earlier)
        facts.append(
            parts.TerritoryFact(
                source=base.source,
                method=base.method,
                taken_on=base.taken_on,
                area_km2=base.area_km2,
                illustrative=base.illustrative or change.earlier.illustrative,
                earlier_on=change.earlier.taken_on,
                gained_km2=change.gained_km2,
                lost_km2=change.lost_km2,
                regions=tuple((r.name, r.gained_km2, r.lost_km2) for r in change.regions),
                owners=tuple(sorted({snapshot.marking.owner, change.earlier.marking.owner})),
                shown=base.shown | {_shown(change.earlier)},
            )
        )
    return facts, used


def _latest_snapshot(session: Session, principal: Principal, day: dt.date) -> SnapshotOut | None:
    page = situation.snapshot_page(
        session, principal, SnapshotFilters(layer=HELD, until=day), limit=1, offset=0
    )
    return page.items[0] if page.items else None


def _claim(claim: ClaimOut, start: dt.datetime, cutoff: dt.datetime) -> parts.ClaimFact | None:
    """The claim as it stood at the cut-off, or None when nothing of it falls in the period."""
    reviews = [r for r in claim.reviews if r.reviewed_at <= cutoff]
    made = start <= claim.claimed_at <= cutoff
    reviewed = [r for r in reviews if r.reviewed_at >= start]
    if not (made or reviewed):
        return None
    changes = [status for at, status in claim.history if at <= cutoff]
    return parts.ClaimFact(
        id=claim.id,
        summary=claim.summary,
        claimant=claim.claimant,
        claimed_at=claim.claimed_at,
        status=changes[-1] if changes else "unreviewed",
        made_in_period=made,
        reviews=tuple(
            parts.ReviewFact(
                r.reviewer, r.reviewer_kind, r.marking.owner, r.reviewed_at >= start, _shown(r)
            )
            for r in reviews
        ),
        shown=_shown(claim),
    )


def _check_judgements(judgements: Sequence[str]) -> None:
    """Refuse judgements that leave the probability yardstick, naming each problem."""
    said = [
        f"judgement {n}: {p.what} ({p.suggestion})"
        for n, text in enumerate(judgements, start=1)
        for p in check(text)
    ]
    if said:
        raise Invalid("; ".join(said))


def _report_fact(r: ReportPublic, standing: str) -> parts.ReportFact:
    return parts.ReportFact(
        id=r.id,
        region=r.region,
        type=r.type.value,
        standing=standing,
        day_only=r.time_precision.value == "day",
        source=r.source_name,
        source_kind=r.source_kind.value,
        owner=r.marking.owner,
        shown=_shown(r),
        illustrative=r.illustrative,
    )


def _incident_fact(i: IncidentPublic, in_area: bool) -> parts.IncidentFact:
    return parts.IncidentFact(
        id=i.id,
        region=i.region,
        in_area=in_area,
        status=i.status.value,
        reports=i.report_count,
        casualties_low=i.casualties_low,
        casualties_high=i.casualties_high,
        shown=_shown(i),
    )


def _agreement_fact(c: CeasefirePublic | None) -> parts.Agreement | None:
    if c is None:
        return None
    return parts.Agreement(c.name, c.starts_on, c.ends_on, c.status.value, _shown(c))


def _week(
    session: Session, principal: Principal, day: dt.date, start: dt.datetime
) -> tuple[dict[str, frozenset[Shown]], list[int]]:
    """The regions inside the area of operations that reported in the seven days before the
    period, with the markings of their reports; and those reports' ids."""
    week = _reports(session, principal, start - WEEK, start)
    regions: dict[str, set[Shown]] = {}
    for r in week:
        if ceasefire.against_agreement(None, day, r) != "outside_area":
            regions.setdefault(r.region or parts.NO_REGION, set()).add(_shown(r))
    shown = {region: frozenset(marks) for region, marks in regions.items()}
    return shown, sorted(r.id for r in week)


def _gather(
    session: Session, principal: Principal, day: dt.date, zone: str, now: dt.datetime
) -> tuple[parts.Facts, CeasefirePublic | None, dict[str, Any]]:
    """The day's facts as ``principal`` may see them, the agreement governing it, and the
    ids and versions of every record read (the inputs the report rests on)."""
    start, end = _period(day, _zone(zone))
    agreement = ceasefire.governing(ceasefire.list_ceasefires(session, principal), day)
    reports = _reports(session, principal, start, end)
    claims = situation.claims_in_period(session, principal, start, end)
    cutoff, cutoff_shown = _cutoff(start, end, now, reports, claims)
    reports = sorted((r for r in reports if r.occurred_at <= cutoff), key=lambda r: r.id)
    standing = {r.id: ceasefire.against_agreement(agreement, day, r) for r in reports}
    in_area = {r.incident_id for r in reports if standing[r.id] != "outside_area"}
    incidents = sorted(
        (i for i in _incidents(session, principal, start, end) if i.first_at <= cutoff),
        key=lambda i: i.id,
    )
    week, week_ids = _week(session, principal, day, start)
    territory, snapshots = _territory(session, principal, day)
    latest = None if territory else _latest_snapshot(session, principal, day)
    kept = [c for c in (_claim(claim, start, cutoff) for claim in claims) if c is not None]
    facts = parts.Facts(
        day=day,
        zone=zone,
        start=start,
        end=end,
        cutoff=cutoff,
        today=cutoff < end,
        cutoff_shown=cutoff_shown,
        agreement=_agreement_fact(agreement),
        reports=tuple(_report_fact(r, standing[r.id]) for r in reports),
        incidents=tuple(_incident_fact(i, i.id in in_area) for i in incidents),
        week=week,
        territory=tuple(territory),
        latest_snapshot=None
        if latest is None
        else parts.SnapshotFact(latest.source, latest.taken_on, _shown(latest)),
        claims=tuple(kept),
    )
    read = {
        "ceasefire": None if agreement is None else [agreement.id, agreement.version],
        "reports": [r.id for r in reports],
        "incidents": [
            [i.id, i.status.value, i.report_count, i.casualties_low, i.casualties_high]
            for i in incidents
        ],
        "week_reports": week_ids,
        "snapshots": sorted([s.id, s.shape_sha256, s.method] for s in snapshots),
        "latest_snapshot": None if latest is None else latest.id,
        "claims": sorted([c.id, c.version, sorted(r.id for r in c.reviews)] for c in claims),
        "statuses": {str(c.id): c.status for c in kept},
    }
    return facts, agreement, read


def assemble(
    session: Session,
    principal: Principal,
    day: dt.date,
    *,
    previous: Mapping[str, Value] | None,
    judgements: Sequence[str] = (),
    zone: str = ZONE,
    now: dt.datetime | None = None,
) -> Assembled:
    """The daily report for `day` (00:00 to 24:00 in `zone`, cut off at the end of the day, or,
    for today, at the newest report time not after now) as `principal` may see it.

    ``now`` is the time of assembly (the clock's when not given). Raises :class:`Invalid`
    for a day not yet begun, an unknown zone, or judgements off the probability yardstick.
    """
    moment = dt.datetime.now(dt.UTC) if now is None else now
    if moment.utcoffset() is None:
        raise Invalid("the time of assembly has no time zone")
    if day > moment.astimezone(_zone(zone)).date():
        raise Invalid(f"no daily report for {day.isoformat()}: the day has not begun in {zone}")
    judgements = tuple(j.strip() for j in judgements if j.strip())
    _check_judgements(judgements)
    facts, agreement, read = _gather(session, principal, day, zone, moment)
    number = 1 if agreement is None else (day - agreement.starts_on).days + 1
    document = build(
        "daily",
        number=number,
        title=f"Daily report {number} — {day.day} {day:%B %Y}",
        period_start=facts.start,
        period_end=facts.end,
        cutoff=facts.cutoff,
        zone=zone,
        audience="Public edition"
        if principal.is_anonymous
        else f"Prepared for {principal.username} ({principal.member}), from what they may see",
        sections=parts.sections(facts, previous, judgements),
    )
    inputs = {
        "kind": "daily",
        "day": day.isoformat(),
        "zone": zone,
        "cutoff": facts.cutoff.isoformat(),
        "reader": {"username": principal.username, "member": principal.member},
        **read,
        "judgements": list(judgements),
        "figures": {f.key: f.value for f in document.figures()},
    }
    return Assembled(document, inputs)
