"""Operator commands for the core: schema migrations and the audit check."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import typer
from rich.console import Console

from coalition.core import audit
from coalition.core.chain import Checkpoint, parse_checkpoints
from coalition.core.db import get_engine, transaction
from coalition.core.errors import IntegrityFailure, Invalid

db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
audit_app = typer.Typer(help="The signed, hash-chained audit log.", no_args_is_help=True)
console = Console(stderr=True)


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("heads", help="Target revision")) -> None:
    """Create or migrate the configured database to the newest schema."""
    from coalition.core import migrate  # alembic, only to migrate

    engine = get_engine()
    migrate.upgrade(engine, revision)
    typer.echo(f"database at {engine.url.render_as_string(hide_password=True)} is at {revision}")


@audit_app.command("verify")
def audit_verify(
    checkpoints: Path | None = typer.Option(
        None,
        "--checkpoints",
        help="A checkpoint file (from `coalition audit checkpoint --out`): every "
        "checkpoint in it must still be in the chain.",
        dir_okay=False,
    ),
) -> None:
    """Re-check the hash chain and its MACs, that every audited row matches its last
    entry, and that every derived table equals its recomputation from its sources.

    Exits non-zero and names the first bad entry, row or checkpoint when anything was
    altered behind the application's back.
    """
    found = _read_checkpoints(checkpoints) if checkpoints is not None else []
    # One snapshot: rows committed while the check reads must not look unaudited.
    with transaction(get_engine(), snapshot=True) as session:
        report = audit.verify(session, found)
    if not report.ok:
        first = report.problems[0]
        more = len(report.problems) - 1
        suffix = f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""
        raise IntegrityFailure(f"audit check failed at {first}{suffix}")
    legacy = f" ({report.unsigned} unsigned legacy entries)" if report.unsigned else ""
    typer.echo(
        f"audit chain intact: {report.entries} entries{legacy}, {report.rows} audited rows match"
    )
    if checkpoints is not None:
        typer.echo(f"checkpoints held: {report.checkpoints} in {checkpoints}")
    if report.derived:
        typer.echo(f"derived tables match their sources: {', '.join(report.derived)}")


@audit_app.command("checkpoint")
def audit_checkpoint(
    out: Path | None = typer.Option(
        None,
        "--out",
        help="Append the checkpoint to this file (created if missing) instead of printing it.",
        dir_okay=False,
    ),
) -> None:
    """Sign the chain's head (entry number and hash) with the audit key, as one JSON line.

    Keep the lines outside the database (another machine, write-once storage):
    `audit verify --checkpoints FILE` then proves that the chain still holds every
    checkpointed entry, which catches the newest entries removed.
    """
    with transaction(get_engine()) as session:
        point = audit.checkpoint(session, dt.datetime.now(dt.UTC))
    if out is None:
        typer.echo(point.line())
        return
    try:
        with out.open("a", encoding="utf-8") as f:
            f.write(point.line() + "\n")
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        raise Invalid(f"cannot write the checkpoint to {out}: {exc.strerror}") from None
    typer.echo(f"checkpoint of entry {point.seq} appended to {out}")


def _read_checkpoints(path: Path) -> list[tuple[int, Checkpoint]]:
    try:
        with path.open(encoding="utf-8") as f:
            return parse_checkpoints(f)
    except OSError as exc:
        raise Invalid(f"cannot read the checkpoint file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise Invalid(f"the checkpoint file {path} is not UTF-8 text") from None
    except ValueError as exc:
        raise Invalid(f"{path}: {exc}") from None
