"""The daily report, modelled on the OSCE Special Monitoring Mission's daily reports.

Built only from what its reader may see: a summary, violations by type and region,
notable incidents with their verification status, and a chart of the last fortnight.

The figure sources give for an event is deaths, so it is called fatalities. A day's
fatalities are summed over its incidents (each a distinct event, with its sources'
figures reconciled: see ``regroup``), never over its reports, which would count one
event's deaths once per source. An event whose source gave only a date shows that date
and "time not given", never midnight.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coalition.ceasefire import agreement, figures, regions, service
from coalition.ceasefire.model import Ceasefire, Incident, ReportRollup
from coalition.ceasefire.schemas import CeasefirePublic, IncidentPublic
from coalition.ceasefire.vocabulary import CeasefireStatus, Scope, TimePrecision
from coalition.core.errors import NotFound
from coalition.core.principal import Principal
from coalition.core.visibility import note_aggregated, visible, visible_select


@dataclass(frozen=True)
class DailyReport:
    date: dt.date
    ceasefire: CeasefirePublic
    day_of: int | None
    in_force: bool  # the day is one of the agreement's days
    standing: str  # the agreement's standing on the day, in words
    reports: int  # every report of the day inside the area of operations
    violations: int  # those inside the agreement: in force, in scope
    previous_violations: int
    out_of_area: int  # placed outside the area of operations: held for review
    fatalities: int  # summed over the day's incidents, each its highest figure
    fatalities_low: int  # the same sum over each incident's lowest figure
    incidents: int
    by_type: list[tuple[str, int, bool]]  # type, reports, whether the scope covers it
    by_region: list[tuple[str, int]]
    notable: list[IncidentPublic]
    chart_svg: str
    reader: str
    latest: dt.date | None  # the latest day holding reports the reader may see


def latest_day(session: Session, principal: Principal, today: dt.date) -> dt.date | None:
    """The latest day, up to ``today``, holding a report the reader may see."""
    day: dt.date | None = session.scalar(
        select(func.max(ReportRollup.day)).where(
            visible(principal, ReportRollup), ReportRollup.day <= today
        )
    )
    return day


def _by_type_and_region(
    session: Session, principal: Principal, day: dt.date
) -> list[tuple[str, str, int]]:
    rows = session.execute(
        select(ReportRollup.type, ReportRollup.region, func.sum(ReportRollup.reports))
        .where(visible(principal, ReportRollup), ReportRollup.day == day)
        .group_by(ReportRollup.type, ReportRollup.region)
    ).all()
    return [(str(t), str(r or ""), int(n or 0)) for t, r, n in rows]


def build(session: Session, principal: Principal, on: dt.date) -> DailyReport:
    c: Ceasefire | None = service.current_ceasefire(session, principal)
    if c is None:
        raise NotFound("no ceasefire you may see")
    first, last = c.starts_on, service.ends_on(c)
    covered = {
        t.value for t in agreement.covered_types([Scope(s) for s in c.scope.split(",") if s])
    }

    def violations(rows: list[tuple[str, str, int]], day: dt.date) -> int:
        if not agreement.in_force(first, last, day):
            return 0
        return sum(n for t, r, n in rows if r != regions.OUTSIDE_AREA and t in covered)

    rows = _by_type_and_region(session, principal, on)
    previous_rows = _by_type_and_region(session, principal, on - dt.timedelta(days=1))
    in_area = [(t, r, n) for t, r, n in rows if r != regions.OUTSIDE_AREA]
    types: dict[str, int] = {}
    places: dict[str, int] = {}
    for t, r, n in in_area:
        types[t] = types.get(t, 0) + n
        places[r or "unknown"] = places.get(r or "unknown", 0) + n
    start = dt.datetime.combine(on, dt.time(), dt.UTC)
    end = start + dt.timedelta(days=1)
    day_incidents = visible_select(principal, Incident).where(
        Incident.first_at >= start,
        Incident.first_at < end,
        Incident.region != regions.OUTSIDE_AREA,
    )
    # The page's marking takes the highest of every record its figures rest on.
    note_aggregated(
        session,
        visible_select(principal, ReportRollup).where(
            ReportRollup.day.between(on - dt.timedelta(days=13), on)
        ),
    )
    note_aggregated(session, day_incidents)
    counted = day_incidents.subquery()
    n_incidents, deaths, deaths_low = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(counted.c.casualties), 0),
            func.coalesce(func.sum(counted.c.casualties_low), 0),
        ).select_from(counted)
    ).one()
    notable = session.scalars(
        day_incidents.order_by(
            Incident.casualties.desc(), Incident.report_count.desc(), Incident.id
        ).limit(10)
    )
    fortnight = [on - dt.timedelta(days=13 - i) for i in range(14)]
    by_day = dict(
        (d, n)
        for d, n, _ in service.rollup_counts(session, principal, ReportRollup.day, fortnight[0], on)
    )
    status = CeasefireStatus(c.status)
    return DailyReport(
        date=on,
        ceasefire=service.ceasefire_public(c),
        day_of=service.day_of(c, on),
        in_force=agreement.in_force(first, last, on) and status is not CeasefireStatus.PROPOSED,
        standing=agreement.standing(status, first, last, on),
        reports=sum(n for _, _, n in in_area),
        violations=violations(rows, on) if status is not CeasefireStatus.PROPOSED else 0,
        previous_violations=violations(previous_rows, on - dt.timedelta(days=1))
        if status is not CeasefireStatus.PROPOSED
        else 0,
        out_of_area=sum(n for _, r, n in rows if r == regions.OUTSIDE_AREA),
        fatalities=int(deaths),
        fatalities_low=int(deaths_low),
        incidents=int(n_incidents),
        by_type=sorted((t, n, t in covered) for t, n in types.items()),
        by_region=sorted(places.items()),
        notable=[service.incident_public(i) for i in notable],
        chart_svg=figures.bar_chart_svg(
            [d.strftime("%d %b") for d in fortnight],
            [by_day.get(d, 0) for d in fortnight],
            title="Reports per day, last 14 days",
        ),
        reader="the public (PUBLIC records only)"
        if principal.is_anonymous
        else f"{principal.member} ({principal.username})",
        latest=latest_day(session, principal, dt.datetime.now(dt.UTC).date()),
    )


@dataclass(frozen=True)
class Glance:
    """The dashboard's view of the ceasefire: its standing and one day's figures."""

    ceasefire: CeasefirePublic
    standing: str
    day_of: int | None
    day: dt.date
    reports: int  # inside the area of operations
    incidents: int
    latest: dt.date | None


def glance(session: Session, principal: Principal, today: dt.date) -> Glance | None:
    """Yesterday's reports and incidents under the current ceasefire, or ``None``."""
    c: Ceasefire | None = service.current_ceasefire(session, principal)
    if c is None:
        return None
    day = today - dt.timedelta(days=1)
    rows = _by_type_and_region(session, principal, day)
    note_aggregated(session, visible_select(principal, ReportRollup).where(ReportRollup.day == day))
    start = dt.datetime.combine(day, dt.time(), dt.UTC)
    incidents = session.scalar(
        select(func.count()).select_from(
            visible_select(principal, Incident)
            .where(
                Incident.first_at >= start,
                Incident.first_at < start + dt.timedelta(days=1),
                Incident.region != regions.OUTSIDE_AREA,
            )
            .subquery()
        )
    )
    public = service.ceasefire_public(c)
    return Glance(
        ceasefire=public,
        standing=agreement.standing(CeasefireStatus(c.status), c.starts_on, public.ends_on, today),
        day_of=service.day_of(c, today),
        day=day,
        reports=sum(n for _, r, n in rows if r != regions.OUTSIDE_AREA),
        incidents=int(incidents or 0),
        latest=latest_day(session, principal, today),
    )


