"""The ceasefire pages: overview with the countdown, map, incident, report form, daily report."""

from __future__ import annotations

import datetime as dt
from importlib.resources import files
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from coalition.ceasefire import daily, regions, service, stats
from coalition.ceasefire.schemas import ReportCreate, StatusChangeIn
from coalition.ceasefire.vocabulary import IncidentType, SourceKind, TimePrecision, Verification
from coalition.core.errors import Forbidden, NotFound
from coalition.core.forms import (
    PageForm,
    Refusal,
    Short,
    Text,
    number,
    submit,
    utc_text,
    validate,
    whole,
)
from coalition.core.marking import Marking
from coalition.core.principal import Principal, Role
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
def region_outlines(detail: Literal["low", "medium", "high"] = "low") -> Response:
    """Region outlines for the map (geoBoundaries and Natural Earth, shipped; see
    data/SOURCES.md), simplified as finely as the map's zoom needs (``detail``)."""
    return Response(
        regions.map_outlines(detail),
        media_type="application/geo+json",
        headers={"Cache-Control": "max-age=86400"},
    )


@router.get("/ceasefire/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(
    incident_id: RecordId, request: Request, session: DbSession, principal: CurrentPrincipal
) -> Response:
    return _incident(request, session, principal, incident_id)


def _incident(
    request: Request,
    session: Session,
    principal: Principal,
    incident_id: int,
    refusal: Refusal | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    incident = service.get_incident(session, principal, incident_id)
    reports = service.list_reports(session, principal, incident_id=incident.id, limit=200)
    return pages.render(
        request,
        "ceasefire/incident.html",
        status_code=refusal.status if refusal else 200,
        incident=service.incident_public(incident),
        reports=reports.items,
        when=daily.when,
        fatalities=daily.fatalities,
        history=service.incident_history(session, principal, incident),
        statuses=list(Verification),
        errors=refusal.errors if refusal else None,
        values=values or {},
    )


class StatusForm(PageForm):
    """The form changing an incident's verification status, with the reason."""

    status: Short = ""
    reason: Short = ""
    assessed_attribution: Short = ""

    def wire(self) -> StatusChangeIn:
        return validate(StatusChangeIn, self.typed())


@router.post("/ceasefire/incidents/{incident_id}/status")
def incident_status(
    incident_id: RecordId,
    request: Request,
    session: DbSession,
    principal: SignedIn,
    form: Annotated[StatusForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    result = submit(
        session,
        lambda: service.set_status(session, principal, incident_id, form.wire()),
        StatusForm.model_fields,
        {"assessed_attribution": "Assessed attribution"},
    )
    if isinstance(result, Refusal):
        return _incident(request, session, principal, incident_id, result, form.typed())
    return RedirectResponse(f"/ceasefire/incidents/{incident_id}", status_code=303)


def _report_form(
    request: Request, refusal: Refusal | None = None, values: dict[str, Any] | None = None
) -> Response:
    return pages.render(
        request,
        "ceasefire/report_form.html",
        status_code=refusal.status if refusal else 200,
        types=list(IncidentType),
        kinds=list(SourceKind),
        precisions=list(TimePrecision),
        markings=list(Marking),
        errors=refusal.errors if refusal else None,
        values=values or {},
    )


@router.get("/ceasefire/reports/new", response_class=HTMLResponse)
def report_form(request: Request, principal: SignedIn) -> Response:
    _require_monitor(principal)
    return _report_form(request)


def _require_monitor(principal: Principal) -> None:
    """Only monitors (and admins) file reports: others are refused before any form."""
    if principal.member is None or not principal.has_role(Role.MONITOR):
        raise Forbidden(
            f"only monitors file ceasefire reports; you are signed in as a "
            f"{principal.role.value if principal.role else 'reader'}"
        )


class ReportForm(PageForm):
    """The form filing a report, as typed; its time is in UTC unless it names a zone."""

    source_kind: Short = "monitor_patrol"
    source_name: Short = ""
    source_id: Short = ""
    reliability: Short = ""
    credibility: Short = ""
    occurred_at: Short = ""
    time_precision: Short = "minute"
    latitude: Short = ""
    longitude: Short = ""
    region: Short = ""
    type: Short = ""
    weapon: Short = ""
    attribution: Short = ""
    casualties: Short = "0"
    text: Text = ""
    marking: Short = "COALITION"
    rel_to: Short = ""

    def wire(self) -> ReportCreate:
        return validate(
            ReportCreate,
            {
                **self.typed(),
                "reliability": self.reliability.strip().upper(),
                "occurred_at": utc_text(self.occurred_at),
            },
            {"credibility": whole, "casualties": whole, "latitude": number, "longitude": number},
        )


@router.post("/ceasefire/reports")
def file_report(
    request: Request,
    session: DbSession,
    principal: SignedIn,
    form: Annotated[ReportForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    _require_monitor(principal)
    result = submit(
        session,
        lambda: service.file_report(session, principal, form.wire()),
        ReportForm.model_fields,
        {
            "occurred_at": "Occurred",
            "time_precision": "Time given to",
            "source_id": "Source's own id",
            "rel_to": "Released to",
        },
    )
    if isinstance(result, Refusal):
        return _report_form(request, result, form.typed())
    incident = service.get_report(session, principal, result.id).incident_id
    return RedirectResponse(f"/ceasefire/incidents/{incident}", status_code=303)


@router.get("/ceasefire/report", response_class=HTMLResponse)
def daily_report(
    request: Request, session: DbSession, principal: CurrentPrincipal, date: dt.date | None = None
) -> Response:
    # Without a date, the report opens on the latest day holding reports, not on today.
    on = date or daily.latest_day(session, principal, _today()) or _today()
    try:
        report = daily.build(session, principal, on)
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
        when=daily.when,
        notable_line=daily.notable_line,
        previous=(report.date - dt.timedelta(days=1)).isoformat(),
        next=(report.date + dt.timedelta(days=1)).isoformat() if report.date < _today() else None,
        chart=Markup(report.chart_svg),  # noqa: S704 - built from escaped parts
    )
