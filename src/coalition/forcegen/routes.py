"""HTTP routes for force generation. Thin: parse, call the service, render."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from coalition.core.schemas import Page
from coalition.deps import (
    ERROR_RESPONSES,
    CurrentPrincipal,
    DbSession,
    Limit,
    Offset,
    RecordId,
    SignedIn,
)
from coalition.forcegen import plans, service
from coalition.forcegen.allocation import OfferStatus
from coalition.forcegen.schemas import (
    CapabilityPublic,
    OfferCreate,
    OfferPublic,
    OfferUpdate,
    PlanCreate,
    PlanPublic,
    PlanSummary,
    RequirementCreate,
    RequirementPublic,
    RequirementUpdate,
    ScenarioCreate,
    ScenarioPublic,
)
from coalition.forcegen.taxonomy import Phase, capabilities

# Record ids are 32-bit integers on PostgreSQL; anything outside is a 422, not a crash.

router = APIRouter(prefix="/forcegen", tags=["force generation"], responses=ERROR_RESPONSES)

CapabilityCode = Annotated[str | None, Query(max_length=20, pattern=r"^[A-Z0-9_]+$")]
MemberCode = Annotated[str | None, Query(max_length=4, pattern=r"^[A-Z]{2,4}$")]
RequirementSort = Annotated[str | None, service.REQUIREMENTS.sort_param()]
OfferSort = Annotated[str | None, service.OFFERS.sort_param()]
ScenarioSort = Annotated[str | None, service.SCENARIOS.sort_param()]
PlanSort = Annotated[str | None, plans.PLANS.sort_param()]


@router.get("/capabilities", response_model=list[CapabilityPublic])
def list_capabilities() -> list[CapabilityPublic]:
    """The capability taxonomy, with the backstop enablers flagged."""
    return [CapabilityPublic(**c.__dict__) for c in capabilities().values()]


@router.get("/requirements", response_model=Page[RequirementPublic])
def list_requirements(
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Limit = 100,
    offset: Offset = 0,
    sort: RequirementSort = None,
    capability: CapabilityCode = None,
    phase: Phase | None = None,
) -> Page[RequirementPublic]:
    return service.list_requirements(
        session,
        principal,
        capability=capability,
        phase=phase,
        limit=limit,
        offset=offset,
        sort=sort,
    )


@router.get("/requirements/{requirement_id}", response_model=RequirementPublic)
def get_requirement(
    requirement_id: RecordId, session: DbSession, principal: CurrentPrincipal
) -> RequirementPublic:
    return service.requirement_public(service.get_requirement(session, principal, requirement_id))


@router.post("/requirements", response_model=RequirementPublic, status_code=201)
def create_requirement(
    data: RequirementCreate, session: DbSession, principal: SignedIn
) -> RequirementPublic:
    return service.requirement_public(service.create_requirement(session, principal, data))


@router.patch("/requirements/{requirement_id}", response_model=RequirementPublic)
def update_requirement(
    requirement_id: RecordId, data: RequirementUpdate, session: DbSession, principal: SignedIn
) -> RequirementPublic:
    row = service.update_requirement(session, principal, requirement_id, data)
    return service.requirement_public(row)


@router.get("/offers", response_model=Page[OfferPublic])
def list_offers(
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Limit = 100,
    offset: Offset = 0,
    sort: OfferSort = None,
    member: MemberCode = None,
    capability: CapabilityCode = None,
    status: OfferStatus | None = None,
) -> Page[OfferPublic]:
    return service.list_offers(
        session,
        principal,
        member=member,
        capability=capability,
        status=status,
        limit=limit,
        offset=offset,
        sort=sort,
    )


@router.get("/offers/{offer_id}", response_model=OfferPublic)
def get_offer(offer_id: RecordId, session: DbSession, principal: CurrentPrincipal) -> OfferPublic:
    return service.offer_public(service.get_offer(session, principal, offer_id))


@router.post("/offers", response_model=OfferPublic, status_code=201)
def create_offer(data: OfferCreate, session: DbSession, principal: SignedIn) -> OfferPublic:
    return service.offer_public(service.create_offer(session, principal, data))


@router.patch("/offers/{offer_id}", response_model=OfferPublic)
def update_offer(
    offer_id: RecordId, data: OfferUpdate, session: DbSession, principal: SignedIn
) -> OfferPublic:
    return service.offer_public(service.update_offer(session, principal, offer_id, data))


@router.get("/scenarios", response_model=Page[ScenarioPublic])
def list_scenarios(
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Limit = 100,
    offset: Offset = 0,
    sort: ScenarioSort = None,
) -> Page[ScenarioPublic]:
    return service.list_scenarios(session, principal, limit=limit, offset=offset, sort=sort)


@router.get("/scenarios/{scenario_id}", response_model=ScenarioPublic)
def get_scenario(
    scenario_id: RecordId, session: DbSession, principal: CurrentPrincipal
) -> ScenarioPublic:
    return service.scenario_public(service.get_scenario(session, principal, scenario_id))


@router.post("/scenarios", response_model=ScenarioPublic, status_code=201)
def create_scenario(
    data: ScenarioCreate, session: DbSession, principal: SignedIn
) -> ScenarioPublic:
    return service.scenario_public(service.create_scenario(session, principal, data))


@router.get("/plans", response_model=Page[PlanSummary])
def list_plans(
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Limit = 100,
    offset: Offset = 0,
    sort: PlanSort = None,
    scenario_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Page[PlanSummary]:
    return plans.list_plans(
        session, principal, scenario_id=scenario_id, limit=limit, offset=offset, sort=sort
    )


@router.post("/plans", response_model=PlanPublic, status_code=201)
def create_plan(data: PlanCreate, session: DbSession, principal: SignedIn) -> PlanPublic:
    """Solve a scenario over what the caller may see, and store the plan."""
    return plans.plan_public(plans.solve_scenario(session, principal, data))


@router.get("/plans/{plan_id}", response_model=PlanPublic)
def get_plan(plan_id: RecordId, session: DbSession, principal: CurrentPrincipal) -> PlanPublic:
    return plans.plan_view(session, principal, plans.get_plan(session, principal, plan_id))
