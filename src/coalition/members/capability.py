"""Members, their users and roles, as the application sees them."""

from typing import Any

from fastapi import APIRouter
from sqlalchemy.orm import Session

from coalition.core.capability import Capability, NavEntry, PageSection
from coalition.core.principal import Principal
from coalition.members import cli, demo, model, pages, routes, service, signin_pages


def _dashboard_tile(session: Session, principal: Principal, _key: Any) -> dict[str, Any]:
    states = service.list_members(session, principal, kind=model.MemberKind.STATE, limit=1)
    return {
        "member_total": service.list_members(session, principal, limit=1).total,
        "state_total": states.total,
    }


# Signing in and out, then the members' own pages.
page_router = APIRouter(include_in_schema=False)
page_router.include_router(signin_pages.router)
page_router.include_router(pages.router)

CAPABILITY = Capability(
    name="members",
    api_router=routes.router,
    page_router=page_router,
    commands=cli.COMMANDS,
    nav=(NavEntry("Members", "/members"),),
    demo=demo.load,
    models=(model,),
    marked=(model.Member,),
    sections=(PageSection("dashboard tiles", "members/dashboard_tile.html", _dashboard_tile),),
)
