"""Web pages of force generation: requirements, offers, scenarios and plans."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from coalition.core.errors import Invalid
from coalition.core.marking import Marking
from coalition.core.principal import SECRETARIAT, Role
from coalition.deps import CurrentPrincipal, DbSession, RecordId
from coalition.forcegen import charts, plans, service, taxonomy
from coalition.forcegen.allocation import OfferStatus
from coalition.forcegen.schemas import (
    OfferCreate,
    OfferUpdate,
    PlanCreate,
    RequirementCreate,
    RequirementUpdate,
    ScenarioCreate,
)
from coalition.forcegen.taxonomy import Phase, Region, Task, capabilities
from coalition.web import pages

# Record ids are 32-bit integers on PostgreSQL; anything outside is a 422, not a crash.

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Form(max_length=4000)]
Short = Annotated[str, Form(max_length=200)]
Codes = Annotated[list[str], Form(max_length=30)]


def _vocabulary() -> dict[str, Any]:
    return {
        "capabilities": list(capabilities().values()),
        "names": {c.code: c.name for c in capabilities().values()},
        "enablers": taxonomy.enablers(),
        "phases": list(Phase),
        "regions": list(Region),
        "tasks": list(Task),
        "statuses": list(OfferStatus),
        "markings": list(Marking),
    }


def _validated(model: type[Any], **fields: Any) -> Any:
    """Build a wire model from form fields; a bad field is one readable line."""
    try:
        return model(**fields)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err.get("loc", ()))
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        raise Invalid(f"{where}: {message}" if where else message) from None


def _date(value: str, field: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise Invalid(f"{field}: not a date (YYYY-MM-DD)") from None


def _int(value: str, field: str) -> int | None:
    if not value.strip():
        return None
    try:
        return int(value)
    except ValueError:
        raise Invalid(f"{field}: not a whole number") from None


def _rel(value: str) -> list[str]:
    return [c.strip().upper() for c in value.replace(";", ",").split(",") if c.strip()]


@router.get("/forcegen", response_class=HTMLResponse)
def overview(request: Request, session: DbSession, principal: CurrentPrincipal) -> Response:
    return pages.render(
        request,
        "forcegen/overview.html",
        scenarios=service.list_scenarios(session, principal, limit=500).items,
        plans=plans.list_plans(session, principal, limit=200).items,
        requirement_total=service.list_requirements(session, principal, limit=1).total,
        offer_total=service.list_offers(session, principal, limit=1).total,
        may_solve=principal.has_role(Role.PLANNER),
        **_vocabulary(),
    )


@router.post("/forcegen/scenarios")
def create_scenario_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    csrf_token: Short = "",
    name: Short = "",
    title: Short = "",
    description: Text = "",
    members: Short = "",
    backstop: Short = "",
    statuses: Codes = [],  # noqa: B006
    phase: Short = "",
    count_pending_approval: Short = "",
    marking: Short = "COALITION",
    rel_to: Short = "",
) -> Response:
    pages.check_csrf(request, csrf_token)
    data = _validated(
        ScenarioCreate,
        name=name,
        title=title,
        description=description,
        members=_rel(members),
        backstop=bool(backstop),
        statuses=statuses,
        phase=phase or None,
        count_pending_approval=bool(count_pending_approval),
        marking=marking,
        rel_to=_rel(rel_to),
    )
    service.create_scenario(session, principal, data)
    return RedirectResponse("/forcegen", status_code=303)


@router.post("/forcegen/scenarios/{scenario_id}/solve")
def solve_page(
    scenario_id: RecordId,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    csrf_token: Short = "",
) -> Response:
    pages.check_csrf(request, csrf_token)
    row = plans.solve_scenario(session, principal, PlanCreate(scenario_id=scenario_id))
    return RedirectResponse(f"/forcegen/plans/{row.id}", status_code=303)


@router.get("/forcegen/plans/{plan_id}", response_class=HTMLResponse)
def plan_page(
    plan_id: RecordId, request: Request, session: DbSession, principal: CurrentPrincipal
) -> Response:
    plan = plans.plan_public(plans.get_plan(session, principal, plan_id))
    vocab = _vocabulary()
    rows = charts.group_fill(plan.lines)
    filled = {line.requirement_id: line for line in plan.lines}
    headline_filled = "filled" if plan.backstop else "filled_without"
    gaps = [
        (line, line.required - getattr(line, headline_filled))
        for line in plan.lines
        if getattr(line, headline_filled) < line.required
    ]
    rests = [line for line in plan.lines if line.filled > line.filled_without]
    return pages.render(
        request,
        "forcegen/plan.html",
        plan=plan,
        chart=charts.fill_chart(rows, vocab["names"]),
        rows=rows,
        gaps=gaps,
        rests=rests,
        lines_by_id=filled,
        complete_with=sum(1 for line in plan.lines if line.filled >= line.required),
        complete_without=sum(1 for line in plan.lines if line.filled_without >= line.required),
        **vocab,
    )


# Requirements -------------------------------------------------------------------------


@router.get("/forcegen/requirements", response_class=HTMLResponse)
def requirements_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    phase: Phase | None = None,
) -> Response:
    page = service.list_requirements(session, principal, phase=phase, limit=500)
    return pages.render(
        request,
        "forcegen/requirements.html",
        requirements=page.items,
        total=page.total,
        phase=phase,
        may_write=principal.has_role(Role.PLANNER),
        **_vocabulary(),
    )


@router.post("/forcegen/requirements")
def create_requirement_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    csrf_token: Short = "",
    label: Short = "",
    capability: Short = "",
    quantity: Short = "",
    phase: Short = "",
    region: Short = "",
    task: Short = "",
    starts_on: Short = "",
    ends_on: Short = "",
    priority: Short = "3",
    enablers: Codes = [],  # noqa: B006
    marking: Short = "COALITION",
    rel_to: Short = "",
    notes: Text = "",
) -> Response:
    pages.check_csrf(request, csrf_token)
    data = _validated(
        RequirementCreate,
        label=label,
        capability=capability,
        quantity=_int(quantity, "quantity"),
        phase=phase,
        region=region,
        task=task,
        starts_on=_date(starts_on, "starts_on"),
        ends_on=_date(ends_on, "ends_on"),
        priority=_int(priority, "priority") or 3,
        enablers=enablers,
        marking=marking,
        rel_to=_rel(rel_to),
        notes=notes,
    )
    row = service.create_requirement(session, principal, data)
    return RedirectResponse(f"/forcegen/requirements/{row.id}", status_code=303)


@router.get("/forcegen/requirements/{requirement_id}", response_class=HTMLResponse)
def requirement_page(
    requirement_id: RecordId, request: Request, session: DbSession, principal: CurrentPrincipal
) -> Response:
    row = service.get_requirement(session, principal, requirement_id)
    return pages.render(
        request,
        "forcegen/requirement.html",
        requirement=service.requirement_public(row),
        may_write=principal.may_write_for(row.owner_code) and principal.has_role(Role.PLANNER),
        **_vocabulary(),
    )


@router.post("/forcegen/requirements/{requirement_id}")
def update_requirement_page(
    requirement_id: RecordId,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    csrf_token: Short = "",
    version: Short = "",
    label: Short = "",
    quantity: Short = "",
    phase: Short = "",
    region: Short = "",
    task: Short = "",
    starts_on: Short = "",
    ends_on: Short = "",
    priority: Short = "",
    enablers: Codes = [],  # noqa: B006
    notes: Text = "",
) -> Response:
    pages.check_csrf(request, csrf_token)
    data = _validated(
        RequirementUpdate,
        version=_int(version, "version"),
        label=label or None,
        quantity=_int(quantity, "quantity"),
        phase=phase or None,
        region=region or None,
        task=task or None,
        starts_on=_date(starts_on, "starts_on"),
        ends_on=_date(ends_on, "ends_on"),
        priority=_int(priority, "priority"),
        enablers=enablers,
        notes=notes,
    )
    service.update_requirement(session, principal, requirement_id, data)
    return RedirectResponse(f"/forcegen/requirements/{requirement_id}", status_code=303)


# Offers -------------------------------------------------------------------------------


@router.get("/forcegen/offers", response_class=HTMLResponse)
def offers_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    status: OfferStatus | None = None,
) -> Response:
    page = service.list_offers(session, principal, status=status, limit=500)
    member = principal.member
    return pages.render(
        request,
        "forcegen/offers.html",
        offers=page.items,
        total=page.total,
        status=status,
        may_write=member is not None and member != SECRETARIAT and principal.may_write_for(member),
        **_vocabulary(),
    )


@router.post("/forcegen/offers")
def create_offer_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    csrf_token: Short = "",
    capability: Short = "",
    quantity: Short = "",
    starts_on: Short = "",
    ends_on: Short = "",
    status: Short = "indicated",
    excluded_regions: Codes = [],  # noqa: B006
    excluded_tasks: Codes = [],  # noqa: B006
    needs_enablers: Codes = [],  # noqa: B006
    approval_pending: Short = "",
    marking: Short = "NATIONAL",
    rel_to: Short = "",
    notes: Text = "",
) -> Response:
    pages.check_csrf(request, csrf_token)
    data = _validated(
        OfferCreate,
        capability=capability,
        quantity=_int(quantity, "quantity"),
        starts_on=_date(starts_on, "starts_on"),
        ends_on=_date(ends_on, "ends_on"),
        status=status,
        excluded_regions=excluded_regions,
        excluded_tasks=excluded_tasks,
        needs_enablers=needs_enablers,
        approval_pending=bool(approval_pending),
        marking=marking,
        rel_to=_rel(rel_to),
        notes=notes,
    )
    row = service.create_offer(session, principal, data)
    return RedirectResponse(f"/forcegen/offers/{row.id}", status_code=303)


@router.get("/forcegen/offers/{offer_id}", response_class=HTMLResponse)
def offer_page(
    offer_id: RecordId, request: Request, session: DbSession, principal: CurrentPrincipal
) -> Response:
    row = service.get_offer(session, principal, offer_id)
    return pages.render(
        request,
        "forcegen/offer.html",
        offer=service.offer_public(row),
        may_write=principal.may_write_for(row.owner_code),
        **_vocabulary(),
    )


@router.post("/forcegen/offers/{offer_id}")
def update_offer_page(
    offer_id: RecordId,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    csrf_token: Short = "",
    version: Short = "",
    quantity: Short = "",
    starts_on: Short = "",
    ends_on: Short = "",
    status: Short = "",
    excluded_regions: Codes = [],  # noqa: B006
    excluded_tasks: Codes = [],  # noqa: B006
    needs_enablers: Codes = [],  # noqa: B006
    approval_pending: Short = "",
    marking: Short = "",
    rel_to: Short = "",
    notes: Text = "",
) -> Response:
    pages.check_csrf(request, csrf_token)
    data = _validated(
        OfferUpdate,
        version=_int(version, "version"),
        quantity=_int(quantity, "quantity"),
        starts_on=_date(starts_on, "starts_on"),
        ends_on=_date(ends_on, "ends_on"),
        status=status or None,
        excluded_regions=excluded_regions,
        excluded_tasks=excluded_tasks,
        needs_enablers=needs_enablers,
        approval_pending=bool(approval_pending),
        marking=marking or None,
        rel_to=_rel(rel_to),
        notes=notes,
    )
    service.update_offer(session, principal, offer_id, data)
    return RedirectResponse(f"/forcegen/offers/{offer_id}", status_code=303)
