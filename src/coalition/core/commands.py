"""Operator commands for the core: schema migrations and the audit check."""

from __future__ import annotations

import typer
from rich.console import Console

from coalition.core import audit, migrate
from coalition.core.db import get_engine, transaction
from coalition.core.errors import IntegrityFailure

db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
console = Console(stderr=True)


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("heads", help="Target revision")) -> None:
    """Create or migrate the configured database to the newest schema."""
    engine = get_engine()
    migrate.upgrade(engine, revision)
    typer.echo(f"database at {engine.url.render_as_string(hide_password=True)} is at {revision}")


@audit_app.command("verify")
def audit_verify() -> None:
    """Re-check the hash chain and that every audited row matches its last entry.

    Exits non-zero and names the first bad entry or row when anything was altered
    behind the application's back.
    """
    with transaction(get_engine()) as session:
        report = audit.verify(session)
    if not report.ok:
        first = report.problems[0]
        more = len(report.problems) - 1
        suffix = f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""
        raise IntegrityFailure(f"audit check failed at {first}{suffix}")
    typer.echo(f"audit chain intact: {report.entries} entries, {report.rows} audited rows match")
