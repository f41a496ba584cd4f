"""The ceasefire pages: overview with the countdown, map, incident, report form, daily report."""

from __future__ import annotations

import datetime as dt
from importlib.resources import files
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from pydantic import ValidationError

from coalition.ceasefire import daily, regions, service, stats
from coalition.ceasefire.schemas import ReportCreate, StatusChangeIn
from coalition.ceasefire.vocabulary import IncidentType, SourceKind, Verification
from coalition.core.errors import Invalid, NotFound
from coalition.core.marking import Marking
from coalition.deps import CurrentPrincipal, DbSession, RecordId, SignedIn
from coalition.web import pages

router = APIRouter(include_in_schema=False)


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


@router.get("/ceasefire", response_class=HTMLResponse)
def overview(request: Request, session: DbSession, principal: CurrentPrincipal) -> Response:
    c = service.current_ceasefire(session, principal)
    figures = stats.ceasefire_stats(session, principal, c, _today()) if c else None
    return pages.render(
        request,
        "ceasefire/overview.html",
        ceasefire=service.ceasefire_public(c) if c else None,
        stats=figures,
        report_date=min(_today(), service.ends_on(c)).isoformat() if c else "",
        chart=Markup(stats.daily_chart(figures, c.starts_on)) if c and figures else "",  # noqa: S704 - built from escaped parts
    )


@router.get("/ceasefire/map", response_class=HTMLResponse)
def map_page(request: Request, principal: CurrentPrincipal) -> Response:
    return pages.render(
        request, "ceasefire/map.html", types=list(IncidentType), statuses=list(Verification)
    )


@router.get("/ceasefire/outlines.geojson")
def outlines() -> Response:
    """Country outlines for the map (Natural Earth admin-0, shipped; see data/SOURCES.md)."""
    body = (files("coalition") / "data" / "ceasefire_outlines.geojson").read_bytes()
    return Response(body, media_type="application/geo+json")


@router.get("/ceasefire/regions.geojson")
def region_outlines() -> Response:
    """Oblast outlines for the map (Natural Earth admin-1, shipped; see data/SOURCES.md)."""
    return Response(regions.outlines_bytes(), media_type="application/geo+json")


@router.get("/ceasefire/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(
    incident_id: RecordId, request: Request, session: DbSession, principal: CurrentPrincipal
) -> Response:
    incident = service.get_incident(session, principal, incident_id)
    reports = service.list_reports(session, principal, incident_id=incident.id, limit=200)
    return pages.render(
        request,
        "ceasefire/incident.html",
        incident=service.incident_public(incident),
        reports=reports.items,
        history=service.incident_history(session, principal, incident),
        statuses=list(Verification),
    )


@router.post("/ceasefire/incidents/{incident_id}/status")
def incident_status(
    incident_id: RecordId,
    request: Request,
    session: DbSession,
    principal: SignedIn,
    status: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
    assessed_attribution: Annotated[str, Form(max_length=80)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    pages.check_csrf(request, csrf_token)
    try:
        data = StatusChangeIn(
            status=status, reason=reason, assessed_attribution=assessed_attribution
        )
    except ValidationError as exc:
        raise Invalid("give a status and a reason of at least 3 characters") from exc
    service.set_status(session, principal, incident_id, data)
    return RedirectResponse(f"/ceasefire/incidents/{incident_id}", status_code=303)


@router.get("/ceasefire/reports/new", response_class=HTMLResponse)
def report_form(request: Request, principal: SignedIn) -> Response:
    return pages.render(
        request,
        "ceasefire/report_form.html",
        types=list(IncidentType),
        kinds=list(SourceKind),
        markings=list(Marking),
        error=None,
        form={},
    )


@router.post("/ceasefire/reports")
def file_report(
    request: Request,
    session: DbSession,
    principal: SignedIn,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    source_kind: Annotated[str, Form(max_length=40)] = "monitor_patrol",
    source_name: Annotated[str, Form(max_length=120)] = "",
    source_id: Annotated[str, Form(max_length=120)] = "",
    reliability: Annotated[str, Form(max_length=1)] = "",
    credibility: Annotated[str, Form(max_length=1)] = "",
    occurred_at: Annotated[str, Form(max_length=40)] = "",
    latitude: Annotated[str, Form(max_length=40)] = "",
    longitude: Annotated[str, Form(max_length=40)] = "",
    region: Annotated[str, Form(max_length=80)] = "",
    type: Annotated[str, Form(max_length=40)] = "",
    weapon: Annotated[str, Form(max_length=120)] = "",
    attribution: Annotated[str, Form(max_length=80)] = "",
    casualties: Annotated[str, Form(max_length=10)] = "0",
    text: Annotated[str, Form(max_length=20_000)] = "",
    marking: Annotated[str, Form(max_length=20)] = "COALITION",
    rel_to: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    pages.check_csrf(request, csrf_token)
    form = dict(await_form_values(locals()))
    try:
        occurred = dt.datetime.fromisoformat(occurred_at)
        if occurred.tzinfo is None:
            occurred = occurred.replace(tzinfo=dt.UTC)  # the form asks for UTC
        data = ReportCreate(
            source_kind=source_kind,
            source_name=source_name,
            source_id=source_id,
            reliability=reliability.upper(),
            credibility=int(credibility or 0),
            occurred_at=occurred,
            latitude=float(latitude),
            longitude=float(longitude),
            region=region,
            type=type,
            weapon=weapon,
            attribution=attribution,
            casualties=int(casualties or 0),
            text=text,
            marking=marking,
            rel_to=[c for c in rel_to.replace(",", " ").split() if c],
        )
        report = service.file_report(session, principal, data)
    except (ValueError, ValidationError, Invalid) as exc:
        detail = exc.detail if isinstance(exc, Invalid) else _first_error(exc)
        return pages.render(
            request,
            "ceasefire/report_form.html",
            status_code=422,
            types=list(IncidentType),
            kinds=list(SourceKind),
            markings=list(Marking),
            error=detail,
            form=form,
        )
    incident = service.get_report(session, principal, report.id).incident_id
    return RedirectResponse(f"/ceasefire/incidents/{incident}", status_code=303)


def await_form_values(values: dict[str, object]) -> dict[str, str]:
    return {k: v for k, v in values.items() if isinstance(v, str) and k != "csrf_token"}


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err.get("loc", ()))
        return f"{where}: {err.get('msg', 'invalid')}"
    return "check the time (YYYY-MM-DDTHH:MM), the coordinates and the numbers"


@router.get("/ceasefire/report", response_class=HTMLResponse)
def daily_report(
    request: Request, session: DbSession, principal: CurrentPrincipal, date: dt.date | None = None
) -> Response:
    try:
        report = daily.build(session, principal, date or _today())
    except NotFound:
        return pages.render(
            request, "ceasefire/overview.html", ceasefire=None, stats=None, chart=""
        )
    return pages.render(
        request,
        "ceasefire/daily.html",
        r=report,
        headline=daily.headline(report),
        summary=daily.summary(report),
        previous=(report.date - dt.timedelta(days=1)).isoformat(),
        chart=Markup(report.chart_svg),  # noqa: S704 - built from escaped parts
    )
