"""Web pages of force generation: requirements, offers, scenarios and plans."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from coalition.core.forms import (
    Choices,
    PageForm,
    Refusal,
    Short,
    Text,
    blank_none,
    parse_rel_to,
    submit,
    ticked,
    validate,
    whole,
)
from coalition.core.marking import Marking
from coalition.core.principal import SECRETARIAT, Principal, Role
from coalition.deps import PAGE_ROWS, CurrentPrincipal, DbSession, Limit, Offset, RecordId
from coalition.forcegen import charts, plans, service, taxonomy
from coalition.forcegen.allocation import OfferStatus
from coalition.forcegen.routes import OfferSort, RequirementSort
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

# How each form reads its number and date fields; blank means not given.
NUMBERS = {
    "quantity": whole,
    "priority": whole,
    "version": whole,
    "starts_on": blank_none,
    "ends_on": blank_none,
}
LABELS = {"rel_to": "Released to", "label": "Line", "starts_on": "Starts on"}


def _vocabulary() -> dict[str, Any]:
    return {
        "capabilities": list(capabilities().values()),
        "names": {c.code: c.name for c in capabilities().values()},
        "region_names": taxonomy.REGION_NAMES,
        "enablers": taxonomy.enablers(),
        "phases": list(Phase),
        "regions": list(Region),
        "tasks": list(Task),
        "statuses": list(OfferStatus),
        "markings": list(Marking),
    }


def _form_page(
    request: Request, form: str, title: str, refusal: Refusal, values: dict[str, Any]
) -> Response:
    """A refused form on a page of its own, with what was typed and why (the list pages
    carry the same form, from the same partial)."""
    return pages.render(
        request,
        "forcegen/form.html",
        status_code=refusal.status,
        form_template=f"forcegen/_{form}_form.html",
        title=title,
        errors=refusal.errors,
        values=values,
        **_vocabulary(),
    )


@router.get("/forcegen", response_class=HTMLResponse)
def overview(request: Request, session: DbSession, principal: CurrentPrincipal) -> Response:
    scenarios = service.list_scenarios(session, principal, limit=500).items
    may_solve = principal.member is not None and principal.has_role(Role.PLANNER)
    # Before solving, a planner reads the marking each plan would take and who loses sight.
    previews = (
        plans.preview_markings(session, principal, [s.id for s in scenarios]) if may_solve else {}
    )
    return pages.render(
        request,
        "forcegen/overview.html",
        scenarios=scenarios,
        previews=previews,
        plans=plans.list_plans(session, principal, limit=200).items,
        requirement_total=service.list_requirements(session, principal, limit=1).total,
        offer_total=service.list_offers(session, principal, limit=1).total,
        may_solve=may_solve,
        **_vocabulary(),
    )


class ScenarioForm(PageForm):
    """The form defining a scenario: who takes part and which offers count."""

    name: Short = ""
    title: Short = ""
    description: Text = ""
    members: Short = ""
    backstop: Short = ""
    statuses: Choices = []
    phase: Short = ""
    count_pending_approval: Short = ""
    marking: Short = "COALITION"
    rel_to: Short = ""

    def wire(self) -> ScenarioCreate:
        return validate(
            ScenarioCreate,
            {
                **self.typed(),
                "backstop": ticked(self.backstop),
                "phase": self.phase or None,
                "count_pending_approval": ticked(self.count_pending_approval),
            },
            {"members": parse_rel_to},
        )


@router.post("/forcegen/scenarios")
def create_scenario_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    form: Annotated[ScenarioForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    result = submit(
        session,
        lambda: service.create_scenario(session, principal, form.wire()),
        ScenarioForm.model_fields,
        LABELS,
    )
    if isinstance(result, Refusal):
        return _form_page(request, "scenario", "Define a scenario", result, form.typed())
    return pages.saved(request, "/forcegen", "Scenario saved.")


@router.post("/forcegen/scenarios/{scenario_id}/solve")
def solve_page(
    scenario_id: RecordId,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    pages.check_csrf(request, csrf_token)
    row = plans.solve_scenario(session, principal, PlanCreate(scenario_id=scenario_id))
    return pages.saved(request, f"/forcegen/plans/{row.id}", "Plan solved and saved.")


@router.get("/forcegen/plans/{plan_id}", response_class=HTMLResponse)
def plan_page(
    plan_id: RecordId, request: Request, session: DbSession, principal: CurrentPrincipal
) -> Response:
    plan = plans.plan_view(session, principal, plans.get_plan(session, principal, plan_id))
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
        supplied={a.requirement_id for a in plan.allocations if a.backstop == plan.backstop},
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
    limit: Limit = PAGE_ROWS,
    offset: Offset = 0,
    sort: RequirementSort = None,
) -> Response:
    page = service.list_requirements(
        session, principal, phase=phase, limit=limit, offset=offset, sort=sort
    )
    return pages.render(
        request,
        "forcegen/requirements.html",
        page=page,
        requirements=page.items,
        total=page.total,
        phase=phase,
        may_write=principal.has_role(Role.PLANNER),
        **_vocabulary(),
    )


class RequirementForm(PageForm):
    """The form adding a line to the statement of requirements."""

    label: Short = ""
    capability: Short = ""
    quantity: Short = ""
    phase: Short = ""
    region: Short = ""
    task: Short = ""
    starts_on: Short = ""
    ends_on: Short = ""
    priority: Short = "3"
    enablers: Choices = []
    marking: Short = "COALITION"
    rel_to: Short = ""
    notes: Text = ""

    def wire(self) -> RequirementCreate:
        return validate(RequirementCreate, self.typed(), NUMBERS)


@router.post("/forcegen/requirements")
def create_requirement_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    form: Annotated[RequirementForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    result = submit(
        session,
        lambda: service.create_requirement(session, principal, form.wire()),
        RequirementForm.model_fields,
        LABELS,
    )
    if isinstance(result, Refusal):
        return _form_page(request, "requirement", "Add a requirement line", result, form.typed())
    return pages.saved(request, f"/forcegen/requirements/{result.id}", "Requirement saved.")


@router.get("/forcegen/requirements/{requirement_id}", response_class=HTMLResponse)
def requirement_page(
    requirement_id: RecordId, request: Request, session: DbSession, principal: CurrentPrincipal
) -> Response:
    return _requirement(request, session, principal, requirement_id)


def _requirement(
    request: Request,
    session: Session,
    principal: Principal,
    requirement_id: int,
    refusal: Refusal | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    row = service.get_requirement(session, principal, requirement_id)
    return pages.render(
        request,
        "forcegen/requirement.html",
        status_code=refusal.status if refusal else 200,
        requirement=service.requirement_public(row),
        may_write=principal.may_write_for(row.owner_code) and principal.has_role(Role.PLANNER),
        errors=refusal.errors if refusal else None,
        values=values or {},
        **_vocabulary(),
    )


class RequirementChangeForm(PageForm):
    """The form editing a requirement line; ``version`` is the one the planner read."""

    version: Short = ""
    label: Short = ""
    quantity: Short = ""
    phase: Short = ""
    region: Short = ""
    task: Short = ""
    starts_on: Short = ""
    ends_on: Short = ""
    priority: Short = ""
    enablers: Choices = []
    notes: Text = ""

    def wire(self) -> RequirementUpdate:
        blanks = {n: blank_none for n in ("label", "phase", "region", "task")}
        return validate(RequirementUpdate, self.typed(), {**NUMBERS, **blanks})


@router.post("/forcegen/requirements/{requirement_id}")
def update_requirement_page(
    requirement_id: RecordId,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    form: Annotated[RequirementChangeForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    result = submit(
        session,
        lambda: service.update_requirement(session, principal, requirement_id, form.wire()),
        RequirementChangeForm.model_fields,
        LABELS,
    )
    if isinstance(result, Refusal):
        # A stale edit shows the line as it now is; a bad value keeps what was typed.
        typed = form.typed() if result.status == 422 else None
        return _requirement(request, session, principal, requirement_id, result, typed)
    return pages.saved(request, f"/forcegen/requirements/{requirement_id}", "Requirement changed.")


# Offers -------------------------------------------------------------------------------


@router.get("/forcegen/offers", response_class=HTMLResponse)
def offers_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    status: OfferStatus | None = None,
    limit: Limit = PAGE_ROWS,
    offset: Offset = 0,
    sort: OfferSort = None,
) -> Response:
    page = service.list_offers(
        session, principal, status=status, limit=limit, offset=offset, sort=sort
    )
    member = principal.member
    return pages.render(
        request,
        "forcegen/offers.html",
        page=page,
        offers=page.items,
        total=page.total,
        status=status,
        may_write=member is not None and member != SECRETARIAT and principal.may_write_for(member),
        **_vocabulary(),
    )


class OfferForm(PageForm):
    """The form recording a member's offer of a capability, with its caveats."""

    capability: Short = ""
    quantity: Short = ""
    starts_on: Short = ""
    ends_on: Short = ""
    status: Short = "indicated"
    excluded_regions: Choices = []
    excluded_tasks: Choices = []
    needs_enablers: Choices = []
    approval_pending: Short = ""
    marking: Short = "NATIONAL"
    rel_to: Short = ""
    notes: Text = ""

    def wire(self) -> OfferCreate:
        return validate(
            OfferCreate,
            {**self.typed(), "approval_pending": ticked(self.approval_pending)},
            NUMBERS,
        )


