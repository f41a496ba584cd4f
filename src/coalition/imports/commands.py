"""``coalition imports list`` and ``coalition imports show``. Thin.

Both read as a named user (``--as``), so markings hold on the command line as on the web:
without ``--as`` they show what the public may see.
"""

from __future__ import annotations

import json
import re
from typing import Literal

import typer

from coalition.core.db import get_engine, transaction
from coalition.core.errors import Invalid
from coalition.core.marking import watch_shown
from coalition.imports import service
from coalition.imports.enums import Imported, RunState
from coalition.members.acting import acting_as

imports_app = typer.Typer(
    help="The record of every import: its file, state, counts and rejected rows.",
    no_args_is_help=True,
)

AS_USER = typer.Option(None, "--as", help="Read as this user (default: the public)")


@imports_app.command("list")
def imports_list(
    capability: Imported | None = typer.Option(None, "--capability", help="Only these imports"),
    state: RunState | None = typer.Option(None, "--state", help="Only runs in this state"),
    format: Literal["text", "json"] = typer.Option("text", "--format", help="text or json"),
    limit: int = typer.Option(100, min=1, max=500, help="Runs to list, latest first"),
    as_user: str | None = AS_USER,
) -> None:
    """List import runs, latest first, with their counts."""
    principal = acting_as(as_user)
    watch_shown()  # the list's marking is the highest of the runs it lists and counts
    with transaction(get_engine(), actor=principal.actor) as session:
        page = service.list_runs(
            session, principal, capability=capability, state=state, limit=limit
        )
    if format == "json":
        runs = [r.model_dump(mode="json") for r in page.items]
        body = {"marking": page.marking, "total": page.total, "runs": runs}
        typer.echo(json.dumps(body, indent=1, ensure_ascii=False))
        return
    for r in page.items:
        typer.echo(
            f"{r.key}  {r.started_at:%Y-%m-%d %H:%M}  {r.capability.value:<11} "
            f"{r.state.value:<9} read {r.read}, inserted {r.inserted}, updated {r.updated}, "
            f"unchanged {r.unchanged}, rejected {r.rejected}  {r.file_name}"
        )
    typer.echo(f"{page.total} run{'s' if page.total != 1 else ''} ({page.marking})")


@imports_app.command("show")
def imports_show(
    key: str = typer.Argument(..., help="The run's key"),
    rejects: int = typer.Option(20, min=0, max=10_000, help="Rejected rows to list"),
    as_user: str | None = AS_USER,
) -> None:
    """Show one import run: its file, options, state, counts and first rejected rows."""
    if not re.fullmatch(r"[0-9a-f]{16}", key):
        raise Invalid("a run's key is sixteen hexadecimal digits, as `imports list` shows")
    principal = acting_as(as_user)
    with transaction(get_engine(), actor=principal.actor) as session:
        run = service.to_public(session, service.get_run(session, principal, key))
        refused = service.list_rejects(session, principal, key, limit=max(rejects, 1))
    ended = f"{run.ended_at:%Y-%m-%d %H:%M:%S} UTC" if run.ended_at else "-"
    typer.echo(f"run {run.key}: {run.capability.value} from {run.file_name} ({run.layout})")
    typer.echo(f"marking: {run.marking.label}; state: {run.state.value}")
    typer.echo(f"file: {run.file_size} bytes, sha256 {run.file_sha256}")
    typer.echo(f"started {run.started_at:%Y-%m-%d %H:%M:%S} UTC by {run.started_by}; ended {ended}")
    for name, value in sorted(run.options.items()):
        typer.echo(f"option {name}: {value}")
    typer.echo(
        f"read {run.read}, inserted {run.inserted}, updated {run.updated}, "
        f"unchanged {run.unchanged}, rejected {run.rejected}"
    )
    if run.error:
        typer.echo(f"error: {run.error}")
    if run.rejects_dropped:
        typer.echo(f"{run.rejects_dropped} rejected rows beyond those kept were counted only")
    for r in refused.items[:rejects]:
        column = f" [{r.column}]" if r.column else ""
        typer.echo(f"  line {r.line}{column}: {r.reason}")
    if refused.total > rejects:
        typer.echo(f"  ... {refused.total - rejects} more (see /imports/{run.key})")


def _ask(key: str, as_user: str, act: str) -> None:
    from coalition.imports import background, jobs

    if not re.fullmatch(r"[0-9a-f]{16}", key):
        raise Invalid("a run's key is sixteen hexadecimal digits, as `imports list` shows")
    principal = acting_as(as_user)
    engine = get_engine()
    with transaction(engine, actor=principal.actor) as session:
        run = (background.cancel if act == "cancel" else background.resume)(session, principal, key)
        state = run.state
    if act == "resume":
        jobs.enqueue(engine, key)
    typer.echo(f"run {key}: {state}")


@imports_app.command("cancel")
def imports_cancel(
    key: str = typer.Argument(..., help="The run's key"),
    as_user: str = typer.Option(..., "--as", help="Who started it, or a secretariat user"),
) -> None:
    """Stop a background import: a queued one at once, a working one after its batch."""
    _ask(key, as_user, "cancel")


@imports_app.command("resume")
def imports_resume(
    key: str = typer.Argument(..., help="The run's key"),
    as_user: str = typer.Option(..., "--as", help="Who started it, or a secretariat user"),
) -> None:
    """Queue again a background import that stopped, failed or was cancelled: it carries
    on where its stored batches end."""
    _ask(key, as_user, "resume")


def worker(
    once: bool = typer.Option(False, "--once", help="Stop once no import is waiting"),
    concurrency: int = typer.Option(
        1, min=1, max=16, help="Imports done at once (PostgreSQL only)"
    ),
) -> None:
    """Do the imports started from the browser and the API, in the background."""
    # On PostgreSQL, run as many as you like, on as many machines: each import is done
    # by one. On SQLite the web process does them itself; this does those it left queued.
    from coalition.imports import jobs

    engine = get_engine()
    done = jobs.work(engine, once=once, concurrency=concurrency)
    if engine.dialect.name != "postgresql":
        typer.echo(f"{done} import{'s' if done != 1 else ''} done")
