"""Commands for user accounts."""

from __future__ import annotations

import sys

import typer
from pydantic import ValidationError

from coalition.core.db import get_engine, transaction
from coalition.core.errors import Invalid
from coalition.core.forms import one_line
from coalition.core.principal import SYSTEM, Role
from coalition.members import accounts, signin, tokens
from coalition.members.schemas import SignInUnlock, UserCreate

users_app = typer.Typer(help="User accounts and API tokens.", no_args_is_help=True)


def _read_password() -> str:
    if sys.stdin.isatty():
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise Invalid("no password on standard input")
    return line


@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="Username: lower-case letters, digits, dots, dashes"),
    member: str = typer.Option(
        ..., "--member", help="Member code the user belongs to, e.g. FRA or SEC"
    ),
    role: Role = typer.Option(..., "--role", help="viewer, contributor, planner, monitor or admin"),
    display_name: str = typer.Option("", "--display-name", help="Full name shown on pages"),
) -> None:
    """Create a user. The password is asked for, or read from standard input when piped."""
    password = _read_password()
    try:
        data = UserCreate(
            username=name,
            member=member.upper(),
            role=role,
            password=password,
            display_name=display_name,
        )
    except ValidationError as exc:
        raise Invalid(one_line(exc)) from None
    with transaction(get_engine(), actor="cli") as session:
        user = accounts.add_user(session, SYSTEM, data)
        typer.echo(f"created {user.username} ({user.member_code}, {user.role})")


@users_app.command("token")
def users_token(
    name: str = typer.Argument(..., help="Username"),
    label: str = typer.Option("", "--label", help="What the token is for"),
    days: int = typer.Option(
        0, "--days", min=0, max=3650, help="Lifetime in days (0: the configured default)"
    ),
) -> None:
    """Create an API bearer token for a user and print it once."""
    with transaction(get_engine(), actor="cli") as session:
        token = tokens.create_token(session, name, name=label, days=days or None)
    typer.echo(token)


@users_app.command("tokens")
def users_tokens(name: str = typer.Argument(..., help="Username")) -> None:
    """List a user's API tokens: id, state, expiry and label (never the token itself)."""
    with transaction(get_engine(), actor="cli") as session:
        rows = tokens.tokens_of(session, name)
    if not rows:
        typer.echo(f"{name} has no API tokens")
    for row in rows:
        until = row.revoked_at if row.revoked_at is not None else row.expires_at
        when = "revoked" if row.revoked_at is not None else "expires"
        label = f"  {row.name}" if row.name else ""
        typer.echo(
            f"{row.id:>6}  {row.state:<7}  {when} {until.strftime('%Y-%m-%d %H:%M')}Z{label}"
        )


@users_app.command("revoke-token")
def users_revoke_token(
    token_id: int = typer.Argument(..., min=1, max=2**31 - 1, help="Token id, from `users tokens`"),
) -> None:
    """Revoke an API token for good (revoking it again changes nothing)."""
    with transaction(get_engine(), actor="cli") as session:
        row = tokens.revoke_by_id(session, SYSTEM, token_id)
    typer.echo(f"token {row.id} of {row.username} revoked")


@users_app.command("password")
def users_password(name: str = typer.Argument(..., help="Username")) -> None:
    """Set a user's password; their web sessions and API tokens end with the old one."""
    password = _read_password()
    with transaction(get_engine(), actor="cli") as session:
        accounts.set_password(session, name, password)
    typer.echo(f"password of {name} changed; its sessions and tokens are ended")


@users_app.command("unlock")
def users_unlock(
    name: str = typer.Argument(..., help="Username"),
    address: str | None = typer.Option(
        None, "--address", help="Only from this IP address (default: every one)"
    ),
) -> None:
    """Clear a user's sign-in throttling, from one address or from all."""
    try:
        data = SignInUnlock(address=address)
    except ValidationError as exc:
        raise Invalid(one_line(exc)) from None
    with transaction(get_engine(), actor="cli") as session:
        done = signin.clear_by_name(session, name, data.address)
    where = f" from {done.address}" if done.address else ""
    typer.echo(
        f"sign-in throttling of {done.username}{where} cleared "
        f"({done.cleared_failures} recent failures)"
    )
