"""Who a command acts as: ``--as USERNAME`` on the command line.

One rule for every command: the name must be a user's, and the user must be active. A
deactivated account cannot act, on the command line as on the web and the API (its
sessions and tokens stop with it). Without ``--as`` a command acts as its own default:
the public for a reader, the system for an operator's task.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from coalition.core.db import get_engine, transaction
from coalition.core.errors import Forbidden, NotFound
from coalition.core.principal import ANONYMOUS, Principal
from coalition.members.accounts import principal_of
from coalition.members.model import User


def acting_user(session: Session, username: str) -> Principal:
    """The principal of the active user ``username``; refuses a missing or inactive one."""
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound(f"no user {username}")
    if not user.active:
        raise Forbidden(f"user {username} is deactivated and cannot act")
    return principal_of(user)


def acting_as(
    username: str | None, default: Principal = ANONYMOUS, session: Session | None = None
) -> Principal:
    """The principal a command acts as: the ``--as`` user, or ``default`` without one.

    Reads the user in ``session`` when given, else in a transaction of its own.
    """
    if not username:
        return default
    if session is not None:
        return acting_user(session, username)
    with transaction(get_engine()) as own:
        return acting_user(own, username)
