"""Solving a scenario into a stored plan, over only what the planner may see.

A plan is computed from the requirements and offers visible to the planner (through
``visible_select``), solved with and without the backstop, compared with the greedy
allocation, and stored with its inputs' ids and its results. Its owner is the planner's
member; its marking defaults to the widest every input allows (see :mod:`scope`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from coalition.core.errors import Forbidden
from coalition.core.listing import Listing, ListQuery
from coalition.core.marking import Marking, change_of_sight, describe, encode_release, reach
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
from coalition.forcegen.gaps import kept_out
from coalition.forcegen.greedy import greedy
from coalition.forcegen.model import ForceOffer, ForcePlan, ForceRequirement, ForceScenario
from coalition.forcegen.schemas import (
    AllocationOut,
    KeptOutOut,
    LineResult,
    PlanCreate,
    PlanPublic,
    PlanSummary,
    ReasonOut,
)
from coalition.forcegen.service import get_scenario
from coalition.forcegen.solver import plan
from coalition.forcegen.taxonomy import capability_name, decode_codes


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


@dataclass
class Inputs:
    """What a plan of ``scenario_row`` would be computed from, for one planner."""

    scenario_row: ForceScenario
    scenario: Scenario
    req_rows: dict[int, ForceRequirement]
    offer_rows: dict[int, ForceOffer]
    requirements: list[Requirement]
    offers: list[Offer]
    common: scope.Audience


Visible = tuple[dict[int, ForceRequirement], dict[int, ForceOffer]]


def _visible(session: Session, principal: Principal) -> Visible:
    """Every requirement line and offer the principal may see, by id."""
    req_rows = {r.id: r for r in session.scalars(visible_select(principal, ForceRequirement))}
    offer_rows = {o.id: o for o in session.scalars(visible_select(principal, ForceOffer))}
    return req_rows, offer_rows


def gather(
    session: Session, principal: Principal, scenario_id: int, visible: Visible | None = None
) -> Inputs:
    """The scenario's lines and counted offers the planner may see, and their audience."""
    scenario_row = get_scenario(session, principal, scenario_id)
    scenario = as_scenario(scenario_row)
    req_rows, offer_rows = visible or _visible(session, principal)
    requirements = counted_requirements([as_requirement(r) for r in req_rows.values()], scenario)
    offers = counted_offers([as_offer(o) for o in offer_rows.values()], scenario)
    inputs: list[ForceScenario | ForceRequirement | ForceOffer] = [scenario_row]
    inputs += [req_rows[r.id] for r in requirements]
    inputs += [offer_rows[o.id] for o in offers]
    common = scope.common_audience(
        (row.owner_code, Marking(row.marking), row.rel_to) for row in inputs
    )
    return Inputs(scenario_row, scenario, req_rows, offer_rows, requirements, offers, common)


def _require_planner(principal: Principal) -> str:
    if principal.member is None or not principal.has_role(Role.PLANNER):
        raise Forbidden("planners solve scenarios")
    return principal.member


@dataclass(frozen=True)
class MarkingPreview:
    """The marking a plan of a scenario will take, and what that does to who sees it."""

    scenario_id: int
    marking: str  # as shown, e.g. "REL TO FRA, GBR"
    sight: str  # who will no longer see it, against the scenario's marking; may be empty


def preview_markings(
    session: Session, principal: Principal, scenario_ids: list[int]
) -> dict[int, MarkingPreview]:
    """What marking solving each scenario now would give its plan, before solving it."""
    owner = _require_planner(principal)
    visible = _visible(session, principal)
    return {i: _preview(owner, gather(session, principal, i, visible)) for i in scenario_ids}


def _preview(owner: str, found: Inputs) -> MarkingPreview:
    marking, rel_to = scope.widest_marking(owner, found.common)
    row = found.scenario_row
    # The scenario's readers, as a marking of the plan's owner (the planner may read the
    # scenario, so the owner is among them), so that the two compare member by member.
    readers = reach(row.owner_code, Marking(row.marking), row.rel_to)
    if readers is None:
        before: tuple[Marking, str | None] = (Marking(row.marking), "")
    elif readers - {owner}:
        before = (Marking.REL_TO, encode_release(readers - {owner}))
    else:
        before = (Marking.NATIONAL, "")
    after = (marking, encode_release(rel_to))
    return MarkingPreview(
        scenario_id=row.id,
        marking=describe(marking, owner, after[1]),
        sight=change_of_sight(owner, before, after),
    )