def headline(r: DailyReport) -> str:
    day = (
        f"day {r.day_of} of {r.ceasefire.duration_days + r.ceasefire.extension_days}"
        if r.in_force and r.day_of
        else f"ceasefire not in force ({r.standing})"
    )
    return f"Daily report, {r.date.strftime('%d %B %Y')} — {r.ceasefire.name}, {day}"


def _deaths(n: int) -> str:
    return f"{n} fatality" if n == 1 else f"{n} fatalities"


def fatalities(high: int, low: int) -> str:
    """Deaths as the sources give them: one figure, or where they differ the highest and
    their range (``3 fatalities (sources give 1–3)``)."""
    if low == high:
        return _deaths(high)
    return f"{_deaths(high)} (sources give {low}–{high})"


def when(at: dt.datetime, precision: str, *, date: bool = True) -> str:
    """A time as its source gave it: to the minute, the hour, or only the date ("time not
    given", never midnight). ``date=False`` leaves the date out (the daily report's day)."""
    day = at.strftime("%Y-%m-%d")
    if precision == TimePrecision.DAY:
        return f"{day}, time not given" if date else "time not given"
    if precision == TimePrecision.HOUR:
        hours = f"{at.strftime('%H')}:00–{(at + dt.timedelta(hours=1)).strftime('%H')}:00 UTC"
        return f"{day} {hours}" if date else hours
    return f"{day} {at.strftime('%H:%M')} UTC" if date else f"{at.strftime('%H:%M')} UTC"


