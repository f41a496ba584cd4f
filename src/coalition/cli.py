"""The ``coalition`` command line, assembled from each capability's commands."""

from __future__ import annotations

import sys

import typer
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError

from coalition.ceasefire.commands import ceasefire_app, export_incidents, import_reports
from coalition.commitments.commands import export_commitments, import_commitments
from coalition.core import migrate
from coalition.core.commands import audit_app, db_app
from coalition.core.errors import CoalitionError, ConfigurationError, Invalid
from coalition.core.schemas import describe_validation
from coalition.core.settings import get_settings
from coalition.decisions.commands import decisions_app
from coalition.demo.commands import demo
from coalition.forcegen.commands import forcegen_app
from coalition.members.commands import users_app

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
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(decisions_app, name="decisions")
app.add_typer(forcegen_app, name="forcegen")
app.command("demo")(demo)
import_app.command("commitments")(import_commitments)
export_app.command("commitments")(export_commitments)
import_app.command("reports")(import_reports)
export_app.command("incidents")(export_incidents)
app.add_typer(ceasefire_app, name="ceasefire")


def run_server(
    host: str | None = None, port: int | None = None, workers: int | None = None
) -> None:
    import uvicorn

    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    processes = f", {workers} processes" if workers > 1 else ""
    typer.echo(f"serving Coalition at http://{host}:{port}{processes}  (Ctrl-C to stop)")
    # An import string, so that each worker process builds its own app and pool.
    uvicorn.run(
        "coalition.api:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        proxy_headers=False,
    )


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
        typer.echo(f"error: {describe_validation(exc)}", err=True)
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