def solve_scenario(session: Session, principal: Principal, data: PlanCreate) -> ForcePlan:
    """Solve a scenario for ``principal`` and store the plan."""
    owner = _require_planner(principal)
    found = gather(session, principal, data.scenario_id)
    scenario_row, scenario = found.scenario_row, found.scenario
    req_rows, offer_rows = found.req_rows, found.offer_rows
    requirements, offers, common = found.requirements, found.offers, found.common
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
    # Offers the scenario does not count may be named as kept out only where everyone
    # the plan is marked for may read them.
    readers = reach(owner, marking, stored_rel)
    counted_ids = {o.id for o in offers}
    nameable = offers + [
        as_offer(row)
        for row in offer_rows.values()
        if row.id not in counted_ids
        and _covers(reach(row.owner_code, Marking(row.marking), row.rel_to), readers)
    ]
    labels = {r.id: req_rows[r.id].label for r in requirements}
    out = kept_out(requirements, nameable, scenario, headline, labels)
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
            kept_out=[
                KeptOutOut(
                    offer_id=k.offer_id,
                    member=k.member,
                    capability=k.capability,
                    quantity=k.quantity,
                    allocated_here=k.allocated_here,
                    reasons=[ReasonOut(code=e.code, text=e.text) for e in k.reasons],
                )
                for k in out.get(r.id, ())
            ],
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
                "explained": True,
            }
        ),
        owner_code=owner,
        marking=marking.value,
        rel_to=stored_rel,
    )
    session.add(row)
    session.flush()
    return row


def _covers(audience: scope.Audience, readers: scope.Audience) -> bool:
    """Whether everyone in ``readers`` is in ``audience`` (``None``: every member)."""
    return audience is None or (readers is not None and readers <= audience)


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


def plan_public(row: ForcePlan, stale: list[str] | None = None) -> PlanPublic:
    """The plan as stored; ``stale`` says what changed since (see :func:`plan_view`)."""
    inputs: dict[str, Any] = json.loads(row.inputs or "{}")
    result: dict[str, Any] = json.loads(row.result or "{}")
    return PlanPublic(
        **plan_summary(row).model_dump(),
        requirement_ids=inputs.get("requirement_ids", []),
        offer_ids=inputs.get("offer_ids", []),
        lines=[LineResult(**line) for line in result.get("lines", [])],
        allocations=[AllocationOut(**a) for a in result.get("allocations", [])],
        explained=bool(result.get("explained", False)),
        stale=bool(stale),
        stale_reasons=stale or [],
    )


def plan_view(session: Session, principal: Principal, row: ForcePlan) -> PlanPublic:
    """The plan as stored, with what has changed since it was solved, as ``principal``
    may see it."""
    return plan_public(row, changes_since(session, principal, row))


def _when(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _new(row: ForceRequirement | ForceOffer, since: dt.datetime) -> str:
    """How a record the plan did not use came to count: added, or changed to count."""
    if row.created_at > since:
        return f"was added on {_when(row.created_at)}"
    return f"changed on {_when(row.updated_at)} and now counts"


def changes_since(session: Session, principal: Principal, row: ForcePlan) -> list[str]:
    """What changed in the plan's inputs after it was solved, in sentences; empty when
    nothing did.

    A requirement line, offer or the scenario edited after the plan was created, a line or
    an offer the scenario would now count added or changed since, and inputs the reader may
    no longer see (unnamed). Only records ``principal`` may see are named.
    """
    inputs: dict[str, Any] = json.loads(row.inputs or "{}")
    since = row.created_at
    req_ids: list[int] = inputs.get("requirement_ids", [])
    offer_ids: list[int] = inputs.get("offer_ids", [])
    out: list[str] = []
    scenario_row = None
    if row.scenario_id is not None:
        scenario_row = session.scalars(
            visible_select(principal, ForceScenario).where(ForceScenario.id == row.scenario_id)
        ).first()
    if scenario_row is not None and scenario_row.updated_at > since:
        out.append(f"Scenario '{scenario_row.title}' changed on {_when(scenario_row.updated_at)}.")
    req_rows = list(
        session.scalars(
            visible_select(principal, ForceRequirement).where(
                (ForceRequirement.id.in_(req_ids)) | (ForceRequirement.updated_at > since)
            )
        )
    )
    offer_rows = list(
        session.scalars(
            visible_select(principal, ForceOffer).where(
                (ForceOffer.id.in_(offer_ids)) | (ForceOffer.updated_at > since)
            )
        )
    )
    scenario = as_scenario(scenario_row) if scenario_row is not None else None
    wanted = {r.id for r in req_rows if r.id in req_ids}
    capabilities = {r.capability for r in req_rows if r.id in req_ids}
    for r in sorted(req_rows, key=lambda r: r.id):
        if r.id in req_ids:
            if r.updated_at > since:
                out.append(f"Requirement '{r.label}' changed on {_when(r.updated_at)}.")
        elif scenario is None or counted_requirements([as_requirement(r)], scenario):
            out.append(f"Requirement '{r.label}' {_new(r, since)}.")
    seen = {o.id for o in offer_rows if o.id in offer_ids}
    for o in sorted(offer_rows, key=lambda o: o.id):
        what = f"{o.owner_code}'s offer of {capability_name(o.capability)} (offer {o.id})"
        if o.id in offer_ids:
            if o.updated_at > since:
                out.append(f"{what[:1].upper()}{what[1:]} changed on {_when(o.updated_at)}.")
        elif o.capability in capabilities and (
            scenario is None or counted_offers([as_offer(o)], scenario)
        ):
            out.append(f"{what[:1].upper()}{what[1:]} {_new(o, since)}.")
    if len(wanted) < len(req_ids) or len(seen) < len(offer_ids):
        out.append("Some records it was solved from are no longer visible to you.")
    return out


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
