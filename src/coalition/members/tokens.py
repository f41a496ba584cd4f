"""API tokens: issued named and with an expiry, listed without their secret, revoked for good.

A token is shown once, when it is made; the database keeps its SHA-256 digest, and no
listing returns even that. A user lists and revokes their own tokens; administrators
issue, list and revoke those of the accounts they administer. Every issue and revocation
is an ORM write of an audited table, so the audit log says who did it and when.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from coalition.core import auth
from coalition.core.db import utcnow
from coalition.core.errors import Forbidden, Invalid, NotFound, Unauthenticated
from coalition.core.listing import Listing, ListQuery
from coalition.core.principal import Principal
from coalition.core.schemas import Page
from coalition.core.settings import get_settings
from coalition.members import accounts
from coalition.members.model import ApiToken, User
from coalition.members.schemas import (
    CONTROL,
    NAME_LENGTH,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    TokenState,
)


def state_of(row: ApiToken, now: dt.datetime | None = None) -> TokenState:
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at <= (now or utcnow()):
        return "expired"
    return "active"


def token_public(row: ApiToken) -> TokenPublic:
    return TokenPublic(
        id=row.id,
        user_id=row.user_id,
        username=row.user.username,
        name=row.name,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        state=state_of(row),
    )


def _issue(session: Session, user: User, name: str, days: int | None) -> TokenCreated:
    if len(name) > NAME_LENGTH or CONTROL.search(name):
        raise Invalid(f"a token's name is printable text of at most {NAME_LENGTH} characters")
    if not user.active:
        raise Invalid(f"user {user.username} is deactivated")
    token, digest = auth.new_token()
    lifetime = dt.timedelta(days=days or get_settings().token_days)
    row = ApiToken(user_id=user.id, name=name, digest=digest, expires_at=utcnow() + lifetime)
    session.add(row)
    session.flush()
    return TokenCreated(**token_public(row).model_dump(), token=token)


def create_token(
    session: Session, username: str, *, name: str = "", days: int | None = None
) -> str:
    """A new API token for ``username`` (from the command line); returned once."""
    return _issue(session, accounts.find_user(session, username), name, days).token


def own_account(principal: Principal) -> int:
    """The id of the signed-in user's own account."""
    if principal.user_id is None:
        raise Unauthenticated("sign in first")
    return principal.user_id


def account_for(session: Session, principal: Principal, user_id: int) -> User:
    """The account whose credentials ``principal`` may see: their own, or one they administer."""
    if principal.user_id is not None and principal.user_id == user_id:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound(f"no user {user_id}")
        return user
    return accounts.get_user(session, principal, user_id)


def issue_token(
    session: Session, principal: Principal, user_id: int, data: TokenCreate
) -> TokenCreated:
    """An administrator issues a token for an account they administer."""
    user = accounts.get_user(session, principal, user_id)
    return _issue(session, user, data.name, data.days)


TOKENS = Listing(
    model=ApiToken,
    sorts={"name": ApiToken.name, "created_at": ApiToken.created_at},
    default=[ApiToken.created_at.desc()],
)


def list_tokens(
    session: Session,
    principal: Principal,
    user_id: int,
    *,
    limit: int = 100,
    offset: int = 0,
    sort: str | None = None,
) -> Page[TokenPublic]:
    """The account's tokens, newest first, revoked and expired ones included."""
    user = account_for(session, principal, user_id)
    query = select(ApiToken).where(ApiToken.user_id == user.id)
    return TOKENS.fetch(session, query, ListQuery(limit, offset, sort)).page(token_public)


def _revoke(row: ApiToken) -> ApiToken:
    # Revoking twice changes nothing, so the log holds one revocation per token.
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


def revoke_token(
    session: Session, principal: Principal, user_id: int, token_id: int
) -> TokenPublic:
    """Revoke one token of an account ``principal`` may manage (see :func:`account_for`)."""
    user = account_for(session, principal, user_id)
    row = session.scalars(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    ).first()
    if row is None:
        raise NotFound(f"no token {token_id} of user {user.username}")
    _revoke(row)
    session.flush()
    return token_public(row)


def tokens_of(session: Session, username: str) -> list[TokenPublic]:
    """Every token of ``username``, newest first (for the command line)."""
    user = accounts.find_user(session, username)
    rows = session.scalars(
        select(ApiToken)
        .where(ApiToken.user_id == user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()
    return [token_public(r) for r in rows]


def revoke_by_id(session: Session, principal: Principal, token_id: int) -> TokenPublic:
    """Revoke a token known by its id alone (the command line's system administrator)."""
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(f"no token {token_id}")
    if not accounts.may_administer(principal, row.user.member_code):
        raise Forbidden(f"you may not revoke tokens of {row.user.member_code}")
    _revoke(row)
    session.flush()
    return token_public(row)