def summary(r: DailyReport) -> str:
    """The report's summary: violations only inside the agreement, the rest said apart."""
    if r.in_force:
        change = r.violations - r.previous_violations
        direction = "more" if change > 0 else "fewer" if change < 0 else "as many"
        amount = f"{abs(change)} {direction} than" if change else "as many as"
        text = (
            f"Monitoring recorded {r.violations} reports of ceasefire violations "
            f"({amount} the previous day), grouped into {r.incidents} incidents, with "
            f"{fatalities(r.fatalities, r.fatalities_low)} reported."
        )
        beyond = r.reports - r.violations
        if beyond:
            text += (
                f" {beyond} further report{'' if beyond == 1 else 's'} concern incidents "
                "outside the agreement's scope and are not counted as violations."
            )
    else:
        text = (
            f"The ceasefire was not in force on this day ({r.standing}): the {r.reports} "
            f"reports recorded, grouped into {r.incidents} incidents with "
            f"{fatalities(r.fatalities, r.fatalities_low)} reported, are not counted as "
            "ceasefire violations."
        )
    if r.out_of_area:
        text += (
            f" {r.out_of_area} report{'' if r.out_of_area == 1 else 's'} placed outside the "
            "area of operations are held for review and counted nowhere."
        )
    return text


def notable_line(i: IncidentPublic) -> str:
    """What the report says of a notable incident, after its time and place."""
    return (
        f"{i.type.value.replace('_', ' ')}, {i.report_count} "
        f"{'report' if i.report_count == 1 else 'reports'}, "
        f"{fatalities(i.casualties_high, i.casualties_low)}"
    )


def markdown(r: DailyReport) -> str:
    """The report as Markdown."""
    lines = [f"# {headline(r)}", "", f"*Prepared for {r.reader}. Times are UTC.*", ""]
    lines += ["## Summary", "", summary(r), ""]
    heading = "Ceasefire violations by type" if r.in_force else "Reports by type"
    lines += [f"## {heading}", "", "| type | reports |", "|---|---:|"]
    lines += [
        f"| {k.replace('_', ' ')}{'' if covered else ' (outside the scope)'} | {n} |"
        for k, n, covered in r.by_type
    ] or ["| none | 0 |"]
    lines += ["", "## By region", "", "| region | reports |", "|---|---:|"]
    lines += [f"| {k} | {n} |" for k, n in r.by_region] or ["| none | 0 |"]
    lines += ["", "## Notable incidents", ""]
    if not r.notable:
        lines.append("No incidents recorded.")
    for i in r.notable:
        lines.append(
            f"- {when(i.first_at, i.time_precision, date=False)}, "
            f"{i.region or 'unknown region'} ({i.latitude:.3f}, {i.longitude:.3f}): "
            f"{notable_line(i)}; status **{i.status.value}**"
            + (f", attributed to {i.assessed_attribution}" if i.assessed_attribution else "")
            + f" [{i.marking.label}]"
        )
    return "\n".join(lines) + "\n"


def html(r: DailyReport) -> str:
    """The report as one self-contained HTML file (styles inline, nothing fetched)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("coalition.web", "templates"), autoescape=select_autoescape()
    )
    from markupsafe import Markup

    return env.get_template("ceasefire/daily_file.html").render(
        r=r,
        headline=headline(r),
        summary=summary(r),
        when=when,
        notable_line=notable_line,
        chart=Markup(r.chart_svg),  # noqa: S704 - built from escaped parts
    )
