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

from coalition.ceasefire import figures, service
from coalition.ceasefire.model import Ceasefire, Incident, ReportRollup
from coalition.ceasefire.schemas import CeasefirePublic, IncidentPublic
from coalition.ceasefire.vocabulary import TimePrecision
from coalition.core.errors import NotFound
from coalition.core.principal import Principal
from coalition.core.visibility import visible, visible_select


@dataclass(frozen=True)
class DailyReport:
    date: dt.date
    ceasefire: CeasefirePublic
    day_of: int | None
    reports: int
    fatalities: int  # summed over the day's incidents, each its highest figure
    fatalities_low: int  # the same sum over each incident's lowest figure
    previous_reports: int
    incidents: int
    by_type: list[tuple[str, int]]
    by_region: list[tuple[str, int]]
    notable: list[IncidentPublic]
    chart_svg: str
    reader: str


def build(session: Session, principal: Principal, on: dt.date) -> DailyReport:
    c: Ceasefire | None = service.current_ceasefire(session, principal)
    if c is None:
        raise NotFound("no ceasefire you may see")

    def day_reports(day: dt.date) -> int:
        return int(
            session.scalar(
                select(func.sum(ReportRollup.reports)).where(
                    visible(principal, ReportRollup), ReportRollup.day == day
                )
            )
            or 0
        )

    reports = day_reports(on)
    previous = day_reports(on - dt.timedelta(days=1))
    start = dt.datetime.combine(on, dt.time(), dt.UTC)
    end = start + dt.timedelta(days=1)
    day_incidents = visible_select(principal, Incident).where(
        Incident.first_at >= start, Incident.first_at < end
    )
    counted = day_incidents.subquery()
    n_incidents, fatalities, fatalities_low = session.execute(
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
    return DailyReport(
        date=on,
        ceasefire=service.ceasefire_public(c),
        day_of=service.day_of(c, on),
        reports=reports,
        fatalities=int(fatalities),
        fatalities_low=int(fatalities_low),
        previous_reports=previous,
        incidents=int(n_incidents),
        by_type=[
            (str(k), n)
            for k, n, _ in service.rollup_counts(session, principal, ReportRollup.type, on, on)
        ],
        by_region=[
            (str(k or "unknown"), n)
            for k, n, _ in service.rollup_counts(session, principal, ReportRollup.region, on, on)
        ],
        notable=[service.incident_public(i) for i in notable],
        chart_svg=figures.bar_chart_svg(
            [d.strftime("%d %b") for d in fortnight],
            [by_day.get(d, 0) for d in fortnight],
            title="Reports per day, last 14 days",
        ),
        reader="the public (PUBLIC records only)"
        if principal.is_anonymous
        else f"{principal.member} ({principal.username})",
    )


def headline(r: DailyReport) -> str:
    day = (
        f"day {r.day_of} of {r.ceasefire.duration_days + r.ceasefire.extension_days}"
        if r.day_of
        else "outside the ceasefire period"
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
    change = r.reports - r.previous_reports
    direction = "more" if change > 0 else "fewer" if change < 0 else "as many"
    amount = f"{abs(change)} {direction} than" if change else "as many as"
    return (
        f"Monitoring recorded {r.reports} reports of ceasefire violations "
        f"({amount} the previous day), grouped into {r.incidents} incidents, with "
        f"{fatalities(r.fatalities, r.fatalities_low)} reported."
    )


def notable_line(i: IncidentPublic) -> str:
    """What the report says of a notable incident, after its time and place."""
    return (
        f"{i.type.value.replace('_', ' ')}, {i.report_count} report(s), "
        f"{fatalities(i.casualties_high, i.casualties_low)}"
    )


def markdown(r: DailyReport) -> str:
    """The report as Markdown."""
    lines = [f"# {headline(r)}", "", f"*Prepared for {r.reader}. Times are UTC.*", ""]
    lines += ["## Summary", "", summary(r), ""]
    lines += ["## Ceasefire violations by type", "", "| type | reports |", "|---|---:|"]
    lines += [f"| {k.replace('_', ' ')} | {n} |" for k, n in r.by_type] or ["| none | 0 |"]
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
