"""The shell's own page: the dashboard, made of what each capability registers for it.

Signing in and out are the members' pages; each capability adds its tiles
(``PageSection("dashboard tiles", ...)``) and sections (``PageSection("dashboard", ...)``)
in its ``CAPABILITY``, so the shell imports none of them.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from coalition.deps import CurrentPrincipal, DbSession
from coalition.web import pages

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, session: DbSession, principal: CurrentPrincipal) -> Response:
    tiles = pages.sections(request, "dashboard tiles", session, principal, None)
    cards = pages.sections(request, "dashboard", session, principal, None)
    context = {**tiles, **cards, "tiles": tiles["sections"], "cards": cards["sections"]}
    return pages.render(request, "dashboard.html", **context)
