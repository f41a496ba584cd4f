"""Operations on requirements, offers and scenarios. Each takes a session and the principal.

Who writes what:
- requirements: planners (role planner or admin) of any member, the secretariat included;
  a line belongs to the planner's member and only its planners change it;
- offers: the offering member's own contributors, planners and admins;
- scenarios and plans: planners; a plan belongs to the planner's member.
Plans are solved in :mod:`coalition.forcegen.plans`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from coalition.core.editing import apply_patch, check_version
from coalition.core.errors import Conflict, Forbidden, Invalid, NotFound
from coalition.core.listing import Listing, ListQuery
from coalition.core.marking import Marking, note_shown
from coalition.core.principal import SECRETARIAT, Principal, Role
from coalition.core.schemas import Page
from coalition.core.visibility import get_visible, visible_select
from coalition.forcegen.allocation import (
    Offer,
    OfferStatus,
    Plan,
    Requirement,
    Scenario,
    counted_offers,
)
from coalition.forcegen.model import ForceOffer, ForceRequirement, ForceScenario
from coalition.forcegen.schemas import (
    OfferCreate,
    OfferPublic,
    OfferUpdate,
    RequirementCreate,
    RequirementPublic,
    RequirementUpdate,
    ScenarioCreate,
    ScenarioPublic,
)
from coalition.forcegen.solver import plan
from coalition.forcegen.taxonomy import (
    Phase,
    Region,
    Task,
    capabilities,
    decode_codes,
    encode_codes,
)
from coalition.members.service import require_member


def check_capability(code: str) -> None:
    if code not in capabilities():
        raise Invalid(f"unknown capability {code!r}; see /api/v1/forcegen/capabilities")


def check_enablers(codes: list[str]) -> str:
    """Validate a list of backstop enablers and return its stored form."""
    for code in codes:
        check_capability(code)
        if not capabilities()[code].backstop_enabler:
            raise Invalid(f"{code} is not a backstop enabler")
    return encode_codes(codes)


# Requirements -------------------------------------------------------------------------


def requirement_public(row: ForceRequirement) -> RequirementPublic:
    return RequirementPublic.of(
        row,
        id=row.id,
        label=row.label,
        capability=row.capability,
        quantity=row.quantity,
        phase=Phase(row.phase),
        region=Region(row.region),
        task=Task(row.task),
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        priority=row.priority,
        enablers=decode_codes(row.enablers),
        notes=row.notes,
        version=row.version,
    )


REQUIREMENTS = Listing(
    model=ForceRequirement,
    sorts={
        "label": ForceRequirement.label,
        "capability": ForceRequirement.capability,
        "quantity": ForceRequirement.quantity,
        "phase": ForceRequirement.phase,
        "region": ForceRequirement.region,
        "starts_on": ForceRequirement.starts_on,
        "priority": ForceRequirement.priority,
    },
    default=[ForceRequirement.priority, ForceRequirement.starts_on],
    filters={
        "capability": lambda code: ForceRequirement.capability == code,
        "phase": lambda phase: ForceRequirement.phase == phase.value,
    },
)


def list_requirements(
    session: Session,
    principal: Principal,
    *,
    capability: str | None = None,
    phase: Phase | None = None,
    limit: int = 100,
    offset: int = 0,
    sort: str | None = None,
) -> Page[RequirementPublic]:
    rows = REQUIREMENTS.fetch(
        session,
        visible_select(principal, ForceRequirement),
        ListQuery(limit, offset, sort),
        capability=capability,
        phase=phase,
    )
    return rows.page(requirement_public)


def get_requirement(session: Session, principal: Principal, ident: int) -> ForceRequirement:
    return get_visible(session, principal, ForceRequirement, ident)


def _require_planner(principal: Principal) -> None:
    if principal.member is None or not principal.has_role(Role.PLANNER):
        raise Forbidden("planners write the statement of requirements")


def create_requirement(
    session: Session, principal: Principal, data: RequirementCreate
) -> ForceRequirement:
    _require_planner(principal)
    owner = str(principal.member)
    check_capability(data.capability)
    row = ForceRequirement(
        label=data.label,
        capability=data.capability,
        quantity=data.quantity,
        phase=data.phase.value,
        region=data.region.value,
        task=data.task.value,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        priority=data.priority,
        enablers=check_enablers(data.enablers),
        notes=data.notes,
        illustrative=data.illustrative,
    )
    row.mark(session, principal, data.marking, data.rel_to, owner=owner)
    session.add(row)
    session.flush()
    return row


def update_requirement(
    session: Session, principal: Principal, ident: int, data: RequirementUpdate
) -> ForceRequirement:
    row = get_requirement(session, principal, ident)
    if not (principal.may_write_for(row.owner_code) and principal.has_role(Role.PLANNER)):
        raise Forbidden(f"only planners of {row.owner_code} change this requirement")
    check_version(row, data.version)
    patch = data.model_dump(exclude={"version", "enablers"})
    for key in ("phase", "region", "task"):
        if patch[key] is not None:
            patch[key] = patch[key].value
    start = data.starts_on or row.starts_on
    end = data.ends_on or row.ends_on
    if end < start:
        raise Invalid("the window ends before it starts")
    apply_patch(row, patch)
    if data.enablers is not None:
        row.enablers = check_enablers(data.enablers)
    session.flush()
    return row


# Offers -------------------------------------------------------------------------------


def offer_public(row: ForceOffer) -> OfferPublic:
    return OfferPublic.of(
        row,
        id=row.id,
        member=row.owner_code,
        capability=row.capability,
        quantity=row.quantity,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        status=OfferStatus(row.status),
        excluded_regions=[Region(c) for c in decode_codes(row.excluded_regions)],
        excluded_tasks=[Task(c) for c in decode_codes(row.excluded_tasks)],
        needs_enablers=decode_codes(row.needs_enablers),
        approval_pending=row.approval_pending,
        notes=row.notes,
        version=row.version,
    )


OFFERS = Listing(
    model=ForceOffer,
    sorts={
        "member": ForceOffer.owner_code,
        "capability": ForceOffer.capability,
        "quantity": ForceOffer.quantity,
        "starts_on": ForceOffer.starts_on,
        "status": ForceOffer.status,
    },
    default=[ForceOffer.owner_code, ForceOffer.capability],
    filters={
        "member": lambda code: ForceOffer.owner_code == code,
        "capability": lambda code: ForceOffer.capability == code,
        "status": lambda status: ForceOffer.status == status.value,
    },
)


def list_offers(
    session: Session,
    principal: Principal,
    *,
    member: str | None = None,
    capability: str | None = None,
    status: OfferStatus | None = None,
    limit: int = 100,
    offset: int = 0,
    sort: str | None = None,
) -> Page[OfferPublic]:
    rows = OFFERS.fetch(
        session,
        visible_select(principal, ForceOffer),
        ListQuery(limit, offset, sort),
        member=member,
        capability=capability,
        status=status,
    )
    return rows.page(offer_public)


def get_offer(session: Session, principal: Principal, ident: int) -> ForceOffer:
    return get_visible(session, principal, ForceOffer, ident)


def create_offer(session: Session, principal: Principal, data: OfferCreate) -> ForceOffer:
    member = principal.member
    if member is None or not principal.may_write_for(member):
        raise Forbidden("a member's own liaison officers and planners enter its offers")
    if member == SECRETARIAT:
        raise Forbidden("the secretariat offers no forces; offers come from members")
    check_capability(data.capability)
    row = ForceOffer(
        capability=data.capability,
        quantity=data.quantity,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        status=data.status.value,
        excluded_regions=encode_codes([r.value for r in data.excluded_regions]),
        excluded_tasks=encode_codes([t.value for t in data.excluded_tasks]),
        needs_enablers=check_enablers(data.needs_enablers),
        approval_pending=data.approval_pending,
        notes=data.notes,
        illustrative=data.illustrative,
    )
    row.mark(session, principal, data.marking, data.rel_to, owner=member)
    session.add(row)
    session.flush()
    return row


def update_offer(
    session: Session, principal: Principal, ident: int, data: OfferUpdate
) -> ForceOffer:
    row = get_offer(session, principal, ident)
    if not principal.may_write_for(row.owner_code):
        raise Forbidden(f"only {row.owner_code}'s own users change its offers")
    check_version(row, data.version)
    start = data.starts_on or row.starts_on
    end = data.ends_on or row.ends_on
    if end < start:
        raise Invalid("the window ends before it starts")
    patch: dict[str, Any] = {
        "quantity": data.quantity,
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "status": data.status.value if data.status else None,
        "approval_pending": data.approval_pending,
        "notes": data.notes,
    }
    if data.excluded_regions is not None:
        patch["excluded_regions"] = encode_codes([r.value for r in data.excluded_regions])
    if data.excluded_tasks is not None:
        patch["excluded_tasks"] = encode_codes([t.value for t in data.excluded_tasks])
    if data.needs_enablers is not None:
        patch["needs_enablers"] = check_enablers(data.needs_enablers)
    if data.marking is not None:
        row.mark(session, principal, data.marking, data.rel_to or [])
    apply_patch(row, patch)
    session.flush()
    return row


# Scenarios ----------------------------------------------------------------------------


def scenario_public(row: ForceScenario) -> ScenarioPublic:
    return ScenarioPublic.of(
        row,
        id=row.id,
        name=row.name,
        title=row.title,
        description=row.description,
        members=decode_codes(row.members),
        backstop=row.backstop,
        statuses=[OfferStatus(s) for s in decode_codes(row.statuses)],
        phase=Phase(row.phase) if row.phase else None,
        count_pending_approval=row.count_pending_approval,
        version=row.version,
    )


SCENARIOS = Listing(
    model=ForceScenario,
    sorts={"name": ForceScenario.name, "title": ForceScenario.title},
    default=[ForceScenario.name],
)


def list_scenarios(
    session: Session,
    principal: Principal,
    *,
    limit: int = 100,
    offset: int = 0,
    sort: str | None = None,
) -> Page[ScenarioPublic]:
    rows = SCENARIOS.fetch(
        session, visible_select(principal, ForceScenario), ListQuery(limit, offset, sort)
    )
    return rows.page(scenario_public)


def get_scenario(session: Session, principal: Principal, ident: int) -> ForceScenario:
    return get_visible(session, principal, ForceScenario, ident)


def find_scenario(session: Session, principal: Principal, name: str) -> ForceScenario:
    """The visible scenario called ``name``; the reader's own member's first."""
    own = case((ForceScenario.owner_code == (principal.member or ""), 0), else_=1)
    row = session.scalars(
        visible_select(principal, ForceScenario)
        .where(ForceScenario.name == name)
        .order_by(own, ForceScenario.id)
    ).first()
    if row is None:
        raise NotFound(f"no scenario {name}")
    return row


def create_scenario(session: Session, principal: Principal, data: ScenarioCreate) -> ForceScenario:
    if principal.member is None or not principal.has_role(Role.PLANNER):
        raise Forbidden("planners define scenarios")
    owner = principal.member
    members = [m.strip().upper() for m in data.members]
    for code in members:
        require_member(session, code)
    statuses = [s for s in data.statuses if s is not OfferStatus.WITHDRAWN]
    if not statuses:
        raise Invalid("a scenario counts at least one offer status; withdrawn offers never count")
    exists = session.scalar(
        select(ForceScenario.id).where(
            ForceScenario.owner_code == owner, ForceScenario.name == data.name
        )
    )
    if exists is not None:
        raise Conflict(f"{owner} already has a scenario called {data.name}")
    row = ForceScenario(
        name=data.name,
        title=data.title,
        description=data.description,
        members=encode_codes(members),
        backstop=data.backstop,
        statuses=encode_codes([s.value for s in statuses]),
        phase=data.phase.value if data.phase else None,
        count_pending_approval=data.count_pending_approval,
        illustrative=data.illustrative,
    )
    row.mark(session, principal, data.marking, data.rel_to, owner=owner)
    session.add(row)
    session.flush()
    return row


# The fill a reader may see ---------------------------------------------------------------


def backstop_plan(
    session: Session, principal: Principal, *, time_limit: float = 10.0
) -> Plan | None:
    """The statement of requirements the reader may see, filled from the offers the reader
    may see under the default scenario (every member, offered and confirmed offers, pending
    approval counted), solved with and without the backstop; None without a requirement line.

    For readers outside force generation (a briefing): the fill and what rests on the
    backstop, over visible records only, with the markings of every line and counted offer
    noted, and nothing stored.
    """
    scenario = Scenario()
    req_rows = list(
        session.scalars(visible_select(principal, ForceRequirement).order_by(ForceRequirement.id))
    )
    offer_rows = {
        row.id: row
        for row in session.scalars(visible_select(principal, ForceOffer).order_by(ForceOffer.id))
    }
    requirements = [
        Requirement(
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
        for row in req_rows
    ]
    offers = counted_offers(
        [
            Offer(
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
            for row in offer_rows.values()
        ],
        scenario,
    )
    # The answer rests on every line and on the offers counted, not on those left out.
    for used in [*req_rows, *(offer_rows[o.id] for o in offers)]:
        note_shown(Marking(used.marking), used.owner_code, used.rel_to)
    if not requirements:
        return None
    return plan(requirements, offers, scenario, time_limit=time_limit)
