"""The HTTP application: each capability's API routes, the web pages, one error table."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from xstatic.pkg import leaflet

from coalition import __version__
from coalition.capabilities import REGISTERED
from coalition.core import errors
from coalition.core.admission import DatabaseGate
from coalition.core.audit import AuditHead
from coalition.core.capability import banners, nav_entries, page_sections
from coalition.core.db import get_engine, transaction
from coalition.core.middleware import (
    BodyLimitMiddleware,
    SecurityHeadersMiddleware,
    ShownMarkingsMiddleware,
)
from coalition.core.settings import Settings, get_settings
from coalition.demo.capability import CAPABILITY as DEMO
from coalition.deps import get_principal
from coalition.web import pages
from coalition.web.routes import router as web_router

log = logging.getLogger(__name__)

# One table maps each domain error to its HTTP status.
HANDLERS: dict[type[errors.CoalitionError], int] = {
    errors.NotFound: 404,
    errors.Invalid: 422,
    errors.Conflict: 409,
    errors.Forbidden: 403,
    errors.Unauthenticated: 401,
    errors.TooManyAttempts: 429,
    errors.Unavailable: 503,
    errors.TooLarge: 413,
    errors.StorageFull: 507,
    errors.ConfigurationError: 500,
    errors.IntegrityFailure: 500,
}

API_ROUTERS: list[APIRouter] = [c.api_router for c in REGISTERED if c.api_router is not None]
# Each capability's pages, then the shell's (the dashboard);
# a capability lists its fixed paths before its parametrised ones (see shadowed_routes).
PAGE_ROUTERS: list[APIRouter] = [
    *(c.page_router for c in REGISTERED if c.page_router is not None),
    web_router,
]

DOCS_STATIC = "/api/docs-static"


def status_of(exc: errors.CoalitionError) -> int:
    for cls in type(exc).__mro__:
        if cls in HANDLERS:
            return HANDLERS[cls]
    return 500


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _carry_principal(request: Request) -> None:
    """Know who is signed in on an error page, even when no route ran to ask.

    An address no route serves, a method none allows, or an error raised before the
    principal was resolved would otherwise render the page as for the public.
    """
    if getattr(request.state, "principal", None) is not None:
        return
    try:
        with transaction(request.app.state.engine) as session:
            get_principal(request, session)
    except Exception:  # a stale credential or a database fault: the page renders as public
        return


def error_response(
    request: Request,
    status: int,
    code: str,
    detail: str,
    headers: dict[str, str] | None = None,
) -> Response:
    if _is_api(request) or request.url.path in ("/healthz", "/readyz"):
        response: Response = JSONResponse(
            {"error": {"code": code, "detail": detail}}, status_code=status
        )
    else:
        if status != 503:  # with the database unavailable the page asks nothing of it
            _carry_principal(request)
        response = pages.render_error(request, status, detail)
    response.headers.update(headers or {})
    return response


def unavailable_response(request: Request, exc: errors.Unavailable) -> Response:
    return error_response(
        request,
        503,
        exc.code,
        exc.detail,
        headers={"Retry-After": str(exc.retry_after)},
    )


def _validation_detail(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg")))
    return "; ".join(parts) or "invalid request"


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (the router's 405 names only one route's)."""
    routes = request.app.router.routes
    return [
        method
        for method in METHODS
        if any(r.matches({**request.scope, "method": method})[0] is Match.FULL for r in routes)
    ]


