"""HTTP routes for members and user accounts. Thin: parse, call the service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from coalition.core import exports
from coalition.core.schemas import Page
from coalition.deps import (
    ERROR_RESPONSES,
    Admin,
    CurrentPrincipal,
    DbSession,
    Limit,
    Offset,
    RecordId,
    Search,
    SignedIn,
)
from coalition.members import accounts, service, signin, tokens
from coalition.members.schemas import (
    Me,
    MemberCreate,
    MemberFigurePublic,
    MemberFilters,
    MemberPublic,
    MemberUpdate,
    SignInUnlock,
    SignInUnlocked,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    UserCreate,
    UserPublic,
    UserUpdate,
)

router = APIRouter(tags=["members"], responses=ERROR_RESPONSES)

MemberSort = Annotated[str | None, service.MEMBERS.sort_param()]
MemberQuery = Annotated[MemberFilters, Query()]
UserSort = Annotated[str | None, accounts.USERS.sort_param()]
TokenSort = Annotated[str | None, tokens.TOKENS.sort_param()]


@router.get("/me", response_model=Me)
def me(principal: CurrentPrincipal) -> Me:
    return Me(username=principal.username, member=principal.member, role=principal.role)


def member_rows(
    session: DbSession,
    principal: CurrentPrincipal,
    filters: MemberQuery,
    sort: MemberSort = None,
    q: Search = None,
) -> Callable[[int, int], Page[MemberPublic]]:
    """The register as its reader asked for it, one page at a time."""

    def rows(limit: int, offset: int) -> Page[MemberPublic]:
        return service.list_members(
            session, principal, **filters.values(), limit=limit, offset=offset, sort=sort, q=q
        )

    return rows


MemberRows = Annotated[Callable[[int, int], Page[MemberPublic]], Depends(member_rows)]


@router.get("/members", response_model=Page[MemberPublic])
def list_members(rows: MemberRows, limit: Limit = 100, offset: Offset = 0) -> Page[MemberPublic]:
    """The register: members and partners (``standing`` picks one; ``q`` searches names)."""
    return rows(limit, offset)


exports.route(
    router,
    "members",
    MemberPublic,
    member_rows,
    "The register you may see as a file, filtered as the list is.",
)


@router.get("/members/{code}", response_model=MemberPublic)
def get_member(code: str, session: DbSession, principal: CurrentPrincipal) -> MemberPublic:
    return service.to_public(service.get_member(session, principal, code))


@router.get("/members/{code}/figures", response_model=list[MemberFigurePublic])
def get_member_figures(
    code: str, session: DbSession, principal: CurrentPrincipal
) -> list[MemberFigurePublic]:
    """Population and GDP by year, latest first, each with its source."""
    return service.member_figures(session, principal, code)


@router.post("/members", response_model=MemberPublic, status_code=201)
def create_member(data: MemberCreate, session: DbSession, principal: Admin) -> MemberPublic:
    return service.to_public(service.create_member(session, principal, data))


@router.patch("/members/{code}", response_model=MemberPublic)
def update_member(
    code: str, data: MemberUpdate, session: DbSession, principal: Admin
) -> MemberPublic:
    return service.to_public(service.update_member(session, principal, code, data))


@router.get("/users", response_model=Page[UserPublic], tags=["users"])
def list_users(
    session: DbSession,
    principal: Admin,
    limit: Limit = 100,
    offset: Offset = 0,
    sort: UserSort = None,
) -> Page[UserPublic]:
    return accounts.list_users(session, principal, limit=limit, offset=offset, sort=sort)


@router.get("/users/{user_id}", response_model=UserPublic, tags=["users"])
def get_user(user_id: RecordId, session: DbSession, principal: Admin) -> UserPublic:
    return accounts.user_public(accounts.get_user(session, principal, user_id))


@router.post("/users", response_model=UserPublic, status_code=201, tags=["users"])
def create_user(data: UserCreate, session: DbSession, principal: Admin) -> UserPublic:
    return accounts.user_public(accounts.add_user(session, principal, data))


@router.patch("/users/{user_id}", response_model=UserPublic, tags=["users"])
def update_user(
    user_id: RecordId, data: UserUpdate, session: DbSession, principal: Admin
) -> UserPublic:
    return accounts.user_public(accounts.update_user(session, principal, user_id, data))


# --- API tokens and sign-in throttling ----------------------------------------------------


@router.get("/me/tokens", response_model=Page[TokenPublic], tags=["tokens"])
def list_my_tokens(
    session: DbSession,
    principal: SignedIn,
    limit: Limit = 100,
    offset: Offset = 0,
    sort: TokenSort = None,
) -> Page[TokenPublic]:
    own = tokens.own_account(principal)
    return tokens.list_tokens(session, principal, own, limit=limit, offset=offset, sort=sort)


@router.post("/me/tokens/{token_id}/revoke", response_model=TokenPublic, tags=["tokens"])
def revoke_my_token(token_id: RecordId, session: DbSession, principal: SignedIn) -> TokenPublic:
    return tokens.revoke_token(session, principal, tokens.own_account(principal), token_id)


@router.get("/users/{user_id}/tokens", response_model=Page[TokenPublic], tags=["tokens"])
def list_user_tokens(
    user_id: RecordId,
    session: DbSession,
    principal: Admin,
    limit: Limit = 100,
    offset: Offset = 0,
    sort: TokenSort = None,
) -> Page[TokenPublic]:
    return tokens.list_tokens(session, principal, user_id, limit=limit, offset=offset, sort=sort)


@router.post(
    "/users/{user_id}/tokens", response_model=TokenCreated, status_code=201, tags=["tokens"]
)
def create_user_token(
    user_id: RecordId, data: TokenCreate, session: DbSession, principal: Admin
) -> TokenCreated:
    """Issue a token; the response is the only place the token itself ever appears."""
    return tokens.issue_token(session, principal, user_id, data)


@router.post(
    "/users/{user_id}/tokens/{token_id}/revoke", response_model=TokenPublic, tags=["tokens"]
)
def revoke_user_token(
    user_id: RecordId, token_id: RecordId, session: DbSession, principal: Admin
) -> TokenPublic:
    return tokens.revoke_token(session, principal, user_id, token_id)


@router.post("/users/{user_id}/unlock", response_model=SignInUnlocked, tags=["users"])
def unlock_user(
    user_id: RecordId, data: SignInUnlock, session: DbSession, principal: Admin
) -> SignInUnlocked:
    """Clear the account's sign-in throttling, from one address or from all."""
    return signin.clear(session, principal, user_id, data.address)
