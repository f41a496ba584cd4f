"""Accounts: users, their passwords, and the credentials (sessions, tokens) they sign with.

Issuing and revoking tokens is in :mod:`coalition.members.tokens`; signing in and its
throttling in :mod:`coalition.members.signin`.
"""

from __future__ import annotations

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from coalition.core import auth
from coalition.core.db import utcnow
from coalition.core.editing import apply_patch, check_version
from coalition.core.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    Unauthenticated,
)
from coalition.core.listing import Listing, ListQuery
from coalition.core.passwords import password_problem
from coalition.core.principal import SECRETARIAT, Principal, Role
from coalition.core.schemas import Page
from coalition.members.model import ApiToken, User, WebSession
from coalition.members.schemas import UserCreate, UserPublic, UserUpdate
from coalition.members.service import require_member


def principal_of(user: User) -> Principal:
    return Principal(
        username=user.username, member=user.member_code, role=Role(user.role), user_id=user.id
    )


def user_public(user: User) -> UserPublic:
    return UserPublic(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        member=user.member_code,
        role=Role(user.role),
        active=user.active,
        created_at=user.created_at,
        version=user.version,
    )


# --- user administration --------------------------------------------------------------


def may_administer(principal: Principal, member: str) -> bool:
    """Secretariat admins administer every account; a member's admins their own."""
    if principal.role is not Role.ADMIN:
        return False
    return principal.member in (SECRETARIAT, member)


def add_user(session: Session, principal: Principal, data: UserCreate) -> User:
    require_member(session, data.member)
    if not may_administer(principal, data.member):
        raise Forbidden(f"you may not create accounts for {data.member}")
    if session.scalar(select(User.id).where(User.username == data.username)) is not None:
        raise Conflict(f"user {data.username} already exists")
    check_password(data.username, data.password)
    user = User(
        username=data.username,
        display_name=data.display_name,
        member_code=data.member,
        role=data.role.value,
        password_hash=auth.hash_password(data.password),
    )
    session.add(user)
    session.flush()
    return user


def _administered(principal: Principal) -> Select[User]:
    query = select(User)
    if principal.member != SECRETARIAT:
        query = query.where(User.member_code == principal.member)
    return query


USERS = Listing(
    model=User,
    sorts={
        "username": User.username,
        "name": User.display_name,
        "member": User.member_code,
        "role": User.role,
        "created_at": User.created_at,
    },
    default=[User.username],
)


def list_users(
    session: Session,
    principal: Principal,
    *,
    limit: int = 100,
    offset: int = 0,
    sort: str | None = None,
) -> Page[UserPublic]:
    if principal.role is not Role.ADMIN:
        raise Forbidden("only administrators list accounts")
    rows = USERS.fetch(session, _administered(principal), ListQuery(limit, offset, sort))
    return rows.page(user_public)


def get_user(session: Session, principal: Principal, user_id: int) -> User:
    if principal.role is not Role.ADMIN:
        raise Forbidden("only administrators read accounts")
    user = session.scalars(_administered(principal).where(User.id == user_id)).first()
    if user is None:
        raise NotFound(f"no user {user_id}")
    return user


def update_user(session: Session, principal: Principal, user_id: int, data: UserUpdate) -> User:
    user = get_user(session, principal, user_id)
    check_version(user, data.version)
    patch = data.model_dump(exclude={"version"})
    if patch["role"] is not None:
        patch["role"] = patch["role"].value
    if user.id == principal.user_id and (
        patch["active"] is False or patch["role"] not in (None, "admin")
    ):
        raise Invalid("you may not demote or deactivate your own account")
    deactivating = user.active and patch["active"] is False
    apply_patch(user, patch)
    session.flush()
    if deactivating:
        end_credentials(session, user)
    return user


def find_user(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound(f"no user {username}")
    return user


def check_password(username: str, password: str) -> None:
    """Refuse a password the rule forbids (see :mod:`coalition.core.passwords`)."""
    problem = password_problem(password, username)
    if problem is not None:
        raise Invalid(problem)


def set_password(session: Session, username: str, password: str) -> User:
    """Set a new password; every session and token of the account ends with the old one."""
    user = find_user(session, username)
    check_password(user.username, password)
    user.password_hash = auth.hash_password(password)
    session.flush()
    end_credentials(session, user)
    return user


# --- credentials ----------------------------------------------------------------------


def end_credentials(session: Session, user: User) -> int:
    """End every web session of ``user`` and revoke every live API token, for good.

    Revocation writes ``revoked_at`` through the ORM, so each token's end is audited; a
    revoked token stays revoked if the account is later reactivated. Returns the number
    of tokens revoked.
    """
    now = utcnow()
    live = session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).all()
    for token in live:
        token.revoked_at = now
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    session.flush()
    return len(live)


def principal_from_token(session: Session, token: str) -> Principal:
    if not token.startswith(auth.TOKEN_PREFIX) or len(token) > 200:
        raise Unauthenticated("not a Coalition API token")
    row = session.scalars(
        select(ApiToken).where(ApiToken.digest == auth.token_digest(token))
    ).first()
    if row is None or row.revoked_at is not None:
        raise Unauthenticated("unknown or revoked token")
    if row.expires_at <= utcnow():
        raise Unauthenticated("token expired")
    if not row.user.active:
        raise Unauthenticated("account deactivated")
    return principal_of(row.user)


def principal_from_session(session: Session, token: str) -> Principal | None:
    if not token.startswith(auth.TOKEN_PREFIX) or len(token) > 200:
        return None
    row = session.scalars(
        select(WebSession).where(WebSession.digest == auth.token_digest(token))
    ).first()
    if row is None or row.expires_at <= utcnow() or not row.user.active:
        return None
    return principal_of(row.user)


def sign_out(session: Session, token: str) -> None:
    session.execute(delete(WebSession).where(WebSession.digest == auth.token_digest(token)))
