"""Dependencies every route shares: the database session and the principal.

The session dependency has function scope, so the transaction commits when the route
returns and before the response is sent: a client never sees success for a write that
failed to commit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from sqlalchemy.orm import Session

from coalition.core.admission import DatabaseGate
from coalition.core.db import transaction
from coalition.core.errors import Forbidden, Unauthenticated
from coalition.core.listing import MAX_SEARCH
from coalition.core.principal import ANONYMOUS, Principal, Role
from coalition.core.schemas import MAX_PAGE
from coalition.members import accounts

SESSION_COOKIE = "coalition_session"
CSRF_COOKIE = "coalition_csrf"


async def database_slot(request: Request) -> AsyncIterator[None]:
    """Wait in this process's line for a database connection (503 if the wait is too long)."""
    gate: DatabaseGate = request.app.state.db_gate
    async with gate.slot():
        yield


# For a route that opens its own transactions (sign-in commits each attempt apart).
DatabaseSlot = Annotated[None, Depends(database_slot, scope="function")]


def get_session(request: Request, _slot: DatabaseSlot) -> Iterator[Session]:
    engine = request.app.state.engine
    with transaction(engine) as session:
        # Pages rendered in this request reuse the session: on SQLite a second
        # transaction would wait for this one's write lock.
        request.state.db = session
        try:
            yield session
        finally:
            request.state.db = None


DbSession = Annotated[Session, Depends(get_session, scope="function")]


def get_principal(request: Request, session: DbSession) -> Principal:
    """The caller: a bearer token, else a web session cookie, else the anonymous public.

    A presented token that is wrong, expired or revoked is an error, never a silent
    fall-back to anonymous: a script with a broken token should fail loudly.
    """
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
        principal = accounts.principal_from_token(session, token.strip())
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        principal = (
            accounts.principal_from_session(session, cookie) if cookie else None
        ) or ANONYMOUS
    session.info["actor"] = principal.actor
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def signed_in(principal: CurrentPrincipal) -> Principal:
    if principal.is_anonymous:
        raise Unauthenticated("sign in first")
    return principal


SignedIn = Annotated[Principal, Depends(signed_in)]


def admin(principal: SignedIn) -> Principal:
    if principal.role is not Role.ADMIN:
        raise Forbidden("administrators only")
    return principal


Admin = Annotated[Principal, Depends(admin)]

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page size")]
# The rows a list page shows at once (the API's lists default to 100).
PAGE_ROWS = 50
# Record ids are 32-bit integers on PostgreSQL; anything outside is a 422, not a crash.
RecordId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Record id")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip")]
# Free text a list searches for, matched literally (see ``core.listing.matching``).
Search = Annotated[
    str | None,
    Query(max_length=MAX_SEARCH, description="Free text, matched literally in the list's text"),
]


def _error(description: str) -> dict[str, object]:
    from coalition.core.schemas import ErrorResponse

    return {"model": ErrorResponse, "description": description}


# Declared on every API router so the OpenAPI document lists the error shape.
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    400: _error("Malformed request"),
    401: _error("Missing, wrong or expired credentials"),
    403: _error("Signed in, but not allowed to do this"),
    404: _error("No such record, or not visible to you"),
    409: _error("Stale version or duplicate record"),
    413: _error("Request body too large"),
    422: _error("Invalid input"),
}
