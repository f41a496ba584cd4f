"""Web pages that take a file in: choose it, see its preview, start its run; and the run's
own buttons to stop or resume it. Thin: the work is :mod:`coalition.imports.intake`'s.

The file comes as a form's part (the browser's own upload, no script needed), spooled to
disk by the form parser and copied into the upload directory a piece at a time, under
``max_upload_bytes`` (the body limit of this path).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from coalition.core.errors import Invalid
from coalition.core.forms import parse_rel_to
from coalition.core.importing import IMPORTERS, importer_named
from coalition.core.marking import Marking
from coalition.deps import CurrentPrincipal, DbSession
from coalition.imports import background, intake
from coalition.imports.intake_routes import (
    DateOrder,
    ImporterName,
    Layout,
    Token,
    caller,
    in_transaction,
)
from coalition.imports.routes import RunKey
from coalition.web import pages

router = APIRouter(include_in_schema=False)
UPLOADS = "/imports/uploads"  # the pages' own; the API's is /api/v1/uploads
PIECE = 1 << 20  # bytes copied at a time from the parsed form's spooled file


@router.get("/imports/new", response_class=HTMLResponse)
def new_import_page(
    request: Request,
    principal: CurrentPrincipal,
    importer: Annotated[str | None, Query(pattern=r"^[a-z_]{1,40}$")] = None,
) -> Response:
    background.may_import(principal)
    if importer is not None:
        importer_named(importer)
    return pages.render(
        request,
        "imports/new.html",
        importers=list(IMPORTERS.values()),
        chosen=importer,
        limit=background.limits().max_bytes,
    )


async def _pieces(file: UploadFile) -> AsyncIterator[bytes]:
    while piece := await file.read(PIECE):
        yield piece


@router.post(UPLOADS)
async def upload_page(request: Request) -> Response:
    principal = await caller(request)
    background.may_import(principal)
    async with request.form(max_files=1, max_fields=5) as form:
        pages.check_csrf(request, str(form.get(pages.CSRF_FIELD) or ""))
        importer = str(form.get("importer") or "")
        file = form.get("file")
        if not isinstance(file, UploadFile) or not file.filename:
            raise Invalid("choose a file to import")
        stored = await intake.receive(principal, importer, _pieces(file), file.filename, file.size)
    return RedirectResponse(f"{UPLOADS}/{stored.token}?importer={importer}", status_code=303)


@router.get(UPLOADS + "/{token}", response_class=HTMLResponse)
def preview_page(
    token: Token,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    importer: ImporterName,
    layout: Layout = None,
    date_order: DateOrder = None,
) -> Response:
    options = {"date_order": date_order} if date_order else {}
    view = intake.look(session, principal, token, importer, layout, options)
    return pages.render(
        request,
        "imports/preview.html",
        view=view,
        date_order=date_order,
        markings=list(Marking),
    )


@router.post(UPLOADS + "/{token}/start")
async def start_page(token: Token, request: Request) -> Response:
    principal = await caller(request)
    async with request.form(max_files=0, max_fields=20) as form:
        pages.check_csrf(request, str(form.get(pages.CSRF_FIELD) or ""))
        fields = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    try:
        codes = parse_rel_to(fields.get("rel_to", ""))
        marking = Marking(fields["marking"]) if fields.get("marking") else None
    except ValueError as exc:
        raise Invalid(f"released to: {exc}") from None
    importer = importer_named(fields.get("importer", ""))
    # The marking and its release are the run's own; every other option is the importer's.
    options: dict[str, Any] = {
        k: fields[k] for k in importer.options if fields.get(k) and k not in ("marking", "rel_to")
    }
    engine = request.app.state.engine

    def queue(session: Any) -> str:
        run = intake.start(
            engine,
            session,
            principal,
            token,
            importer=importer.name,
            layout=fields.get("layout", ""),
            options=options,
            marking=marking,
            rel_to=codes,
        )
        session.flush()
        return run.key

    key = await in_transaction(request, queue, principal.actor)
    intake.dispatch(engine, key)
    return pages.saved(request, f"/imports/{key}", "Import queued: this page follows it.")


@router.post("/imports/{run_key}/cancel")
def cancel_page(
    run_key: RunKey,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    pages.check_csrf(request, csrf_token)
    background.cancel(session, principal, run_key)
    return pages.saved(request, f"/imports/{run_key}", "Asked to stop after its batch.")


@router.post("/imports/{run_key}/resume")
def resume_page(
    run_key: RunKey,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    pages.check_csrf(request, csrf_token)
    background.resume(session, principal, run_key)
    session.commit()
    intake.dispatch(request.app.state.engine, run_key)
    return pages.saved(request, f"/imports/{run_key}", "Queued again.")
