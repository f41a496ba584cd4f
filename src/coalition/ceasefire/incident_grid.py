"""The map's grid counted from incidents, for filters the rollups do not keep.

The rollups count reports by day, cell and type; an incident's verification status and
oblast are not among their keys. When the map is filtered by either, its grid is summed
from the incidents the reader may see instead: each incident adds its reports to the cell
of its own position. The cell is computed in SQL as the rollups compute it in polars,
``floor(coordinate * PER_DEGREE)``, written so that SQLite (which may lack ``floor()``)
and PostgreSQL give the same integer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Integer, case, cast, func, or_, select
from sqlalchemy.orm import Session

from coalition.ceasefire.grid import PER_DEGREE, cell_of
from coalition.ceasefire.model import Incident
from coalition.ceasefire.vocabulary import IncidentType, Verification
from coalition.core.principal import Principal
from coalition.core.visibility import note_aggregated, visible_select


def _floor(value: Any) -> Any:
    """floor(``value``) as an integer on both databases: a CAST truncates (SQLite) or
    rounds (PostgreSQL); one is taken off whenever the cast lands above the value."""
    whole = cast(value, Integer)
    return whole - case((value < whole, 1), else_=0)


def fine_counts(
    session: Session,
    principal: Principal,
    bbox: tuple[float, float, float, float],
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    type: IncidentType | None = None,
    status: Verification | None = None,
    region: str | None = None,
) -> list[tuple[int, int, int]]:
    """``(cell_y, cell_x, reports)`` of the finest cells in ``bbox``, over visible incidents."""
    west, south, east, north = bbox
    y0, x0 = cell_of(south, west)
    y1, x1 = cell_of(north, east)
    cy = _floor(Incident.latitude * PER_DEGREE)
    cx = _floor(Incident.longitude * PER_DEGREE)
    across = cx.between(x0, x1) if x0 <= x1 else or_(cx >= x0, cx <= x1)
    query = visible_select(principal, Incident).where(cy.between(y0, y1), across)
    if since is not None:
        query = query.where(Incident.first_at >= dt.datetime.combine(since, dt.time(), dt.UTC))
    if until is not None:
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), dt.UTC)
        query = query.where(Incident.first_at < end)
    if type is not None:
        query = query.where(Incident.type == type.value)
    if status is not None:
        query = query.where(Incident.status == status.value)
    if region is not None:
        query = query.where(Incident.region == region)
    note_aggregated(session, query)
    sub = query.subquery()
    y, x = _floor(sub.c.latitude * PER_DEGREE), _floor(sub.c.longitude * PER_DEGREE)
    rows = session.execute(select(y, x, func.sum(sub.c.report_count)).group_by(y, x))
    return [(int(a), int(b), int(n or 0)) for a, b, n in rows]
