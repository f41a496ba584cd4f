"""Rendering for the web pages: templates, the navigation, CSRF tokens, error pages."""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from typing import Any, TypeVar
from urllib.parse import quote, unquote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.routing import Match

from coalition.core.auth import CsrfSigner
from coalition.core.capability import Banner, NavEntry, PageSection
from coalition.core.db import transaction
from coalition.core.errors import Forbidden
from coalition.core.filters import ListFilters
from coalition.core.forms import FormErrors, form_errors
from coalition.core.marking import overall, shown
from coalition.core.principal import ANONYMOUS, Principal
from coalition.core.schemas import Page
from coalition.core.settings import Settings

T = TypeVar("T")
F = TypeVar("F", bound=ListFilters)

CSRF_COOKIE = "coalition_csrf"
CSRF_FIELD = "csrf_token"
# What a saved form says on the page it leads to, read once (post/redirect/get).
NOTICE_COOKIE = "coalition_notice"
NOTICE_MAX = 200

templates = Jinja2Templates(directory=str(files("coalition.web") / "templates"))


def list_url(request: Request, **changes: object) -> str:
    """This page's address with some query parameters changed (``None`` drops one).

    The paging and sort links of ``_list.html`` keep every filter the page was asked for;
    a blank one (a filter form's "all") is no filter, and is left out.
    """
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in changes and v]
    query = urlencode(kept + [(k, str(v)) for k, v in changes.items() if v is not None])
    return request.url.path + (f"?{query}" if query else "")


templates.env.globals["list_url"] = list_url


def read_filters(request: Request, model: type[F]) -> tuple[F, FormErrors | None]:
    """The filters a list page's address names (``model``), and why any were refused.

    A blank field (a filter form's "all") is no filter. When a value is refused the answer
    is no filter at all and the reasons, each beside its field, in plain words: the page
    shows them with the form as typed, and no rows (``filtered``).
    """
    params = request.query_params
    data = {
        name: text.strip()
        for name in model.model_fields
        if (text := params.get(name)) is not None and text.strip()
    }
    try:
        return model.model_validate(data), None
    except ValidationError as exc:
        return model(), form_errors(exc, list(model.model_fields), model.labels)


def filtered(
    refused: FormErrors | None, rows: Callable[[], Page[T]], limit: int, offset: int
) -> Page[T]:
    """A list page's rows, or none while its filters are refused (the page says why)."""
    return Page(items=[], total=0, limit=limit, offset=offset) if refused else rows()


# The shell's own entry; each capability adds its own after it (``app.state.nav``).
HOME = NavEntry("Dashboard", "/")


def _signer(request: Request) -> CsrfSigner:
    settings: Settings = request.app.state.settings
    return CsrfSigner(settings.secret_key)


def csrf_token(request: Request) -> tuple[str, str | None]:
    """The form token for this browser, and a new cookie value if one must be set."""
    signer = _signer(request)
    token = signer.form_token(request.cookies.get(CSRF_COOKIE))
    if token is not None:
        return token, None
    cookie, token = signer.issue()
    return token, cookie


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse a form whose token does not match this browser's signed CSRF cookie."""
    if not _signer(request).check(request.cookies.get(CSRF_COOKIE), submitted):
        raise Forbidden("the form's security token is missing or stale; reload the page and retry")


def set_cookie(
    response: Response, request: Request, name: str, value: str, max_age: int | None = None
) -> None:
    settings: Settings = request.app.state.settings
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="strict" if name == CSRF_COOKIE else "lax",
        secure=settings.secure_cookies,
        path="/",
    )


def saved(request: Request, url: str, notice: str) -> RedirectResponse:
    """After a form is saved: to ``url`` (303), which then says ``notice`` once."""
    response = RedirectResponse(url, status_code=303)
    set_cookie(response, request, NOTICE_COOKIE, quote(notice[:NOTICE_MAX]), max_age=120)
    return response


