"""Web sign-in: slowing guessing down without handing anyone a lock to turn.

Every attempt is recorded as a failure before its password is checked, and turned into a
success only if the password is right, so concurrent guesses are counted too. Three
slow-downs apply (see :mod:`coalition.members.throttle` for the waits):

- **the pair** (account, address): after ``login_max_failures`` failures each further
  attempt from that address waits twice as long as the last, up to the window. Failures
  are remembered for a day, until the pair signs in or an administrator clears them.
  Failures against an account from one address never slow it down from another.
- **the address** across all accounts, and **the account** across all addresses, each
  allowed twenty times as many failures within the window (credential stuffing from one
  address, guessing from many), then slowed the same way. These two spare a *known*
  pair, one that signed in (or was cleared by an administrator) within the last 30 days:
  a colleague's typos behind the same office proxy, or an attacker spraying one name,
  do not keep a user out from where they usually sign in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from coalition.core import auth
from coalition.core.db import utcnow
from coalition.core.errors import TooManyAttempts, Unauthenticated
from coalition.core.forwarding import MAX_ADDRESS
from coalition.core.principal import Principal
from coalition.core.settings import get_settings
from coalition.members import accounts, throttle
from coalition.members.model import LoginAttempt, SignInClearance, User, WebSession
from coalition.members.schemas import SignInUnlocked

PAIR_MEMORY = dt.timedelta(days=1)
KNOWN_FOR = dt.timedelta(days=30)
WIDE_FACTOR = 20
BASE_DELAY = dt.timedelta(seconds=30)


def normalise_username(username: str) -> str:
    return username.strip().lower()[:64]


@dataclass(frozen=True)
class Attempt:
    """A sign-in attempt under way: its recorded row, account name and address."""

    id: int
    username: str
    address: str


def _latest(
    session: Session, column: InstrumentedAttribute[dt.datetime], *where: ColumnElement[bool]
) -> dt.datetime | None:
    return session.scalar(select(func.max(column)).where(*where))


def _failures(
    session: Session, since: dt.datetime, *where: ColumnElement[bool]
) -> tuple[int, dt.datetime | None]:
    count, last = session.execute(
        select(func.count(), func.max(LoginAttempt.at)).where(
            LoginAttempt.success.is_(False),
            LoginAttempt.at > since,
            *where,
        )
    ).one()
    return int(count), last


def _cleared(username: str, address: str | None = None) -> list[ColumnElement[bool]]:
    """Conditions on clearances that cover ``username`` (at ``address``, if given)."""
    conditions: list[ColumnElement[bool]] = [SignInClearance.username == username]
    if address is not None:
        conditions.append(
            or_(SignInClearance.address.is_(None), SignInClearance.address == address)
        )
    else:
        conditions.append(SignInClearance.address.is_(None))
    return conditions


def throttle_wait(
    session: Session, username: str, address: str, now: dt.datetime | None = None
) -> dt.timedelta:
    """How long an attempt by ``username`` from ``address`` at ``now`` must still wait."""
    settings = get_settings()
    now = now or utcnow()
    cap = dt.timedelta(minutes=settings.login_window_minutes)
    allowed = settings.login_max_failures

    pair = (LoginAttempt.username == username, LoginAttempt.address == address)
    pair_success = _latest(session, LoginAttempt.at, *pair, LoginAttempt.success.is_(True))
    pair_cleared = _latest(session, SignInClearance.created_at, *_cleared(username, address))
    floor = now - PAIR_MEMORY
    since = max(t for t in (floor, pair_success, pair_cleared) if t is not None)
    count, last = _failures(session, since, *pair)
    longest = throttle.wait(now, last, count, allowed, BASE_DELAY, cap)

    known_since = now - KNOWN_FOR
    known = any(t is not None and t > known_since for t in (pair_success, pair_cleared))
    if not known:
        window_start = now - cap
        count, last = _failures(session, window_start, LoginAttempt.address == address)
        longest = max(
            longest, throttle.wait(now, last, count, allowed * WIDE_FACTOR, BASE_DELAY, cap)
        )
        account_cleared = _latest(session, SignInClearance.created_at, *_cleared(username))
        since = max(t for t in (window_start, account_cleared) if t is not None)
        count, last = _failures(session, since, LoginAttempt.username == username)
        longest = max(
            longest, throttle.wait(now, last, count, allowed * WIDE_FACTOR, BASE_DELAY, cap)
        )
    return longest


def begin(session: Session, username: str, address: str) -> Attempt:
    """Refuse a throttled attempt, else record it as a failure until it proves otherwise.

    The caller commits this before checking the password (:func:`complete`), so an
    attempt counts even when many run at once or the check never finishes.
    """
    username = normalise_username(username)
    address = address[:MAX_ADDRESS]
    remaining = throttle_wait(session, username, address)
    if remaining > dt.timedelta(0):
        raise TooManyAttempts(
            f"too many failed sign-ins; try again in {throttle.describe(remaining)}",
            retry_after=throttle.retry_after_seconds(remaining),
        )
    row = LoginAttempt(username=username, address=address, success=False)
    session.add(row)
    session.flush()
    return Attempt(row.id, username, address)


def complete(session: Session, attempt: Attempt, password: str) -> tuple[str, User]:
    """Check the password; on success open a web session: ``(session_token, user)``."""
    user = session.scalars(select(User).where(User.username == attempt.username)).first()
    ok = auth.verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        raise Unauthenticated("wrong username or password")
    row = session.get(LoginAttempt, attempt.id)
    if row is not None:
        row.success = True
    token, digest = auth.new_token()
    now = utcnow()
    expires = now + dt.timedelta(hours=get_settings().session_hours)
    session.add(WebSession(digest=digest, user_id=user.id, expires_at=expires))
    session.execute(delete(WebSession).where(WebSession.expires_at <= now))
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - KNOWN_FOR))
    session.flush()
    return token, user


def clear(
    session: Session, principal: Principal, user_id: int, address: str | None = None
) -> SignInUnlocked:
    """Clear an account's sign-in throttling (from one address, or all).

    The failures stay on record; the clearance, an audited row, makes them count no more.
    """
    user = accounts.get_user(session, principal, user_id)
    return _clear(session, user.username, address)


def clear_by_name(session: Session, username: str, address: str | None = None) -> SignInUnlocked:
    """:func:`clear` for the command line, by username."""
    user = accounts.find_user(session, username)
    return _clear(session, user.username, address)


def _clear(session: Session, username: str, address: str | None) -> SignInUnlocked:
    now = utcnow()
    where = [LoginAttempt.username == username]
    if address is not None:
        where.append(LoginAttempt.address == address)
    previous = _latest(session, SignInClearance.created_at, *_cleared(username, address))
    since = max(t for t in (now - PAIR_MEMORY, previous) if t is not None)
    count, _ = _failures(session, since, *where)
    session.add(SignInClearance(username=username, address=address, created_at=now))
    session.flush()
    return SignInUnlocked(username=username, address=address, cleared_failures=count)
