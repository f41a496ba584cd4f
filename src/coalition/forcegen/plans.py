"""Solving a scenario into a stored plan, over only what the planner may see.

A plan is computed from the requirements and offers visible to the planner (through
``visible_select``), solved with and without the backstop, compared with the greedy
allocation, and stored with its inputs' ids and its results. Its owner is the planner's
member; its marking defaults to the widest every input allows (see :mod:`scope`).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from coalition.core.errors import Forbidden
from coalition.core.listing import Listing, ListQuery
from coalition.core.marking import Marking
from coalition.core.model import checked_release, require_members
from coalition.core.principal import Principal, Role
from coalition.core.schemas import Page
from coalition.core.visibility import get_visible, visible_select
from coalition.forcegen import scope
from coalition.forcegen.allocation import (
    Offer,
    OfferStatus,
    Requirement,
    Scenario,
    counted_offers,
    counted_requirements,
    fill_score,
)
from coalition.forcegen.greedy import greedy
from coalition.forcegen.model import ForceOffer, ForcePlan, ForceRequirement, ForceScenario
from coalition.forcegen.schemas import (
    AllocationOut,
    LineResult,
    PlanCreate,
    PlanPublic,
    PlanSummary,
)
from coalition.forcegen.service import get_scenario
from coalition.forcegen.solver import plan
from coalition.forcegen.taxonomy import decode_codes


def as_requirement(row: ForceRequirement) -> Requirement:
    return Requirement(
        id=row.id,
        capability=row.capability,
        quantity=row.quantity,
        phase=row.phase,
        region=row.region,
        task=row.task,
        start=row.starts_on,
        end=row.ends_on,
        priority=row.priority,
        enablers=frozenset(decode_codes(row.enablers)),
    )


def as_offer(row: ForceOffer) -> Offer:
    return Offer(
        id=row.id,
        member=row.owner_code,
        capability=row.capability,
        quantity=row.quantity,
        start=row.starts_on,
        end=row.ends_on,
        status=OfferStatus(row.status),
        excluded_regions=frozenset(decode_codes(row.excluded_regions)),
        excluded_tasks=frozenset(decode_codes(row.excluded_tasks)),
        needs_enablers=frozenset(decode_codes(row.needs_enablers)),
        approval_pending=row.approval_pending,
    )


def as_scenario(row: ForceScenario) -> Scenario:
    members = decode_codes(row.members)
    return Scenario(
        backstop=row.backstop,
        members=frozenset(members) if members else None,
        statuses=frozenset(OfferStatus(s) for s in decode_codes(row.statuses)),
        phase=row.phase,
        count_pending_approval=row.count_pending_approval,
    )


def solve_scenario(session: Session, principal: Principal, data: PlanCreate) -> ForcePlan:
    """Solve a scenario for ``principal`` and store the plan."""
    if principal.member is None or not principal.has_role(Role.PLANNER):
        raise Forbidden("planners solve scenarios")
    owner = principal.member
    scenario_row = get_scenario(session, principal, data.scenario_id)
    scenario = as_scenario(scenario_row)
    req_rows = {r.id: r for r in session.scalars(visible_select(principal, ForceRequirement))}
    offer_rows = {o.id: o for o in session.scalars(visible_select(principal, ForceOffer))}
    requirements = counted_requirements([as_requirement(r) for r in req_rows.values()], scenario)
    offers = counted_offers([as_offer(o) for o in offer_rows.values()], scenario)

    inputs: list[ForceScenario | ForceRequirement | ForceOffer] = [scenario_row]
    inputs += [req_rows[r.id] for r in requirements]
    inputs += [offer_rows[o.id] for o in offers]
    common = scope.common_audience(
        (row.owner_code, Marking(row.marking), row.rel_to) for row in inputs
    )
    if data.marking is None:
        marking, rel_to = scope.widest_marking(owner, common)
    else:
        marking, rel_to = data.marking, sorted({c.upper() for c in data.rel_to} - {owner})
        require_members(session, rel_to)
        scope.check_within(owner, marking, rel_to, common)
    stored_rel = checked_release(session, principal, owner, marking, rel_to)

    result = plan(requirements, offers, scenario, time_limit=data.time_limit)
    headline = result.headline
    _, greedy_fills = greedy(requirements, offers, scenario)
    without = {f.requirement_id: f.filled for f in result.without_backstop.fills}
    with_b = {f.requirement_id: f.filled for f in result.with_backstop.fills}
    lines = [
        LineResult(
            requirement_id=r.id,
            label=req_rows[r.id].label,
            capability=r.capability,
            phase=r.phase,
            region=r.region,
            priority=r.priority,
            required=r.quantity,
            filled=with_b[r.id],
            filled_without=without[r.id],
        )
        for r in sorted(requirements, key=lambda r: (r.priority, r.start, r.id))
    ]
    allocations = [
        AllocationOut(backstop=True, **a.__dict__) for a in result.with_backstop.allocations
    ] + [AllocationOut(backstop=False, **a.__dict__) for a in result.without_backstop.allocations]
    row = ForcePlan(
        scenario_id=scenario_row.id,
        scenario_name=scenario_row.title,
        computed_by=principal.actor,
        backstop=scenario.backstop,
        status=headline.status,
        gap=headline.gap,
        objective=round(headline.objective, 6),
        objective_without=round(result.without_backstop.objective, 6),
        greedy_objective=round(fill_score(requirements, greedy_fills), 6),
        required=sum(r.quantity for r in requirements),
        filled=sum(with_b.values()),
        filled_without=sum(without.values()),
        solve_s=round(result.with_backstop.solve_s + result.without_backstop.solve_s, 4),
        inputs=json.dumps(
            {
                "scenario_id": scenario_row.id,
                "requirement_ids": sorted(r.id for r in requirements),
                "offer_ids": sorted(o.id for o in offers),
            }
        ),
        result=json.dumps(
            {
                "lines": [line.model_dump() for line in lines],
                "allocations": [a.model_dump() for a in allocations],
            }
        ),
        owner_code=owner,
        marking=marking.value,
        rel_to=stored_rel,
    )
    session.add(row)
    session.flush()
    return row


def plan_summary(row: ForcePlan) -> PlanSummary:
    return PlanSummary.of(
        row,
        id=row.id,
        scenario_id=row.scenario_id,
        scenario_name=row.scenario_name,
        computed_by=row.computed_by,
        created_at=row.created_at,
        backstop=row.backstop,
        status=row.status,
        gap=row.gap,
        objective=row.objective,
        objective_without=row.objective_without,
        greedy_objective=row.greedy_objective,
        required=row.required,
        filled=row.filled,
        filled_without=row.filled_without,
    )


def plan_public(row: ForcePlan) -> PlanPublic:
    inputs: dict[str, Any] = json.loads(row.inputs or "{}")
    result: dict[str, Any] = json.loads(row.result or "{}")
    return PlanPublic(
        **plan_summary(row).model_dump(),
        requirement_ids=inputs.get("requirement_ids", []),
        offer_ids=inputs.get("offer_ids", []),
        lines=[LineResult(**line) for line in result.get("lines", [])],
        allocations=[AllocationOut(**a) for a in result.get("allocations", [])],
    )


PLANS = Listing(
    model=ForcePlan,
    sorts={
        "id": ForcePlan.id,
        "scenario": ForcePlan.scenario_name,
        "status": ForcePlan.status,
        "filled": ForcePlan.filled,
    },
    default=[ForcePlan.id.desc()],
    filters={"scenario_id": lambda ident: ForcePlan.scenario_id == ident},
)


def list_plans(
    session: Session,
    principal: Principal,
    *,
    scenario_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
    sort: str | None = None,
) -> Page[PlanSummary]:
    """The plans the reader may see, newest first."""
    rows = PLANS.fetch(
        session,
        visible_select(principal, ForcePlan),
        ListQuery(limit, offset, sort),
        scenario_id=scenario_id,
    )
    return rows.page(plan_summary)


def get_plan(session: Session, principal: Principal, ident: int) -> ForcePlan:
    return get_visible(session, principal, ForcePlan, ident)