def _notice(request: Request) -> str:
    return unquote(request.cookies.get(NOTICE_COOKIE, "")[: 3 * NOTICE_MAX])[:NOTICE_MAX]


def banner_shown(request: Request) -> bool:
    """Whether a registered banner applies (the demo's: the scenario is in this database)."""
    checks: list[Banner] = getattr(request.app.state, "banners", [])
    if not checks:
        return False
    session = getattr(request.state, "db", None)
    if session is not None:
        return any(check(session) for check in checks)
    try:
        with transaction(request.app.state.engine) as session:
            return any(check(session) for check in checks)
    except Exception:  # an error page must render even with the database down
        return False


def sections(
    request: Request, page: str, session: Session, principal: Principal, key: Any
) -> dict[str, Any]:
    """What other capabilities add to ``page``: their templates, and the context they read."""
    registered: dict[str, list[PageSection]] = getattr(request.app.state, "sections", {})
    context: dict[str, Any] = {"sections": []}
    for section in registered.get(page, []):
        context.update(section.context(session, principal, key))
        context["sections"].append(section.template)
    return context


def render(
    request: Request,
    template: str,
    status_code: int = 200,
    database: bool = True,
    **context: Any,
) -> HTMLResponse:
    principal: Principal = getattr(request.state, "principal", ANONYMOUS)
    token, new_cookie = csrf_token(request)
    nav: list[NavEntry] = getattr(request.app.state, "nav", [HOME])
    response = templates.TemplateResponse(
        request,
        template,
        {
            "principal": principal,
            "nav": [n for n in nav if not (n.signed_in_only and principal.is_anonymous)],
            "csrf_field": CSRF_FIELD,
            "csrf_token": token,
            "demo_loaded": banner_shown(request) if database else False,
            "path": request.url.path,
            "notice": _notice(request),
            **context,
            # Last, so nothing the template reads can stand in for it.
            "page_marking": overall(shown()),
        },
        status_code=status_code,
    )
    if new_cookie is not None:
        set_cookie(response, request, CSRF_COOKIE, new_cookie)
    if NOTICE_COOKIE in request.cookies:
        response.delete_cookie(NOTICE_COOKIE, path="/")
    return response


def _serves_page(request: Request, path: str) -> bool:
    scope = {**request.scope, "method": "GET", "path": path}
    return any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes)


def back_to(request: Request) -> str:
    """Where an error page leads: the nearest page above the address that failed.

    A form posts to an address under its page (``/proposals/7/positions``), so a refused
    form leads back to the page above it, or to its own address when that is a page of
    its own (``/proposals``). A "new" form is skipped: it is what a user may be refused.
    """
    path = request.url.path.rstrip("/") or "/"
    candidates = [] if request.method == "GET" else [path]
    while path != "/":
        path = path.rsplit("/", 1)[0] or "/"
        candidates.append(path)
    for candidate in candidates:
        if candidate == "/" or (
            not candidate.endswith("/new")
            and not candidate.startswith("/api/")
            and _serves_page(request, candidate)
        ):
            return candidate
    return "/"


def _back_label(request: Request, href: str) -> str:
    if href == "/":
        return "the dashboard"
    nav: list[NavEntry] = getattr(request.app.state, "nav", [HOME])
    return next((n.label for n in nav if n.href == href), href)


def render_error(request: Request, status: int, detail: str) -> HTMLResponse:
    """The one error page: its title, the reason, and a link back to the page above."""
    back = back_to(request)
    titles = {
        401: "Sign in needed",
        403: "Not allowed",
        404: "Not found",
        409: "Changed by someone else",
        413: "Too large",
        422: "Check your input",
        429: "Too many attempts",
        503: "Unavailable for a moment",
    }
    return render(
        request,
        "error.html",
        status_code=status,
        # With the database down or every connection busy, the page asks nothing of it.
        database=status != 503,
        title=titles.get(status, "Something went wrong"),
        detail=detail,
        status=status,
        back=back,
        back_label=_back_label(request, back),
    )