def _form_page(request: Request) -> str | None:
    """The page a browser's GET of a form's action address belongs to, if it has one.

    A page form posts to an address under its page (``/commitments/7/deliveries``);
    a refused form is shown at that address, and reloading it later asks it with GET.
    """
    path = request.url.path
    if request.method != "GET" or path.startswith("/api/"):
        return None
    parent = path.rstrip("/").rsplit("/", 1)[0] or "/"
    scope = {**request.scope, "method": "GET", "path": parent}
    routes = request.app.router.routes
    if any(r.matches(scope)[0] is Match.FULL for r in routes):
        return parent
    return None


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(errors.CoalitionError)
    async def _domain(request: Request, exc: errors.CoalitionError) -> Response:
        if isinstance(exc, errors.Unavailable):
            return unavailable_response(request, exc)
        return error_response(request, status_of(exc), exc.code, exc.detail)

    @app.exception_handler(OperationalError)
    async def _database_down(request: Request, exc: OperationalError) -> Response:
        # The server is unreachable, refused the connection, or (SQLite) stayed locked:
        # the same request may work later, and the user needs to know it was not theirs.
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
        return unavailable_response(
            request, errors.Unavailable("the database is unavailable; retry shortly")
        )

    @app.exception_handler(PoolTimeout)
    async def _pool_exhausted(request: Request, _exc: PoolTimeout) -> Response:
        return unavailable_response(
            request,
            errors.Unavailable("the server is busy; every database connection is in use"),
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 422, "invalid", _validation_detail(exc))

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, _exc: StaleDataError) -> Response:
        return error_response(
            request, 409, "conflict", "the record was changed by someone else; reload and retry"
        )

    @app.exception_handler(DataError)
    async def _data(request: Request, _exc: DataError) -> Response:
        # The database refused a value the validators let through (a NUL character in
        # text on PostgreSQL, a number out of its column's range): bad input, not a crash.
        return error_response(
            request,
            422,
            "invalid",
            "a value is not storable (out of range or holds a NUL character)",
        )

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, _exc: IntegrityError) -> Response:
        return error_response(
            request, 409, "conflict", "the change conflicts with an existing record"
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        codes = {
            400: "bad_request",
            401: "unauthenticated",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
        }
        detail = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 405 and (back := _form_page(request)) is not None:
            # Reloading the address a page form posted to: back to the form's own page.
            return RedirectResponse(back, status_code=303)
        if exc.status_code == 404:
            detail = "not found"
        response = error_response(
            request, exc.status_code, codes.get(exc.status_code, "error"), detail
        )
        # The exception's headers say how to succeed (``Allow`` on a 405): keep them.
        response.headers.update(exc.headers or {})
        if exc.status_code == 405:
            response.headers["allow"] = ", ".join(_allowed_methods(request))
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(
            request, 500, "internal", "internal error; the operator's log has the details"
        )


def create_app(engine: Engine | None = None, settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = engine or get_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        for capability in REGISTERED:
            if capability.on_start is not None:
                capability.on_start(engine)
        yield

    app = FastAPI(
        title="Coalition API",
        version=__version__,
        description="Members, meetings and the coalition's shared record. "
        "Every list and count covers only what the caller may see.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.settings = settings
    app.state.nav = [pages.HOME, *nav_entries(REGISTERED)]
    app.state.banners = banners([*REGISTERED, DEMO])
    app.state.sections = page_sections(REGISTERED)
    app.state.db_gate = DatabaseGate(
        # SQLite runs one transaction at a time (each takes the write lock as it begins):
        # a line of one admits them in order instead of letting them poll for the lock.
        slots=1 if engine.dialect.name == "sqlite" else settings.db_pool_size,
        wait_seconds=settings.db_wait_seconds,
        threads=settings.worker_threads,
    )

    api = APIRouter(prefix="/api/v1")
    for router in API_ROUTERS:
        api.include_router(router)
    app.include_router(api)
    for router in PAGE_ROUTERS:
        app.include_router(router)
    install_error_handlers(app)

    app.mount("/static/vendor/leaflet", StaticFiles(directory=leaflet.BASE_DIR), name="leaflet")
    app.mount("/static", StaticFiles(packages=[("coalition.web", "static")]), name="static")
    app.mount(
        DOCS_STATIC,
        StaticFiles(directory=str(files("fastapi_offline") / "static")),
        name="docs-static",
    )

    @app.get("/api/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/api/openapi.json",
            title="Coalition API",
            swagger_js_url=f"{DOCS_STATIC}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_STATIC}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_STATIC}/favicon.png",
        )

    @app.get("/healthz", tags=["operations"])
    def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"], responses={503: {"description": "Database not ready"}})
    def readyz() -> Response:
        """The database answers and has been migrated."""
        try:
            with transaction(engine) as session:
                session.execute(text("SELECT 1"))
                ready = session.scalar(select(AuditHead.id).where(AuditHead.id == 1)) is not None
        except Exception:  # any failure to reach or read the database means not ready
            ready = False
        body: dict[str, Any] = {"status": "ready" if ready else "not ready"}
        return JSONResponse(body, status_code=200 if ready else 503)

    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(ShownMarkingsMiddleware)
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        larger={p: settings.max_upload_bytes for c in REGISTERED for p in c.upload_paths},
    )
    return app
