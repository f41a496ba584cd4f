"""The ``coalition`` command line, assembled from each capability's commands."""

from __future__ import annotations

import sys

import click
import typer

from coalition.ceasefire.commands import ceasefire_app, export_incidents, import_reports
from coalition.core.commands import audit_app, db_app
from coalition.core.errors import CoalitionError
from coalition.core.settings import get_settings
from coalition.demo.commands import demo
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
app.command("demo")(demo)
import_app.command("reports")(import_reports)
export_app.command("incidents")(export_incidents)
app.add_typer(ceasefire_app, name="ceasefire")


def run_server(host: str | None = None, port: int | None = None) -> None:
    import uvicorn

    from coalition.api import create_app

    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    typer.echo(f"serving Coalition at http://{host}:{port}  (Ctrl-C to stop)")
    uvicorn.run(create_app(), host=host, port=port, log_level="info", proxy_headers=False)


@app.command("serve")
def serve(
    host: str | None = typer.Option(None, help="Address to bind (default: the configured host)"),
    port: int | None = typer.Option(None, help="Port to bind (default: the configured port)"),
) -> None:
    """Serve the web pages and the API."""
    run_server(host, port)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; domain errors become one line on stderr and their exit code."""
    try:
        result = app(args=argv, standalone_mode=False, prog_name="coalition")
    except CoalitionError as exc:
        click.echo(f"error: {exc.detail}", err=True)
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    return result if isinstance(result, int) else 0


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    entry()
