"""Operations on ceasefires, reports and incidents. Each takes a session and a principal.

Every list, count, chart and grid here starts from ``visible(principal, ...)``: a reader's
statistics and maps are computed over the reports that reader may see, and nothing else.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any, Literal

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from coalition.ceasefire import agreement, batches, incident_grid, regions, regroup, rollups
from coalition.ceasefire.fields import window_start
from coalition.ceasefire.grid import CELL, LEVELS, cell_of, coarsen
from coalition.ceasefire.model import (
    Ceasefire,
    CellRollup,
    Incident,
    IncidentMember,
    IncidentStatusChange,
    Report,
    ReportRollup,
)
from coalition.ceasefire.schemas import (
    CeasefireCreate,
    CeasefirePublic,
    CeasefireUpdate,
    CursorPage,
    Grid,
    GridCell,
    IncidentPublic,
    ReportCreate,
    ReportPublic,
    StatusChangeIn,
    StatusChangePublic,
)
from coalition.ceasefire.search import search_clause
from coalition.ceasefire.vocabulary import (
    CeasefireStatus,
    IncidentType,
    Scope,
    SourceKind,
    TimePrecision,
    Verification,
)
from coalition.core.editing import check_version
from coalition.core.errors import Conflict, Forbidden, Invalid
from coalition.core.model import checked_release
from coalition.core.principal import Principal, Role
from coalition.core.visibility import get_visible, visible, visible_select

# --- ceasefires ---------------------------------------------------------------------


def ends_on(c: Ceasefire) -> dt.date:
    return c.starts_on + dt.timedelta(days=c.duration_days + c.extension_days - 1)


def day_of(c: Ceasefire, on: dt.date) -> int | None:
    """Which day of the ceasefire ``on`` is (1-based), or ``None`` outside it."""
    n = (on - c.starts_on).days + 1
    return n if 1 <= n <= c.duration_days + c.extension_days else None


def ceasefire_public(c: Ceasefire) -> CeasefirePublic:
    return CeasefirePublic.of(
        c,
        id=c.id,
        version=c.version,
        name=c.name,
        parties=[p for p in c.parties.split("; ") if p],
        scope=[Scope(s) for s in c.scope.split(",") if s],
        starts_on=c.starts_on,
        duration_days=c.duration_days,
        extension_days=c.extension_days,
        ends_on=ends_on(c),
        status=CeasefireStatus(c.status),
        summary=c.summary,
    )


def list_ceasefires(session: Session, principal: Principal) -> list[CeasefirePublic]:
    rows = session.scalars(
        visible_select(principal, Ceasefire).order_by(Ceasefire.starts_on.desc(), Ceasefire.id)
    )
    return [ceasefire_public(c) for c in rows]


def get_ceasefire(session: Session, principal: Principal, ceasefire_id: int) -> Ceasefire:
    return get_visible(session, principal, Ceasefire, ceasefire_id)


def _require_secretariat(principal: Principal) -> None:
    if not (principal.is_secretariat and principal.has_role(Role.CONTRIBUTOR)):
        raise Forbidden("the secretariat records ceasefire agreements")


def create_ceasefire(session: Session, principal: Principal, data: CeasefireCreate) -> Ceasefire:
    _require_secretariat(principal)
    c = Ceasefire(
        name=data.name,
        parties="; ".join(data.parties),
        scope=",".join(s.value for s in data.scope),
        starts_on=data.starts_on,
        duration_days=data.duration_days,
        extension_days=0,
        status=data.status.value,
        summary=data.summary,
        source_title=data.source_title,
        source_ref=data.source_ref,
    )
    c.mark(session, principal, data.marking, data.rel_to)
    session.add(c)
    session.flush()
    return c


def update_ceasefire(
    session: Session, principal: Principal, ceasefire_id: int, data: CeasefireUpdate
) -> Ceasefire:
    c = get_ceasefire(session, principal, ceasefire_id)
    _require_secretariat(principal)
    check_version(c, data.version)
    if data.extension_days is not None:
        c.extension_days = data.extension_days
    if data.status is not None:
        c.status = data.status.value
    session.flush()
    return c


def current_ceasefire(session: Session, principal: Principal) -> Ceasefire | None:
    return session.scalars(
        visible_select(principal, Ceasefire).order_by(Ceasefire.starts_on.desc(), Ceasefire.id)
    ).first()


# --- cursors ------------------------------------------------------------------------


def _encode(at: dt.datetime, ident: int) -> str:
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{ident}".encode()).decode()


def _decode(cursor: str) -> tuple[dt.datetime, int]:
    try:
        at_s, _, id_s = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        at = dt.datetime.fromisoformat(at_s)
        if at.tzinfo is None:
            raise ValueError("naive")
        return at, int(id_s)
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise Invalid("the cursor is not one this API gave out") from exc


def _bbox_clause(model: Any, bbox: tuple[float, float, float, float] | None) -> Any:
    if bbox is None:
        return None
    west, south, east, north = bbox
    if south > north:
        raise Invalid("bbox: south is above north")
    lat = and_(model.latitude >= south, model.latitude <= north)
    if west <= east:
        return and_(lat, model.longitude >= west, model.longitude <= east)
    return and_(lat, or_(model.longitude >= west, model.longitude <= east))


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """``west,south,east,north`` in degrees (GeoJSON order)."""
    if text is None or not text.strip():
        return None
    try:
        west, south, east, north = (float(p) for p in text.split(","))
    except ValueError as exc:
        raise Invalid("bbox is west,south,east,north in degrees") from exc
    for lon in (west, east):
        if not -180 <= lon <= 180:
            raise Invalid("bbox longitudes lie in [-180, 180]")
    for lat in (south, north):
        if not -90 <= lat <= 90:
            raise Invalid("bbox latitudes lie in [-90, 90]")
    return west, south, east, north


# --- reports ------------------------------------------------------------------------


def report_public(report: Report, incident_id: int | None) -> ReportPublic:
    return ReportPublic.of(
        report,
        id=report.id,
        source_kind=SourceKind(report.source_kind),
        source_name=report.source_name,
        source_id=report.source_id,
        reliability=report.reliability,
        credibility=report.credibility,
        occurred_at=report.occurred_at,
        time_precision=TimePrecision(report.time_precision),
        received_at=report.received_at,
        latitude=report.latitude,
        longitude=report.longitude,
        precision_m=report.precision_m,
        region=report.region,
        reported_region=report.reported_region,
        type=IncidentType(report.type),
        weapon=report.weapon,
        attribution=report.attribution,
        casualties=report.casualties,
        text=report.text,
        incident_id=incident_id,
        # A batch is stamped ``run:n`` (a resumed run's later attempts ``run.2:n``).
        import_run=report.import_batch.split(":")[0].split(".")[0] if report.import_batch else None,
    )


def _with_incident(query: Select[Any]) -> Select[Any]:
    return query.add_columns(IncidentMember.incident_id).outerjoin(
        IncidentMember, IncidentMember.report_id == Report.id
    )


def list_reports(
    session: Session,
    principal: Principal,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    type: IncidentType | None = None,
    attribution: str | None = None,
    incident_id: int | None = None,
    cursor: str | None = None,
    limit: int = 100,
) -> CursorPage[ReportPublic]:
    query = _with_incident(visible_select(principal, Report))
    if since is not None:
        query = query.where(Report.occurred_at >= since)
    if until is not None:
        query = query.where(Report.occurred_at < until)
    box = _bbox_clause(Report, bbox)
    if box is not None:
        query = query.where(box)
    if type is not None:
        query = query.where(Report.type == type.value)
    if attribution is not None:
        query = query.where(Report.attribution == attribution)
    if incident_id is not None:
        query = query.where(IncidentMember.incident_id == incident_id)
    if cursor:
        at, ident = _decode(cursor)
        query = query.where(
            or_(Report.occurred_at < at, and_(Report.occurred_at == at, Report.id < ident))
        )
    rows = session.execute(
        query.order_by(Report.occurred_at.desc(), Report.id.desc()).limit(limit + 1)
    ).all()
    items = [report_public(r[0], r[1]) for r in rows[:limit]]
    last = rows[limit - 1][0] if len(rows) > limit else None
    return CursorPage(items=items, next_cursor=_encode(last.occurred_at, last.id) if last else None)


def get_report(session: Session, principal: Principal, report_id: int) -> ReportPublic:
    report = get_visible(session, principal, Report, report_id)
    incident_id = session.scalar(
        select(IncidentMember.incident_id).where(IncidentMember.report_id == report.id)
    )
    return report_public(report, incident_id)


def file_report(session: Session, principal: Principal, data: ReportCreate) -> Report:
    """A monitor files one report; it is audited as itself and grouped at once."""
    if principal.member is None or not principal.has_role(Role.MONITOR):
        raise Forbidden("only monitors file ceasefire reports")
    owner = principal.member
    rel_to = checked_release(session, principal, owner, data.marking, data.rel_to)
    occurred = data.occurred_at
    if occurred.tzinfo is None:
        raise Invalid("occurred_at needs a time zone (UTC: end it with Z)")
    occurred = window_start(occurred.astimezone(dt.UTC), data.time_precision)
    now = dt.datetime.now(dt.UTC)
    if occurred > now + dt.timedelta(minutes=10):
        raise Invalid("occurred_at is in the future")
    clash = session.scalar(
        select(Report.id).where(
            Report.source_name == data.source_name, Report.source_id == data.source_id
        )
    )
    if clash is not None:
        raise Conflict("a report with this source and source id is already held")
    report = Report(
        source_kind=data.source_kind.value,
        source_name=data.source_name,
        source_id=data.source_id,
        reliability=data.reliability,
        credibility=data.credibility,
        occurred_at=occurred,
        time_precision=data.time_precision.value,
        received_at=now,
        latitude=data.latitude,
        longitude=data.longitude,
        precision_m=data.precision_m,
        region=regions.region_of(data.latitude, data.longitude, data.region, data.precision_m),
        reported_region=data.region,
        type=data.type.value,
        weapon=data.weapon,
        attribution=data.attribution,
        casualties=data.casualties,
        text=data.text,
        owner_code=owner,
        marking=data.marking.value,
        rel_to=rel_to,
    )
    session.add(report)
    session.flush()
    row = {c.key: getattr(report, c.key) for c in Report.__mapper__.column_attrs}
    fresh = batches.stored_frame([row])
    regroup.group_reports(session, batches.Stamp(owner, report.marking, rel_to), fresh)
    rollups.add_to_rollups(session, fresh)
    return report


# --- incidents ----------------------------------------------------------------------


def incident_public(i: Incident) -> IncidentPublic:
    return IncidentPublic.of(
        i,
        id=i.id,
        key=i.key,
        type=IncidentType(i.type),
        first_at=i.first_at,
        time_precision=TimePrecision(i.time_precision),
        last_at=i.last_at,
        latitude=i.latitude,
        longitude=i.longitude,
        region=i.region,
        report_count=i.report_count,
        casualties=i.casualties,
        casualties_low=i.casualties_low,
        casualties_high=i.casualties_high,
        claimed_attribution=i.claimed_attribution,
        status=Verification(i.status),
        assessed_attribution=i.assessed_attribution,
    )


def list_incidents(
    session: Session,
    principal: Principal,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    type: IncidentType | None = None,
    status: Verification | None = None,
    attribution: str | None = None,
    q: str | None = None,
    region: str | None = None,
    cursor: str | None = None,
    limit: int = 100,
) -> CursorPage[IncidentPublic]:
    query = visible_select(principal, Incident)
    if q is not None and q.strip():
        query = query.where(search_clause(q))
    if region is not None:
        query = query.where(Incident.region == region)
    if since is not None:
        query = query.where(Incident.first_at >= since)
    if until is not None:
        query = query.where(Incident.first_at < until)
    box = _bbox_clause(Incident, bbox)
    if box is not None:
        query = query.where(box)
    if type is not None:
        query = query.where(Incident.type == type.value)
    if status is not None:
        query = query.where(Incident.status == status.value)
    if attribution is not None:
        query = query.where(
            or_(
                Incident.assessed_attribution == attribution,
                and_(
                    Incident.assessed_attribution == "",
                    Incident.claimed_attribution == attribution,
                ),
            )
        )
    if cursor:
        at, ident = _decode(cursor)
        query = query.where(
            or_(Incident.first_at < at, and_(Incident.first_at == at, Incident.id < ident))
        )
    rows = list(
        session.scalars(
            query.order_by(Incident.first_at.desc(), Incident.id.desc()).limit(limit + 1)
        )
    )
    items = [incident_public(i) for i in rows[:limit]]
    last = rows[limit - 1] if len(rows) > limit else None
    return CursorPage(items=items, next_cursor=_encode(last.first_at, last.id) if last else None)


def get_incident(session: Session, principal: Principal, incident_id: int) -> Incident:
    return get_visible(session, principal, Incident, incident_id)


def incident_history(
    session: Session, principal: Principal, incident: Incident
) -> list[StatusChangePublic]:
    rows = session.scalars(
        select(IncidentStatusChange)
        .join(IncidentMember, IncidentMember.report_id == IncidentStatusChange.report_id)
        .where(IncidentMember.incident_id == incident.id)
        .order_by(IncidentStatusChange.created_at, IncidentStatusChange.id)
    )
    return [
        StatusChangePublic(
            status=Verification(c.status),
            assessed_attribution=c.assessed_attribution,
            reason=c.reason,
            actor=c.actor,
            created_at=c.created_at,
        )
        for c in rows
    ]


def set_status(
    session: Session, principal: Principal, incident_id: int, data: StatusChangeIn
) -> Incident:
    """A monitor who may see the incident records a verification decision and its reason."""
    incident = get_incident(session, principal, incident_id)
    if not principal.has_role(Role.MONITOR):
        raise Forbidden("only monitors verify incidents")
    session.add(
        IncidentStatusChange(
            report_id=incident.key_report_id,
            status=data.status.value,
            assessed_attribution=data.assessed_attribution,
            reason=data.reason,
            actor=principal.actor,
        )
    )
    incident.status = data.status.value
    incident.assessed_attribution = data.assessed_attribution
    session.flush()
    return incident


# --- statistics and the map grid ----------------------------------------------------


def rollup_counts(
    session: Session,
    principal: Principal,
    column: Any,
    since: dt.date,
    until: dt.date,
) -> list[tuple[Any, int, int]]:
    """(value, reports, casualties) by ``column`` of the rollup, for days in [since, until].

    Reports placed outside the area of operations are held for review and counted here
    never (:func:`out_of_area`).
    """
    rows = session.execute(
        select(column, func.sum(ReportRollup.reports), func.sum(ReportRollup.casualties))
        .where(
            visible(principal, ReportRollup),
            ReportRollup.day.between(since, until),
            ReportRollup.region != regions.OUTSIDE_AREA,
        )
        .group_by(column)
        .order_by(column)
    ).all()
    return [(r[0], int(r[1] or 0), int(r[2] or 0)) for r in rows]


def out_of_area(session: Session, principal: Principal, since: dt.date, until: dt.date) -> int:
    """Reports the reader may see, placed outside the area of operations, in [since, until]."""
    return int(
        session.scalar(
            select(func.sum(ReportRollup.reports)).where(
                visible(principal, ReportRollup),
                ReportRollup.day.between(since, until),
                ReportRollup.region == regions.OUTSIDE_AREA,
            )
        )
        or 0
    )


def grid(
    session: Session,
    principal: Principal,
    bbox: tuple[float, float, float, float],
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    type: IncidentType | None = None,
    status: Verification | None = None,
    region: str | None = None,
    cells_across: int = 48,
) -> Grid:
    """Report counts on a grid fitted to the view: at most ``cells_across`` cells wide.

    Filtered by status or oblast (which the rollups do not keep), the counts are the
    reports of the matching incidents, each in its incident's cell (``incident_grid``).
    """
    west, south, east, north = bbox
    width = (east - west) % 360 or 360.0
    factor = 1
    while width / (CELL * factor) > cells_across and factor < 4096:
        factor *= 2
    if status is not None or region is not None:
        fine = incident_grid.fine_counts(
            session,
            principal,
            bbox,
            since=since,
            until=until,
            type=type,
            status=status,
            region=region,
        )
        return _grid(coarsen(fine, factor), CELL * factor)
    # Sum the coarsest kept cells that still fit the grid asked for.
    level = max(lv for lv in LEVELS if lv <= factor)
    y0, x0 = (c // level for c in cell_of(south, west))
    y1, x1 = (c // level for c in cell_of(north, east))
    query = (
        select(CellRollup.cell_y, CellRollup.cell_x, func.sum(CellRollup.reports))
        .where(
            visible(principal, CellRollup),
            CellRollup.level == level,
            CellRollup.cell_y.between(y0, y1),
        )
        .group_by(CellRollup.cell_y, CellRollup.cell_x)
    )
    if x0 <= x1:
        query = query.where(CellRollup.cell_x.between(x0, x1))
    else:
        query = query.where(or_(CellRollup.cell_x >= x0, CellRollup.cell_x <= x1))
    if since is not None:
        query = query.where(CellRollup.day >= since)
    if until is not None:
        query = query.where(CellRollup.day <= until)
    if type is not None:
        query = query.where(CellRollup.type == type.value)
    step = factor // level
    coarse: dict[tuple[int, int], int] = {}
    for cy, cx, n in session.execute(query):
        key = (cy // step, cx // step)
        coarse[key] = coarse.get(key, 0) + int(n)
    return _grid(coarse, CELL * factor)


def _grid(coarse: dict[tuple[int, int], int], size: float) -> Grid:
    cells = [
        GridCell(
            south=round(y * size, 6),
            west=round(x * size, 6),
            north=round((y + 1) * size, 6),
            east=round((x + 1) * size, 6),
            reports=n,
        )
        for (y, x), n in sorted(coarse.items())
    ]
    return Grid(cell_degrees=size, cells=cells, total=sum(coarse.values()))


# --- one report against the agreement ------------------------------------------------


def against_agreement(
    c: CeasefirePublic | None, day: dt.date, report: ReportPublic | IncidentPublic
) -> Literal["violation", "outside_scope", "not_in_force", "outside_area"]:
    """How a report of ``day`` stands against the agreement ``c``, by the daily report's rule
    (an incident, by its region and type, stands by the same rule in the summit pack).

    ``outside_area``: placed outside the area of operations (held for review, counted
    nowhere); ``not_in_force``: no agreement, one only proposed, or ``day`` not one of its
    days; ``outside_scope``: a type its scope does not cover; else a ``violation``. A
    briefing that counts days in another time zone than UTC passes the report's day there.
    """
    if report.region == regions.OUTSIDE_AREA:
        return "outside_area"
    if (
        c is None
        or c.status is CeasefireStatus.PROPOSED
        or not agreement.in_force(c.starts_on, c.ends_on, day)
    ):
        return "not_in_force"
    if report.type not in agreement.covered_types(c.scope):
        return "outside_scope"
    return "violation"


def governing(ceasefires: list[CeasefirePublic], day: dt.date) -> CeasefirePublic | None:
    """The ceasefire that governs ``day``: of ``ceasefires`` (those a reader may see), the
    latest begun by then, the earliest id among those of one start; None before any began.

    One recorded later, to begin after ``day``, does not displace the one in force on it.
    """
    begun = [c for c in ceasefires if c.starts_on <= day]
    return max(begun, key=lambda c: (c.starts_on, -c.id), default=None)
