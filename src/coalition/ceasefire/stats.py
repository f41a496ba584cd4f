"""Ceasefire statistics, computed from the rollups the reader may see."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from coalition.ceasefire import agreement, figures, service
from coalition.ceasefire.model import Ceasefire, ReportRollup
from coalition.ceasefire.schemas import CeasefireStats, Count
from coalition.ceasefire.vocabulary import CeasefireStatus
from coalition.core.principal import Principal
from coalition.core.visibility import note_aggregated, visible_select


def window(c: Ceasefire) -> tuple[dt.date, dt.date, dt.date]:
    """(start of the comparison period before, first day, last day) of a ceasefire."""
    length = c.duration_days + c.extension_days
    return c.starts_on - dt.timedelta(days=length), c.starts_on, service.ends_on(c)


def ceasefire_stats(
    session: Session, principal: Principal, c: Ceasefire, today: dt.date
) -> CeasefireStats:
    """Counts by day, type, region and attribution; during versus the same time before."""
    before_from, first, last = window(c)
    note_aggregated(
        session,
        visible_select(principal, ReportRollup).where(ReportRollup.day.between(before_from, last)),
    )
    by_day = {
        day: (n, cas)
        for day, n, cas in service.rollup_counts(
            session, principal, ReportRollup.day, before_from, last
        )
    }
    days = [before_from + dt.timedelta(days=i) for i in range((last - before_from).days + 1)]
    during = sum(by_day.get(d, (0, 0))[0] for d in days if d >= first)
    before = sum(by_day.get(d, (0, 0))[0] for d in days if d < first)
    elapsed = [d for d in days if first <= d <= min(last, today)]
    before_days = [d for d in days if d < first]

    def counts(column: object) -> list[Count]:
        rows = service.rollup_counts(session, principal, column, first, last)
        return [Count(key=str(k or "unknown"), reports=n, casualties=cas) for k, n, cas in rows]

    return CeasefireStats(
        ceasefire_id=c.id,
        day_of=service.day_of(c, today),
        days_total=c.duration_days + c.extension_days,
        standing=agreement.standing(CeasefireStatus(c.status), first, last, today),
        during=during,
        before=before,
        days_elapsed=len(elapsed),
        days_with_reports_during=sum(1 for d in elapsed if by_day.get(d, (0, 0))[0]),
        days_before=len(before_days),
        days_with_reports_before=sum(1 for d in before_days if by_day.get(d, (0, 0))[0]),
        out_of_area=service.out_of_area(session, principal, before_from, last),
        change_percent=figures.change_percent(before, during),
        trend_per_day=figures.trend([by_day.get(d, (0, 0))[0] for d in elapsed]),
        by_day=[
            Count(
                key=d.isoformat(),
                reports=by_day.get(d, (0, 0))[0],
                casualties=by_day.get(d, (0, 0))[1],
            )
            for d in days
        ],
        by_type=counts(ReportRollup.type),
        by_region=counts(ReportRollup.region),
        by_attribution=counts(ReportRollup.attribution),
    )


def daily_chart(stats: CeasefireStats, first: dt.date) -> str:
    labels = [c.key[5:] for c in stats.by_day]
    values = [c.reports for c in stats.by_day]
    start = next((i for i, c in enumerate(stats.by_day) if c.key >= first.isoformat()), None)
    return figures.bar_chart_svg(
        labels,
        values,
        title="Reports per day (dark bars: during the ceasefire)",
        highlight_from=start,
    )
