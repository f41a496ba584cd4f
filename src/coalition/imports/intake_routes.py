"""HTTP routes that take a file in and run it in the background. Thin: parse, call
:mod:`coalition.imports.intake` and :mod:`coalition.imports.background`, render.

A file is sent as the request's body, as it is (``curl --data-binary @file``), never as
a form: it streams to disk as it arrives, under ``max_upload_bytes``. The caller is found
before the body is read, in a short transaction of its own, and no database connection
is held while the body streams.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from anyio import to_thread
from fastapi import APIRouter, Body, Path, Query, Request
from pydantic import BaseModel, Field

from coalition.core.db import transaction, utcnow
from coalition.core.marking import Marking
from coalition.core.principal import Principal
from coalition.deps import ERROR_RESPONSES, CurrentPrincipal, DbSession, get_principal
from coalition.imports import background, intake, service, upload
from coalition.imports.routes import RunKey
from coalition.imports.schemas import LAYOUT_TEXT, RunPublic

router = APIRouter(tags=["imports"], responses=ERROR_RESPONSES)

# Apart from the runs' paths (/imports/{key}), which no upload's path may also match.
UPLOADS = "/uploads"
Token = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{22}$", description="The upload's token")]
ImporterName = Annotated[
    str,
    Query(
        pattern=r"^[a-z_]{1,40}$", description="Whose importer reads it: reports, commitments, ..."
    ),
]
Layout = Annotated[str | None, Query(pattern=LAYOUT_TEXT, description="Read it in this layout")]
FileName = Annotated[str, Query(max_length=300, description="The file's own name")]
DateOrder = Annotated[str | None, Query(pattern=r"^(dmy|mdy)$")]
T = TypeVar("T")


class PreviewOut(BaseModel):
    layout: str
    columns: list[str]
    mapping: dict[str, str]
    missing: list[str]
    fields: list[str]
    rows: list[tuple[int, list[str]]]
    problems: list[tuple[int, str]]
    read: int
    note: str


class UploadOut(BaseModel):
    token: str
    name: str
    size: int
    sha256: str
    importer: str
    kind: str = Field(description="What the file is, from its first bytes")
    described: str
    layouts: list[str]
    guessed: str | None
    layout: str | None
    earlier: str | None = Field(description="An earlier run of the same file, if any")
    refused: str | None = Field(description="Why it cannot be read as asked, if it cannot")
    preview: PreviewOut | None


class StartIn(BaseModel):
    importer: Annotated[str, Field(pattern=r"^[a-z_]{1,40}$")]
    layout: Annotated[str, Field(pattern=LAYOUT_TEXT)]
    options: dict[str, Any] = Field(default_factory=dict, max_length=10)
    marking: Marking | None = None
    rel_to: list[Annotated[str, Field(pattern=r"^[A-Z]{3,4}$")]] = Field(
        default_factory=list, max_length=40
    )


class ProgressOut(BaseModel):
    key: str
    state: str
    rows: int | None
    position: int
    size: int
    fraction: float | None
    rows_per_second: float | None
    seconds_left: float | None
    stalled: bool
    cancel_requested: bool
    counts: dict[str, int]
    error: str


def out(view: intake.Intake) -> UploadOut:
    seen = view.preview
    return UploadOut(
        token=view.upload.token,
        name=view.upload.name,
        size=view.upload.size,
        sha256=view.upload.sha256,
        importer=view.importer.name,
        kind=view.sniffed.kind.value,
        described=view.sniffed.describe(),
        layouts=list(view.importer.layouts),
        guessed=view.guessed,
        layout=view.layout,
        earlier=view.earlier,
        refused=view.refused,
        preview=PreviewOut(**seen.__dict__) if seen is not None else None,
    )


def progress_out(session: Any, run: Any) -> ProgressOut:
    found = background.progress_of(session, run)
    rate, left = found.rates(utcnow()) if found else (None, None)
    if run.ended_at is not None and found is not None and found.started_at is not None:
        elapsed = (run.ended_at - found.started_at).total_seconds()
        rate = run.read / elapsed if elapsed > 0 and run.read else rate
        left = 0.0
    return ProgressOut(
        key=run.key,
        state=run.state,
        rows=found.rows if found else run.read,
        position=found.position if found else run.file_size,
        size=run.file_size,
        fraction=found.fraction if found else None,
        rows_per_second=round(rate, 1) if rate else None,
        seconds_left=round(left, 1) if left is not None else None,
        stalled=bool(found and found.stalled),
        cancel_requested=bool(found and found.cancel_requested),
        counts={
            "read": run.read,
            "inserted": run.inserted,
            "updated": run.updated,
            "unchanged": run.unchanged,
            "rejected": run.rejected,
        },
        error=run.error,
    )


async def in_transaction(request: Request, work: Callable[[Any], T], actor: str = "system") -> T:
    """Run ``work(session)`` in a transaction of its own, in this process's line for a
    database connection, off the event loop."""
    engine = request.app.state.engine

    def run() -> T:
        with transaction(engine, actor=actor) as session:
            return work(session)

    async with request.app.state.db_gate.slot():
        return await to_thread.run_sync(run)


async def caller(request: Request) -> Principal:
    """Who sends the file, found before its body is read."""
    return await in_transaction(request, lambda session: get_principal(request, session))


def _declared(request: Request) -> int | None:
    value = request.headers.get("content-length")
    return int(value) if value and value.isdigit() else None


async def take_in(request: Request, importer: str, name: str) -> tuple[Principal, str]:
    """Store the body of ``request`` as an upload for ``importer``: (caller, token)."""
    principal = await caller(request)
    stored = await intake.receive(principal, importer, request.stream(), name, _declared(request))
    return principal, stored.token


@router.post(UPLOADS, status_code=201, response_model=UploadOut)
async def upload_file(
    request: Request, importer: ImporterName, name: FileName = "upload", layout: Layout = None
) -> UploadOut:
    """Send a file (the request body, as it is) to be previewed: what it is, the layout it
    looks to be in, its columns and first rows as they would be read, its first problems,
    and whether the same file was imported before. Nothing is imported yet."""
    principal, token = await take_in(request, importer, name)
    view = await in_transaction(
        request,
        lambda session: intake.look(session, principal, token, importer, layout),
        principal.actor,
    )
    return out(view)


@router.get(UPLOADS + "/{token}", response_model=UploadOut)
def preview_upload(
    token: Token,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    importer: ImporterName,
    layout: Layout = None,
    date_order: DateOrder = None,
) -> UploadOut:
    """An upload of yours, previewed again, in another layout or with other options."""
    options = {"date_order": date_order} if date_order else {}
    view = intake.look(session, principal, token, importer, layout, options)
    return out(view)


@router.post(UPLOADS + "/{token}/runs", status_code=202, response_model=RunPublic)
def start_upload(
    token: Token,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    start: Annotated[StartIn, Body()],
) -> RunPublic:
    """Import an upload of yours in the background: the run is queued and its key
    returned; follow it at ``/api/v1/imports/{key}/progress``."""
    engine = request.app.state.engine
    run = intake.start(
        engine,
        session,
        principal,
        token,
        importer=start.importer,
        layout=start.layout,
        options=start.options,
        marking=start.marking,
        rel_to=start.rel_to,
    )
    session.commit()
    intake.dispatch(engine, run.key)
    return service.to_public(session, run)


@router.post("/imports", status_code=202, response_model=RunPublic)
async def import_file(
    request: Request,
    importer: ImporterName,
    layout: Annotated[str, Query(pattern=LAYOUT_TEXT)],
    name: FileName = "upload",
    marking: Marking | None = None,
    option: Annotated[
        list[Annotated[str, Field(pattern=r"^[a-z_]{1,40}=.{0,200}$")]],
        Query(max_length=10, description="An importer's option as name=value, repeated"),
    ] = [],  # noqa: B006 - FastAPI copies a default list per request
) -> RunPublic:
    """Send a file (the request body) and import it in the background at once, as a
    member's own system would: the run is queued and returned. The importer's options
    come as ``option=name=value`` (``date_order=dmy``, ``list=us_ofac_sdn``, ...)."""
    options = dict(pair.split("=", 1) for pair in option)
    principal, token = await take_in(request, importer, name)
    engine = request.app.state.engine

    def queue(session: Any) -> RunPublic:
        run = intake.start(
            engine,
            session,
            principal,
            token,
            importer=importer,
            layout=layout,
            options=options,
            marking=marking,
        )
        session.flush()
        return service.to_public(session, run)

    try:
        public = await in_transaction(request, queue, principal.actor)
    except BaseException:
        upload.discard(background.upload_dir(), token)  # nothing keeps a refused file
        raise
    intake.dispatch(engine, public.key)
    return public


@router.get("/imports/{run_key}/progress", response_model=ProgressOut)
def run_progress(run_key: RunKey, session: DbSession, principal: CurrentPrincipal) -> ProgressOut:
    """How far a run has got: rows and bytes read, the rate, the time left, its counts."""
    return progress_out(session, service.get_run(session, principal, run_key))


@router.post("/imports/{run_key}/cancel", response_model=ProgressOut)
def cancel_run(run_key: RunKey, session: DbSession, principal: CurrentPrincipal) -> ProgressOut:
    """Stop a background run: a queued one at once, a working one after its batch."""
    return progress_out(session, background.cancel(session, principal, run_key))


@router.post("/imports/{run_key}/resume", response_model=ProgressOut)
def resume_run(
    run_key: RunKey, request: Request, session: DbSession, principal: CurrentPrincipal
) -> ProgressOut:
    """Queue again a run that stopped, failed or was cancelled: it carries on where its
    stored batches end."""
    run = background.resume(session, principal, run_key)
    session.commit()
    intake.dispatch(request.app.state.engine, run_key)
    return progress_out(session, run)
