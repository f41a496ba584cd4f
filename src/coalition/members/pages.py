"""Web pages for members and accounts: the register, each member, and API tokens.

The register lists the members a reader may see; each member's page shows its facts and
what other capabilities add to it (the meetings it attended).

An administrator sees the accounts they administer, issues a named token with an expiry
(shown once, on the page that issued it), revokes tokens and clears sign-in throttling.
A user sees their own account page and may revoke their own tokens. Every form carries
the CSRF token; every change is the same service call the API makes, so it is audited.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from coalition.core.errors import Invalid
from coalition.core.principal import Principal
from coalition.core.schemas import describe_validation
from coalition.deps import Admin, CurrentPrincipal, DbSession, RecordId, SignedIn
from coalition.members import accounts, signin, tokens
from coalition.members import service as members
from coalition.members.model import MemberKind
from coalition.members.schemas import SignInUnlock, TokenCreate, TokenCreated
from coalition.web import pages

router = APIRouter(include_in_schema=False)


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, session: DbSession, principal: Admin) -> Response:
    page = accounts.list_users(session, principal, limit=500)
    return pages.render(request, "members/users.html", users=page.items, total=page.total)


def _account_page(
    request: Request,
    session: Session,
    principal: Principal,
    user_id: int,
    *,
    status: int = 200,
    error: str | None = None,
    notice: str | None = None,
    created: TokenCreated | None = None,
) -> Response:
    user = tokens.account_for(session, principal, user_id)
    return pages.render(
        request,
        "members/account.html",
        status_code=status,
        user=accounts.user_public(user),
        tokens=tokens.list_tokens(session, principal, user_id, limit=500).items,
        administers=accounts.may_administer(principal, user.member_code),
        error=error,
        notice=notice,
        created=created,
    )


@router.get("/users/{user_id}", response_class=HTMLResponse)
def account_page(
    user_id: RecordId, request: Request, session: DbSession, principal: CurrentPrincipal
) -> Response:
    if principal.is_anonymous:
        return RedirectResponse(f"/login?next=/users/{user_id}", status_code=303)
    return _account_page(request, session, principal, user_id)


@router.post("/users/{user_id}/tokens", response_class=HTMLResponse)
def issue_token(
    user_id: RecordId,
    request: Request,
    session: DbSession,
    principal: Admin,
    name: Annotated[str, Form(max_length=500)] = "",
    days: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    pages.check_csrf(request, csrf_token)
    try:
        data = TokenCreate.model_validate({"name": name, "days": days.strip() or None})
        created = tokens.issue_token(session, principal, user_id, data)
    except ValidationError as exc:
        return _account_page(
            request, session, principal, user_id, status=422, error=describe_validation(exc)
        )
    except Invalid as exc:
        session.rollback()
        return _account_page(request, session, principal, user_id, status=422, error=exc.detail)
    # Rendered, not redirected: this page is the one place the token is ever shown.
    return _account_page(request, session, principal, user_id, created=created)


@router.post("/users/{user_id}/tokens/{token_id}/revoke")
def revoke_token(
    user_id: RecordId,
    token_id: RecordId,
    request: Request,
    session: DbSession,
    principal: SignedIn,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    pages.check_csrf(request, csrf_token)
    tokens.revoke_token(session, principal, user_id, token_id)
    return RedirectResponse(f"/users/{user_id}", status_code=303)


@router.post("/users/{user_id}/unlock", response_class=HTMLResponse)
def unlock(
    user_id: RecordId,
    request: Request,
    session: DbSession,
    principal: Admin,
    address: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    pages.check_csrf(request, csrf_token)
    try:
        data = SignInUnlock(address=address.strip() or None)
    except ValidationError as exc:
        return _account_page(
            request, session, principal, user_id, status=422, error=describe_validation(exc)
        )
    done = signin.clear(session, principal, user_id, data.address)
    where = f" from {done.address}" if done.address else ""
    return _account_page(
        request,
        session,
        principal,
        user_id,
        notice=f"Sign-in throttling cleared{where} ({done.cleared_failures} recent failures).",
    )


@router.get("/members", response_class=HTMLResponse)
def members_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    kind: MemberKind | None = None,
) -> Response:
    page = members.list_members(session, principal, kind=kind, limit=500)
    return pages.render(
        request,
        "members/members.html",
        members=page.items,
        total=page.total,
        kind=kind,
        kinds=list(MemberKind),
    )


@router.get("/members/{code}", response_class=HTMLResponse)
def member_page(
    code: str, request: Request, session: DbSession, principal: CurrentPrincipal
) -> Response:
    member = members.to_public(members.get_member(session, principal, code))
    return pages.render(
        request,
        "members/member.html",
        member=member,
        **pages.sections(request, "member", session, principal, member.code),
    )
