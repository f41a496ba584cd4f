"""The demo command: load the illustrative scenario, then serve."""

from __future__ import annotations

import typer

from coalition.core import migrate
from coalition.core.db import get_engine, transaction
from coalition.demo import service
from coalition.members.demo import ACCOUNTS
from coalition.server import run_server


def demo(
    serve: bool = typer.Option(
        True, "--serve/--no-serve", help="Serve the web application after loading"
    ),
    host: str | None = typer.Option(None, help="Address to bind (default: the configured host)"),
    port: int | None = typer.Option(None, help="Port to bind (default: the configured port)"),
) -> None:
    """Load the illustrative March 2025 scenario into the configured database, then serve it."""
    engine = get_engine()
    migrate.upgrade(engine)
    with transaction(engine, actor="demo") as session:
        loaded = service.load(session)
    typer.echo("demo scenario loaded" if loaded else "demo scenario already present; left as it is")
    typer.echo("\nSign in with one of these demonstration accounts:")
    width = max(len(a.username) for a in ACCOUNTS)
    for account in ACCOUNTS:
        who = f"{account.member} {account.role.value}"
        typer.echo(f"  {account.username:<{width}}  password {account.password:<18}  {who}")
    if serve:
        run_server(host, port)
