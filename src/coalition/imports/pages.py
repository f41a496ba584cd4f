"""Web pages for import runs: the list of runs, and each run with the rows it refused."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from coalition.deps import PAGE_ROWS, CurrentPrincipal, DbSession, Limit, Offset, Search
from coalition.imports import service
from coalition.imports.enums import Imported, RunState
from coalition.imports.intake_routes import progress_out
from coalition.imports.routes import RejectSort, RunKey, RunSort
from coalition.imports.schemas import RunFilters
from coalition.members import service as members
from coalition.web import pages

router = APIRouter(include_in_schema=False)


@router.get("/imports", response_class=HTMLResponse)
def imports_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Limit = PAGE_ROWS,
    offset: Offset = 0,
    sort: RunSort = None,
    q: Search = None,
) -> Response:
    # The filters are read from the address as typed: a refused one is said on the page.
    filters, refused = pages.read_filters(request, RunFilters)
    page = pages.filtered(
        refused,
        lambda: service.list_runs(
            session, principal, **filters.values(), limit=limit, offset=offset, sort=sort, q=q
        ),
        limit,
        offset,
    )
    return pages.render(
        request,
        "imports/imports.html",
        status_code=422 if refused else 200,
        refused=refused,
        page=page,
        runs=page.items,
        capabilities=list(Imported),
        states=list(RunState),
        layouts=service.layouts_seen(session, principal),
        members=[
            (m.code, m.name) for m in members.list_members(session, principal, limit=500).items
        ],
    )


@router.get("/imports/{run_key}", response_class=HTMLResponse)
def run_page(
    run_key: RunKey,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Limit = PAGE_ROWS,
    offset: Offset = 0,
    sort: RejectSort = None,
    q: Search = None,
) -> Response:
    stored = service.get_run(session, principal, run_key)
    run = service.to_public(session, stored)
    rejects = service.list_rejects(
        session, principal, run_key, limit=limit, offset=offset, sort=sort, q=q
    )
    # A background run's progress, and its starter's buttons to stop or resume it.
    progress = progress_out(session, stored) if stored.upload_token else None
    controls = not principal.is_anonymous and (
        stored.started_by == principal.username or principal.is_secretariat
    )
    return pages.render(
        request, "imports/run.html", run=run, page=rejects, progress=progress, controls=controls
    )
