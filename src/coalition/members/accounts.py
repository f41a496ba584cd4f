"""Accounts: users, sign-in with throttling, web sessions and API tokens."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from coalition.core import auth
from coalition.core.db import utcnow
from coalition.core.editing import apply_patch, check_version
from coalition.core.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    TooManyAttempts,
    Unauthenticated,
)
from coalition.core.principal import SECRETARIAT, Principal, Role
from coalition.core.schemas import Page
from coalition.core.settings import get_settings
from coalition.members.model import ApiToken, LoginAttempt, User, WebSession
from coalition.members.schemas import UserCreate, UserPublic, UserUpdate
from coalition.members.service import require_member

# An address may fail this many times more than one account before it is throttled:
# a shared office NAT should not lock out a whole delegation for one person's typos.
ADDRESS_FACTOR = 4


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


def _may_administer(principal: Principal, member: str) -> bool:
    """Secretariat admins administer every account; a member's admins their own."""
    if principal.role is not Role.ADMIN:
        return False
    return principal.member in (SECRETARIAT, member)


def add_user(session: Session, principal: Principal, data: UserCreate) -> User:
    require_member(session, data.member)
    if not _may_administer(principal, data.member):
        raise Forbidden(f"you may not create accounts for {data.member}")
    if session.scalar(select(User.id).where(User.username == data.username)) is not None:
        raise Conflict(f"user {data.username} already exists")
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


def list_users(
    session: Session, principal: Principal, *, limit: int = 100, offset: int = 0
) -> Page[UserPublic]:
    if principal.role is not Role.ADMIN:
        raise Forbidden("only administrators list accounts")
    query = _administered(principal)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(User.username).limit(limit).offset(offset)).unique().all()
    return Page(items=[user_public(u) for u in rows], total=total, limit=limit, offset=offset)


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
    apply_patch(user, patch)
    session.flush()
    return user


def find_user(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound(f"no user {username}")
    return user


def set_password(session: Session, username: str, password: str) -> None:
    if not auth.MIN_PASSWORD_LENGTH <= len(password) <= auth.MAX_PASSWORD_LENGTH:
        raise Invalid(
            f"a password has {auth.MIN_PASSWORD_LENGTH} to {auth.MAX_PASSWORD_LENGTH} characters"
        )
    find_user(session, username).password_hash = auth.hash_password(password)
    session.flush()


# --- API tokens -----------------------------------------------------------------------


def create_token(
    session: Session, username: str, *, name: str = "", days: int | None = None
) -> str:
    """A new API token for ``username``; the token is returned once and stored as a digest."""
    user = find_user(session, username)
    if not user.active:
        raise Invalid(f"user {username} is deactivated")
    token, digest = auth.new_token()
    lifetime = dt.timedelta(days=days or get_settings().token_days)
    session.add(ApiToken(user_id=user.id, name=name, digest=digest, expires_at=utcnow() + lifetime))
    session.flush()
    return token


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


# --- web sign-in ----------------------------------------------------------------------


def _check_throttle(session: Session, username: str, address: str) -> None:
    settings = get_settings()
    since = utcnow() - dt.timedelta(minutes=settings.login_window_minutes)
    failures = select(func.count()).where(LoginAttempt.success.is_(False), LoginAttempt.at >= since)
    by_user = session.scalar(failures.where(LoginAttempt.username == username)) or 0
    by_address = session.scalar(failures.where(LoginAttempt.address == address)) or 0
    if (
        by_user >= settings.login_max_failures
        or by_address >= settings.login_max_failures * ADDRESS_FACTOR
    ):
        raise TooManyAttempts(
            f"too many failed sign-ins; try again in {settings.login_window_minutes} minutes"
        )


def sign_in(session: Session, username: str, password: str, address: str) -> tuple[str, User]:
    """Check the password and open a web session; returns ``(session_token, user)``.

    Failures are recorded (and committed by the caller even though sign-in fails, see
    :func:`record_failure`) so that guessing is throttled per account and per address.
    """
    username = username.strip().lower()[:64]
    _check_throttle(session, username, address)
    user = session.scalars(select(User).where(User.username == username)).first()
    ok = auth.verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        raise Unauthenticated("wrong username or password")
    session.add(LoginAttempt(username=username, address=address[:64], success=True))
    token, digest = auth.new_token()
    expires = utcnow() + dt.timedelta(hours=get_settings().session_hours)
    session.add(WebSession(digest=digest, user_id=user.id, expires_at=expires))
    session.execute(delete(WebSession).where(WebSession.expires_at <= utcnow()))
    session.flush()
    return token, user


def record_failure(session: Session, username: str, address: str) -> None:
    session.add(
        LoginAttempt(username=username.strip().lower()[:64], address=address[:64], success=False)
    )


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