@router.post("/forcegen/offers")
def create_offer_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    form: Annotated[OfferForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    result = submit(
        session,
        lambda: service.create_offer(session, principal, form.wire()),
        OfferForm.model_fields,
        LABELS,
    )
    if isinstance(result, Refusal):
        return _form_page(request, "offer", "Offer a capability", result, form.typed())
    return pages.saved(request, f"/forcegen/offers/{result.id}", "Offer saved.")


@router.get("/forcegen/offers/{offer_id}", response_class=HTMLResponse)
def offer_page(
    offer_id: RecordId, request: Request, session: DbSession, principal: CurrentPrincipal
) -> Response:
    return _offer(request, session, principal, offer_id)


def _offer(
    request: Request,
    session: Session,
    principal: Principal,
    offer_id: int,
    refusal: Refusal | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    row = service.get_offer(session, principal, offer_id)
    return pages.render(
        request,
        "forcegen/offer.html",
        status_code=refusal.status if refusal else 200,
        offer=service.offer_public(row),
        may_write=principal.may_write_for(row.owner_code),
        errors=refusal.errors if refusal else None,
        values=values or {},
        **_vocabulary(),
    )


class OfferChangeForm(PageForm):
    """The form editing an offer and its caveats; ``version`` is the one the officer read."""

    version: Short = ""
    quantity: Short = ""
    starts_on: Short = ""
    ends_on: Short = ""
    status: Short = ""
    excluded_regions: Choices = []
    excluded_tasks: Choices = []
    needs_enablers: Choices = []
    approval_pending: Short = ""
    marking: Short = ""
    rel_to: Short = ""
    notes: Text = ""

    def wire(self) -> OfferUpdate:
        return validate(
            OfferUpdate,
            {**self.typed(), "approval_pending": ticked(self.approval_pending)},
            {**NUMBERS, "status": blank_none, "marking": blank_none},
        )


@router.post("/forcegen/offers/{offer_id}")
def update_offer_page(
    offer_id: RecordId,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    form: Annotated[OfferChangeForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    result = submit(
        session,
        lambda: service.update_offer(session, principal, offer_id, form.wire()),
        OfferChangeForm.model_fields,
        LABELS,
    )
    if isinstance(result, Refusal):
        typed = form.typed() if result.status == 422 else None
        return _offer(request, session, principal, offer_id, result, typed)
    return pages.saved(request, f"/forcegen/offers/{offer_id}", "Offer changed.")
