"""Summits and meetings, their attendance and outcomes, as the application sees them."""

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from coalition.core.capability import Capability, NavEntry, PageSection
from coalition.core.db import utcnow
from coalition.core.principal import Principal
from coalition.meetings import demo, model, pages, routes, service


def _dashboard_tile(session: Session, principal: Principal, _key: Any) -> dict[str, Any]:
    return {"meeting_total": service.list_meetings(session, principal, limit=1).total}


def _recent(session: Session, principal: Principal, _key: Any) -> dict[str, Any]:
    """The meetings held most recently, and the next ones planned (nearest first)."""
    today = utcnow().date()
    return {
        "meetings": service.list_meetings(session, principal, until=today, limit=5).items,
        "upcoming": service.list_meetings(
            session, principal, since=today + dt.timedelta(days=1), limit=3, sort="held_on"
        ).items,
    }


CAPABILITY = Capability(
    name="meetings",
    api_router=routes.router,
    page_router=pages.router,
    nav=(NavEntry("Meetings", "/meetings"),),
    demo=demo.load,
    models=(model,),
    marked=(model.Meeting,),
    sections=(
        PageSection("member", "meetings/member_meetings.html", pages.attended),
        PageSection("dashboard tiles", "meetings/dashboard_tile.html", _dashboard_tile),
        PageSection("dashboard", "meetings/dashboard_recent.html", _recent),
    ),
)
