"""The ``coalition`` command line, assembled from each capability's commands."""

from __future__ import annotations

import sys

import typer
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError

from coalition.capabilities import REGISTERED
from coalition.core import migrate
from coalition.core.capability import CommandGroup
from coalition.core.commands import audit_app, db_app
from coalition.core.errors import CoalitionError, ConfigurationError, Invalid
from coalition.core.forms import one_line
from coalition.demo.capability import CAPABILITY as DEMO
from coalition.server import run_server

app = typer.Typer(
    help="Coalition: members, meetings and the coalition's shared record.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
import_app = typer.Typer(help="Load records from files.", no_args_is_help=True)
export_app = typer.Typer(help="Write what you may see to files.", no_args_is_help=True)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")
SHARED_GROUPS = {"import": import_app, "export": export_app}
for capability in [*REGISTERED, DEMO]:
    for contribution in capability.commands:
        if isinstance(contribution, CommandGroup):
            app.add_typer(contribution.app, name=contribution.name)
        else:
            group = SHARED_GROUPS[contribution.under] if contribution.under else app
            group.command(contribution.name)(contribution.function)


@app.command("serve")
def serve(
    host: str | None = typer.Option(None, help="Address to bind (default: the configured host)"),
    port: int | None = typer.Option(None, help="Port to bind (default: the configured port)"),
    workers: int | None = typer.Option(
        None,
        min=1,
        max=64,
        help="Server processes to run (default: the configured number, 1)",
    ),
) -> None:
    """Serve the web pages and the API."""
    run_server(host, port, workers)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; domain errors become one line on stderr and their exit code."""
    try:
        result = app(args=argv, standalone_mode=False, prog_name="coalition")
    except CoalitionError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        return exc.exit_code
    except ValidationError as exc:  # an option value the command line's parser refused
        typer.echo(f"error: {one_line(exc)}", err=True)
        return Invalid.exit_code
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.TyperException as exc:  # usage errors: the parser's own message
        exc.show()  # type: ignore[attr-defined]
        return int(getattr(exc, "exit_code", 2))
    except typer.Abort:
        typer.echo("aborted", err=True)
        return 1
    except DBAPIError as exc:
        if not migrate.is_unmigrated(exc):
            raise
        typer.echo(f"error: {migrate.NOT_MIGRATED}", err=True)
        return ConfigurationError.exit_code
    return result if isinstance(result, int) else 0


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    entry()
