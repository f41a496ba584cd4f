"""The incidents table: its filters, search and orders, declared once.

The page (``/ceasefire/incidents``), its CSV and GeoJSON exports and the map's grid read
the same :class:`IncidentFilters`, so an export holds exactly the rows the table lists.
Every query starts from ``visible_select``: the table, its total, its region choices and
its exports count only incidents the reader may see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from coalition.ceasefire import service
from coalition.ceasefire.model import Incident
from coalition.ceasefire.schemas import IncidentPublic
from coalition.ceasefire.search import MAX_SEARCH, search_clause
from coalition.ceasefire.vocabulary import IncidentType, Verification
from coalition.core.errors import Invalid
from coalition.core.listing import Listing, ListQuery, direction
from coalition.core.principal import Principal
from coalition.core.schemas import Page
from coalition.core.visibility import note_aggregated, visible_select


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


INCIDENTS = Listing(
    model=Incident,
    sorts={
        "first_at": Incident.first_at,
        "type": Incident.type,
        "region": Incident.region,
        "status": Incident.status,
        "casualties": Incident.casualties,
        "reports": Incident.report_count,
    },
    default=[direction(Incident.first_at, descending=True)],
    filters={
        "q": search_clause,
        "status": lambda status: Incident.status == status.value,
        "type": lambda kind: Incident.type == kind.value,
        "region": lambda region: Incident.region == region,
        "since": lambda day: Incident.first_at >= _day_start(day),
        "until": lambda day: Incident.first_at < _day_start(day + dt.timedelta(days=1)),
    },
)


@dataclass(frozen=True)
class IncidentFilters:
    """What the table is narrowed to; ``None`` leaves a filter out. Days are UTC, inclusive."""

    q: str | None = None
    status: Verification | None = None
    type: IncidentType | None = None
    region: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def values(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def given(self) -> dict[str, str]:
        """The filters as query parameters, for links that keep them (exports, map)."""
        out: dict[str, str] = {}
        for name, value in self.values().items():
            if value is None:
                continue
            out[name] = value.value if hasattr(value, "value") else str(value)
        return out


def _choice(kind: Any, text: str, label: str) -> Any:
    try:
        return kind(text)
    except ValueError as exc:
        raise Invalid(f"{label}: {text[:40]!r} is not one of the choices") from exc


def _day(text: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise Invalid(f"{label}: {text[:40]!r} is not a date (YYYY-MM-DD)") from exc


def parse_filters(
    q: str = "",
    status: str = "",
    type: str = "",
    region: str = "",
    since: str = "",
    until: str = "",
) -> IncidentFilters:
    """The filters as a page's form sends them (blank: not applied); bad input is Invalid."""
    q, status, type, region = q.strip(), status.strip(), type.strip(), region.strip()
    since, until = since.strip(), until.strip()
    if len(q) > MAX_SEARCH:
        raise Invalid(f"search: at most {MAX_SEARCH} characters")
    if "\x00" in q + region:
        raise Invalid("search and region hold no NUL character")
    filters = IncidentFilters(
        q=q or None,
        status=_choice(Verification, status, "status") if status else None,
        type=_choice(IncidentType, type, "type") if type else None,
        region=region[:80] or None,
        since=_day(since, "from") if since else None,
        until=_day(until, "to") if until else None,
    )
    if filters.since and filters.until and filters.since > filters.until:
        raise Invalid("from: the first day is after the last")
    return filters


def visible_incidents(principal: Principal, filters: IncidentFilters) -> Select[Any]:
    """The incidents the reader may see, narrowed by ``filters`` (not ordered)."""
    return INCIDENTS.filter(visible_select(principal, Incident), **filters.values())


def list_incidents(
    session: Session,
    principal: Principal,
    filters: IncidentFilters = IncidentFilters(),
    *,
    limit: int = 50,
    offset: int = 0,
    sort: str | None = None,
) -> Page[IncidentPublic]:
    """One page of the table: rows, total and marking, from what the reader may see."""
    rows = INCIDENTS.fetch(
        session,
        visible_select(principal, Incident),
        ListQuery(limit, offset, sort),
        **filters.values(),
    )
    return rows.page(service.incident_public)


def regions(session: Session, principal: Principal) -> list[str]:
    """The oblasts of the incidents the reader may see: the region filter's choices."""
    query = visible_select(principal, Incident).where(Incident.region != "")
    note_aggregated(session, query)
    sub = query.subquery()
    return list(session.scalars(select(sub.c.region).distinct().order_by(sub.c.region)))
