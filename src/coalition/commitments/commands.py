"""``coalition import commitments`` and ``coalition export commitments``. Thin.

Both act as a named user (``--as``), so markings and member ownership hold on the command
line as they do on the web: an export without ``--as`` is the public open-data feed.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Literal

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

from coalition.commitments import export, importer, service
from coalition.commitments.reading import MAX_BYTES
from coalition.core.db import get_engine, transaction
from coalition.core.errors import Invalid
from coalition.core.marking import Marking
from coalition.imports import service as runs
from coalition.members.acting import acting_as
from coalition.members.service import MemberStanding


def import_commitments(
    file: Path = typer.Argument(..., help="The file to load: XLSX or CSV (UTF-8 or UTF-16)"),
    format: Literal["kiel", "csv"] | None = typer.Option(
        None, "--format", help="kiel: the Kiel tracker's main sheet; csv: the plain layout"
    ),
    as_user: str | None = typer.Option(None, "--as", help="The user the import acts as (required)"),
    rejects: Path | None = typer.Option(
        None, help="Where refused rows go (default: FILE.rejects.csv, written only if any)"
    ),
    max_size_mb: int = typer.Option(
        MAX_BYTES // 1_048_576, min=1, max=4096, help="Refuse files larger than this"
    ),
    reported_on: str | None = typer.Option(
        None,
        "--reported-on",
        help="The day the sheet reports for, YYYY-MM-DD: its undated deliveries are "
        "recorded as on or before it (default: today)",
    ),
) -> None:
    """Load commitments, and the deliveries they state, from a file. Re-running the same
    file changes nothing."""
    if format is None:
        raise Invalid("name the file's layout: --format kiel or --format csv")
    if as_user is None:
        raise Invalid("name the user the import acts as: --as USERNAME")
    if not file.is_file():
        raise Invalid(f"no such file: {file}")
    day = None
    if reported_on is not None:
        try:
            day = dt.date.fromisoformat(reported_on)
        except ValueError as exc:
            raise Invalid("--reported-on is YYYY-MM-DD") from exc
    principal = acting_as(as_user)
    engine = get_engine()
    # The rows carry their own markings; the run says what one member imported, so it is
    # that member's (NATIONAL) until it chooses otherwise.
    recorder = runs.Recorder.begin(
        engine,
        principal,
        capability="commitments",
        layout=format,
        path=file,
        options={"reported_on": day.isoformat() if day else None, "max_size_mb": max_size_mb},
        marking=Marking.NATIONAL,
    )
    if recorder.earlier:
        typer.echo(recorder.earlier, err=True)
    started = time.perf_counter()
    with Progress(
        TextColumn("importing"),
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task("import", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        try:
            outcome = importer.import_file(
                engine,
                principal,
                file,
                format,
                max_bytes=max_size_mb * 1_048_576,
                progress=advance,
                reported_on=day,
                run=recorder.key,
            )
        except BaseException as exc:
            recorder.fail(exc)
            raise
    elapsed = time.perf_counter() - started
    s = outcome.summary
    for reject in outcome.rejects:
        recorder.reject(reject.line, reject.reason)
    counts = s.model_dump(include={"read", "inserted", "updated", "unchanged", "rejected"})
    found = {"encoding": outcome.encoding or None}
    broken = (
        f"{file.name} breaks off at {outcome.broken}; the rows before it were imported "
        "and the rest were not read: repair the file and import it again (rows already "
        "stored are left as they are)"
    )
    if outcome.broken is not None:
        recorder.fail(broken, counts, found)
    else:
        recorder.finish(counts, found)
    typer.echo(
        f"read {s.read}, inserted {s.inserted}, updated {s.updated}, "
        f"unchanged {s.unchanged}, rejected {s.rejected}, deliveries recorded {s.delivered} "
        f"({elapsed:.1f} s)"
    )
    if s.undisclosed:
        typer.echo(
            f"{s.undisclosed} rows say something was delivered without saying how much: "
            "their status is in_delivery, and no delivery was recorded for them"
        )
    if outcome.partners:
        registered = ", ".join(outcome.partners)
        typer.echo(
            f"registered {len(outcome.partners)} donors outside the coalition as partners: "
            f"{registered}"
        )
    if outcome.encoding not in ("", "utf-8", "utf-8-sig"):
        typer.echo(f"read as {outcome.encoding} (the file is not UTF-8)")
    if outcome.rejects:
        target = rejects or file.with_name(file.name + ".rejects.csv")
        importer.write_rejects(target, outcome.rejects)
        typer.echo(f"rejected rows and reasons: {target}")
    if outcome.broken is not None:
        raise Invalid(broken)


def export_commitments(
    format: export.ExportFormat = typer.Option("csv", "--format", help="csv, json or xlsx"),
    output: Path | None = typer.Option(None, "--output", "-o", help="File (default: stdout)"),
    as_user: str | None = typer.Option(
        None, "--as", help="Export what this user may see (default: the public, PUBLIC only)"
    ),
    standing: MemberStanding | None = typer.Option(
        None, "--standing", help="Only coalition members' commitments, or only partners'"
    ),
) -> None:
    """Write the commitments you may see; without --as, the public open-data feed."""
    principal = acting_as(as_user)
    with transaction(get_engine(), actor=principal.actor) as session:
        body = export.export(session, principal, format, service.Filters(standing=standing))
    if output is None:
        if format == "xlsx":
            raise Invalid("an XLSX export needs --output FILE")
        typer.echo(body.decode("utf-8"), nl=False)
        return
    output.write_bytes(body)
    count = body.count(b"\n") - 1 if format == "csv" else None
    if format == "json":
        count = len(json.loads(body)["commitments"])
    typer.echo(f"wrote {output}" + (f" ({count} commitments)" if count is not None else ""))
