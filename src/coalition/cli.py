"""The ``coalition`` command line, assembled from each capability's declared commands.

A capability declares its commands in its ``cli.py`` (names, help, where each lives); the
tree is built from those declarations alone, so ``coalition --help`` imports no capability,
no model, no web framework. A command's module is imported when that command is resolved,
and the whole application (every table, every audit check) is loaded only when a command
actually runs; see "How commands load" in ``docs/cli.md``.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TypeGuard

import typer

from coalition.briefings import cli as briefings
from coalition.ceasefire import cli as ceasefire
from coalition.commitments import cli as commitments
from coalition.core.commandline import Command, CommandGroup, Declared, lazy_group
from coalition.core.errors import CoalitionError, ConfigurationError, Invalid
from coalition.decisions import cli as decisions
from coalition.demo import cli as demo
from coalition.forcegen import cli as forcegen
from coalition.imports import cli as imports
from coalition.members import cli as members
from coalition.sanctions import cli as sanctions
from coalition.situation import cli as situation

if TYPE_CHECKING:
    from pydantic import ValidationError
    from sqlalchemy.exc import DBAPIError

# The commands of each registered capability, in the order of ``coalition.capabilities``,
# then the demo's: each ``CAPABILITY.commands`` is its ``cli.COMMANDS``, and a test checks
# that this list names them all.
DECLARED: list[Declared] = [
    *members.COMMANDS,
    *commitments.COMMANDS,
    *decisions.COMMANDS,
    *forcegen.COMMANDS,
    *ceasefire.COMMANDS,
    *sanctions.COMMANDS,
    *situation.COMMANDS,
    *briefings.COMMANDS,
    *imports.COMMANDS,
    *demo.COMMANDS,
]
# The core's own groups.
CORE: list[Declared] = [
    CommandGroup("db", "coalition.core.commands:db_app", "The database schema."),
    CommandGroup(
        "audit", "coalition.core.commands:audit_app", "The signed, hash-chained audit log."
    ),
]


def load_application() -> None:
    """Load every capability, its tables and its audit checks before a command runs, as
    the server does."""
    import coalition.capabilities  # registers the capabilities and their checks
    import coalition.models  # noqa: F401 - every table


def load_tables() -> None:
    """Load every table and nothing else of the capabilities: what an import needs, which
    writes its rows through its own capability's functions."""
    import coalition.models  # noqa: F401 - every table


# Imports write rows and read none of the other capabilities' checks, importers or pages.
TABLES_ONLY = frozenset({"import"})


def _under(group: str) -> type[typer.core.TyperGroup]:
    entries = [c for c in DECLARED if isinstance(c, Command) and c.under == group]
    return lazy_group(entries, load_tables if group in TABLES_ONLY else load_application)


app = typer.Typer(
    cls=lazy_group(
        [*CORE, *(c for c in DECLARED if not isinstance(c, Command) or c.under is None)],
        load_application,
    ),
    help="Coalition: members, meetings and the coalition's shared record.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
import_app = typer.Typer(
    cls=_under("import"), help="Load records from files.", no_args_is_help=True
)
export_app = typer.Typer(
    cls=_under("export"), help="Write what you may see to files.", no_args_is_help=True
)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")


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
    from coalition.server import run_server  # its settings, only when serving

    run_server(host, port, workers)


def _refused_value(exc: Exception) -> TypeGuard[ValidationError]:
    """An option value the command line's parser refused (a pydantic ``ValidationError``).

    Only a loaded library raises its own exceptions, so one not yet imported is not asked.
    """
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(exc, pydantic.ValidationError)


def _database_error(exc: Exception) -> TypeGuard[DBAPIError]:
    """A driver's error (SQLAlchemy's ``DBAPIError``), only if SQLAlchemy was loaded."""
    errors = sys.modules.get("sqlalchemy.exc")
    return errors is not None and isinstance(exc, errors.DBAPIError)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; domain errors become one line on stderr and their exit code."""
    try:
        result = app(args=argv, standalone_mode=False, prog_name="coalition")
    except CoalitionError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        return exc.exit_code
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.TyperException as exc:  # usage errors: the parser's own message
        exc.show()  # type: ignore[attr-defined]
        return int(getattr(exc, "exit_code", 2))
    except typer.Abort:
        typer.echo("aborted", err=True)
        return 1
    except Exception as exc:
        if _refused_value(exc):
            from coalition.core.forms import one_line

            typer.echo(f"error: {one_line(exc)}", err=True)
            return Invalid.exit_code
        if _database_error(exc):
            from coalition.core import migrate

            if migrate.is_unmigrated(exc):
                typer.echo(f"error: {migrate.NOT_MIGRATED}", err=True)
                return ConfigurationError.exit_code
        raise
    return result if isinstance(result, int) else 0


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    entry()
