"""Web pages for members and accounts: the register, each member, and API tokens.

The register lists the members a reader may see; each member's page shows its facts and
what other capabilities add to it (the meetings it attended).

An administrator sees the accounts they administer, issues a named token with an expiry
(shown once, on the page that issued it), revokes tokens and clears sign-in throttling.
A user sees their own account page and may revoke their own tokens. Every form carries
the CSRF token; every change is the same service call the API makes, so it is audited.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from coalition.core.forms import (
    PageForm,
    Refusal,
    Short,
    blank_none,
    submit,
    ticked,
    validate,
    whole,
)
from coalition.core.principal import Principal, Role
from coalition.deps import (
    PAGE_ROWS,
    Admin,
    CurrentPrincipal,
    DbSession,
    Limit,
    Offset,
    RecordId,
    Search,
    SignedIn,
)
from coalition.members import accounts, signin, tokens
from coalition.members import service as members
from coalition.members.model import MemberKind, MemberStanding
from coalition.members.routes import MemberSort, UserSort
from coalition.members.schemas import (
    MemberFilters,
    SignInUnlock,
    TokenCreate,
    TokenCreated,
    UserUpdate,
)
from coalition.web import pages

router = APIRouter(include_in_schema=False)


@router.get("/users", response_class=HTMLResponse)
def users_page(
    request: Request,
    session: DbSession,
    principal: Admin,
    limit: Limit = PAGE_ROWS,
    offset: Offset = 0,
    sort: UserSort = None,
) -> Response:
    page = accounts.list_users(session, principal, limit=limit, offset=offset, sort=sort)
    return pages.render(
        request, "members/users.html", page=page, users=page.items, total=page.total
    )


def _account_page(
    request: Request,
    session: Session,
    principal: Principal,
    user_id: int,
    *,
    refusal: Refusal | None = None,
    refused: str = "",
    values: dict[str, Any] | None = None,
    notice: str | None = None,
    created: TokenCreated | None = None,
) -> Response:
    user = tokens.account_for(session, principal, user_id)
    return pages.render(
        request,
        "members/account.html",
        status_code=refusal.status if refusal else 200,
        user=accounts.user_public(user),
        roles=list(Role),
        tokens=tokens.list_tokens(session, principal, user_id, limit=500).items,
        administers=accounts.may_administer(principal, user.member_code),
        errors=refusal.errors if refusal else None,
        refused=refused,
        values=values or {},
        created=created,
        # A notice of this request's own, else the one a saved form left (``pages.saved``).
        **_notice(notice),
    )


def _notice(notice: str | None) -> dict[str, Any]:
    return {"notice": notice} if notice else {}


@router.get("/users/{user_id}", response_class=HTMLResponse)
def account_page(
    user_id: RecordId, request: Request, session: DbSession, principal: CurrentPrincipal
) -> Response:
    if principal.is_anonymous:
        return RedirectResponse(f"/login?next=/users/{user_id}", status_code=303)
    return _account_page(request, session, principal, user_id)


class TokenForm(PageForm):
    """The form issuing an API token: its name and lifetime."""

    name: Short = ""
    days: Short = ""

    def wire(self) -> TokenCreate:
        return validate(TokenCreate, self.typed(), {"days": whole})


@router.post("/users/{user_id}/tokens", response_class=HTMLResponse)
def issue_token(
    user_id: RecordId,
    request: Request,
    session: DbSession,
    principal: Admin,
    form: Annotated[TokenForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    result = submit(
        session,
        lambda: tokens.issue_token(session, principal, user_id, form.wire()),
        TokenForm.model_fields,
        {"days": "Lifetime in days"},
    )
    if isinstance(result, Refusal):
        return _account_page(
            request,
            session,
            principal,
            user_id,
            refusal=result,
            refused="token",
            values=form.typed(),
        )
    # Rendered, not redirected: this page is the one place the token is ever shown.
    return _account_page(request, session, principal, user_id, created=result)


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
    return pages.saved(request, f"/users/{user_id}", "Token revoked.")


class AccountForm(PageForm):
    """The form an administrator changes an account with: its name, role and state."""

    version: Short = ""
    display_name: Short = ""
    role: Short = ""
    active: Short = ""

    def wire(self) -> UserUpdate:
        return validate(
            UserUpdate,
            {
                "version": self.version,
                "display_name": self.display_name,
                "role": self.role or None,
                "active": ticked(self.active),
            },
            {"version": whole},
        )


@router.post("/users/{user_id}/edit", response_class=HTMLResponse)
def change_account(
    user_id: RecordId,
    request: Request,
    session: DbSession,
    principal: Admin,
    form: Annotated[AccountForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    tokens.account_for(session, principal, user_id)  # 404 for an account the admin may not see
    result = submit(
        session,
        lambda: accounts.update_user(session, principal, user_id, form.wire()),
        AccountForm.model_fields,
        {"display_name": "Name"},
    )
    if isinstance(result, Refusal):
        return _account_page(
            request,
            session,
            principal,
            user_id,
            refusal=result,
            refused="account",
            values=form.typed(),
        )
    return pages.saved(request, f"/users/{user_id}", "Account changed.")


class UnlockForm(PageForm):
    """The form clearing sign-in throttling, from one address or from all."""

    address: Short = ""

    def wire(self) -> SignInUnlock:
        return validate(SignInUnlock, {"address": blank_none(self.address)})


@router.post("/users/{user_id}/unlock", response_class=HTMLResponse)
def unlock(
    user_id: RecordId,
    request: Request,
    session: DbSession,
    principal: Admin,
    form: Annotated[UnlockForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    result = submit(
        session,
        lambda: signin.clear(session, principal, user_id, form.wire().address),
        UnlockForm.model_fields,
    )
    if isinstance(result, Refusal):
        return _account_page(
            request,
            session,
            principal,
            user_id,
            refusal=result,
            refused="unlock",
            values=form.typed(),
        )
    where = f" from {result.address}" if result.address else ""
    return _account_page(
        request,
        session,
        principal,
        user_id,
        notice=f"Sign-in throttling cleared{where} ({result.cleared_failures} recent failures).",
    )


@router.get("/members", response_class=HTMLResponse)
def members_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Limit = PAGE_ROWS,
    offset: Offset = 0,
    sort: MemberSort = None,
    q: Search = None,
) -> Response:
    # The filters are read from the address as typed: a refused one is said on the page.
    filters, refused = pages.read_filters(request, MemberFilters)
    page = pages.filtered(
        refused,
        lambda: members.list_members(
            session, principal, **filters.values(), limit=limit, offset=offset, sort=sort, q=q
        ),
        limit,
        offset,
    )
    return pages.render(
        request,
        "members/members.html",
        status_code=422 if refused else 200,
        refused=refused,
        page=page,
        members=page.items,
        total=page.total,
        kinds=list(MemberKind),
        standings=[(s.value, f"{s.value}s only") for s in MemberStanding],
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
        figures=members.member_figures(session, principal, member.code),
        **pages.sections(request, "member", session, principal, member.code),
    )
