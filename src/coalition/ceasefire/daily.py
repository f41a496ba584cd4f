"""The daily report, modelled on the OSCE Special Monitoring Mission's daily reports.

Built only from what its reader may see: a summary, violations by type and region,
notable incidents with their verification status, and a chart of the last fortnight.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coalition.ceasefire import figures, service
from coalition.ceasefire.model import Ceasefire, Incident, ReportRollup
from coalition.ceasefire.schemas import CeasefirePublic, IncidentPublic
from coalition.core.errors import NotFound
from coalition.core.principal import Principal
from coalition.core.visibility import visible, visible_select


@dataclass(frozen=True)
class DailyReport:
    date: dt.date
    ceasefire: CeasefirePublic
    day_of: int | None
    reports: int
    casualties: int
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

    def day_counts(day: dt.date) -> tuple[int, int]:
        row = session.execute(
            select(func.sum(ReportRollup.reports), func.sum(ReportRollup.casualties)).where(
                visible(principal, ReportRollup), ReportRollup.day == day
            )
        ).one()
        return int(row[0] or 0), int(row[1] or 0)

    reports, casualties = day_counts(on)
    previous, _ = day_counts(on - dt.timedelta(days=1))
    start = dt.datetime.combine(on, dt.time(), dt.UTC)
    end = start + dt.timedelta(days=1)
    day_incidents = visible_select(principal, Incident).where(
        Incident.first_at >= start, Incident.first_at < end
    )
    n_incidents = session.scalar(select(func.count()).select_from(day_incidents.subquery())) or 0
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
        casualties=casualties,
        previous_reports=previous,
        incidents=n_incidents,
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


def summary(r: DailyReport) -> str:
    change = r.reports - r.previous_reports
    direction = "more" if change > 0 else "fewer" if change < 0 else "as many"
    amount = f"{abs(change)} {direction} than" if change else "as many as"
    return (
        f"Monitoring recorded {r.reports} reports of ceasefire violations "
        f"({amount} the previous day), grouped into {r.incidents} incidents, with "
        f"{r.casualties} casualties reported."
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
            f"- {i.first_at.strftime('%H:%M')} UTC, {i.region or 'unknown region'} "
            f"({i.latitude:.3f}, {i.longitude:.3f}): {i.type.value.replace('_', ' ')}, "
            f"{i.report_count} report(s), {i.casualties} casualties; "
            f"status **{i.status.value}**"
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
        chart=Markup(r.chart_svg),  # noqa: S704 - built from escaped parts
    )
