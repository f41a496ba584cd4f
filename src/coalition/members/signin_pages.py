"""Signing in and out of the pages: the session cookie the members' accounts issue."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from coalition.core import forwarding
from coalition.core.db import transaction
from coalition.core.errors import TooManyAttempts, Unauthenticated
from coalition.core.settings import Settings
from coalition.deps import SESSION_COOKIE, CurrentPrincipal, DatabaseSlot
from coalition.members import accounts, signin
from coalition.web import pages

router = APIRouter(include_in_schema=False)


def _client_address(request: Request) -> str:
    """The client's address: the peer's, or what a trusted proxy forwarded for it."""
    settings: Settings = request.app.state.settings
    peer = request.client.host if request.client else "unknown"
    return forwarding.client_address(
        peer, request.headers.getlist("x-forwarded-for"), settings.trusted_proxy_networks
    )


def _safe_next(target: str | None) -> str:
    # Only same-site paths: never bounce a signed-in user to another host.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, principal: CurrentPrincipal, next: str = "/") -> Response:
    return pages.render(request, "login.html", next=_safe_next(next), error=None)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    _slot: DatabaseSlot,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    pages.check_csrf(request, csrf_token)
    engine = request.app.state.engine
    try:
        # Committed before the password is checked: every attempt counts, even concurrent ones.
        with transaction(engine) as session:
            attempt = signin.begin(session, username, _client_address(request))
        with transaction(engine) as session:
            token, user = signin.complete(session, attempt, password)
            session.info["actor"] = f"{user.username}@{user.member_code}"
    except Unauthenticated as exc:
        return pages.render(
            request,
            "login.html",
            status_code=401,
            next=_safe_next(next),
            error=exc.detail,
            username=username,
        )
    except TooManyAttempts as exc:
        refused = pages.render(
            request,
            "login.html",
            status_code=429,
            next=_safe_next(next),
            error=exc.detail,
            username=username,
        )
        refused.headers["Retry-After"] = str(exc.retry_after)
        return refused
    settings: Settings = request.app.state.settings
    response = RedirectResponse(_safe_next(next), status_code=303)
    pages.set_cookie(
        response, request, SESSION_COOKIE, token, max_age=settings.session_hours * 3600
    )
    return response


@router.post("/logout")
def logout(
    request: Request,
    _slot: DatabaseSlot,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    pages.check_csrf(request, csrf_token)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        with transaction(request.app.state.engine) as session:
            accounts.sign_out(session, cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
