"""HTTP routes for import runs. Thin: parse, call the service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from coalition.core import exports
from coalition.core.schemas import Page
from coalition.deps import ERROR_RESPONSES, CurrentPrincipal, DbSession, Limit, Offset, Search
from coalition.imports import service
from coalition.imports.schemas import RejectPublic, RunFilters, RunPublic, RunSummary

router = APIRouter(tags=["imports"], responses=ERROR_RESPONSES)

RunSort = Annotated[str | None, service.RUNS.sort_param()]
RejectSort = Annotated[str | None, service.REJECTS.sort_param()]
RunQuery = Annotated[RunFilters, Query()]
# A run's key: the sixteen hexadecimal digits the importer stamps on what it writes.
RunKey = Annotated[str, Path(pattern=r"^[0-9a-f]{16}$", description="The run's key")]


def run_rows(
    session: DbSession,
    principal: CurrentPrincipal,
    filters: RunQuery,
    sort: RunSort = None,
    q: Search = None,
) -> Callable[[int, int], Page[RunSummary]]:
    """The import runs as their reader asked for them, one page at a time."""

    def rows(limit: int, offset: int) -> Page[RunSummary]:
        return service.list_runs(
            session, principal, **filters.values(), limit=limit, offset=offset, sort=sort, q=q
        )

    return rows


RunRows = Annotated[Callable[[int, int], Page[RunSummary]], Depends(run_rows)]


@router.get("/imports", response_model=Page[RunSummary])
def list_runs(rows: RunRows, limit: Limit = 100, offset: Offset = 0) -> Page[RunSummary]:
    """Import runs you may see, latest first; every filter given must hold."""
    return rows(limit, offset)


exports.route(
    router,
    "imports",
    RunSummary,
    run_rows,
    "The import runs you may see as a file, filtered as the list is.",
)


@router.get(
    "/export/imports/{run_key}/rejects",
    response_class=Response,
    responses=exports.RESPONSES,
)
def export_rejects(
    run_key: RunKey,
    session: DbSession,
    principal: CurrentPrincipal,
    format: exports.ListFormat = "csv",
    q: Search = None,
) -> Response:
    """The rows a run refused as a file: line, column and reason."""

    def fetch(limit: int, offset: int) -> Page[RejectPublic]:
        return service.list_rejects(session, principal, run_key, limit=limit, offset=offset, q=q)

    body = exports.export(exports.every_row(fetch), RejectPublic, format, "rejects")
    return exports.attachment(body, format, f"import-{run_key}-rejects")


@router.get("/imports/{run_key}", response_model=RunPublic)
def get_run(run_key: RunKey, session: DbSession, principal: CurrentPrincipal) -> RunPublic:
    """A run's state, file, options and counts."""
    return service.to_public(session, service.get_run(session, principal, run_key))


@router.get("/imports/{run_key}/rejects", response_model=Page[RejectPublic])
def list_rejects(
    run_key: RunKey,
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Limit = 100,
    offset: Offset = 0,
    sort: RejectSort = None,
    q: Search = None,
) -> Page[RejectPublic]:
    """The rows a run refused, by line; ``q`` finds text in the reason."""
    return service.list_rejects(
        session, principal, run_key, limit=limit, offset=offset, sort=sort, q=q
    )
