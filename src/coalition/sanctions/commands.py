"""Sanctions commands: import a list's snapshot, list the entities listed on a day.

What a command's options need is imported here; what it does (the importer, the
database) inside it, so that ``coalition import sanctions --help`` starts at once.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

import typer

from coalition.core.errors import Invalid
from coalition.core.marking import Marking, check_marking

if TYPE_CHECKING:
    from sqlalchemy import Engine

sanctions_app = typer.Typer(help="Sanctions lists and entities.", no_args_is_help=True)


def get_engine() -> Engine:
    """The configured database's engine, the database code imported only when asked."""
    from coalition.core import db

    return db.get_engine()


def _day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{option} is YYYY-MM-DD") from None


def import_sanctions(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="The file to load"),
    layout: str | None = typer.Option(
        None,
        "--format",
        help="ftm, ofac-csv, ofac-xml, eu-fsf or uk (default: recognised from the file)",
    ),
    list_code: str | None = typer.Option(
        None,
        "--authority",
        "--list",
        help="The list's code, e.g. us_ofac_sdn (default: the format's own list)",
    ),
    date: str | None = typer.Option(
        None,
        "--date",
        help="Day the snapshot was published, YYYY-MM-DD (default: the file's date, or today)",
    ),
    as_user: str = typer.Option(..., "--as", help="Username importing the list"),
    marking: Marking = typer.Option(Marking.PUBLIC, help="Marking of a new list"),
    rel_to: str = typer.Option("", help="Members released to, comma-separated (REL_TO)"),
    rejects: Path | None = typer.Option(None, help="Where to write rejected lines (CSV)"),
) -> None:
    """Import a snapshot of a sanctions list from a file in its published layout."""
    from rich.progress import BarColumn, Progress, TextColumn

    from coalition.core.cells import csv_writer, neutralise
    from coalition.core.db import utcnow
    from coalition.core.forms import parse_rel_to
    from coalition.imports import service as runs
    from coalition.members.acting import acting_as
    from coalition.sanctions import formats, ingest
    from coalition.sanctions.vocabulary import check_list_code

    if layout is None:
        with file.open("rb") as binary:
            layout = formats.recognise(binary.read(formats.HEAD_BYTES))
        if layout is None:
            raise Invalid(
                f"{file.name} is in no layout this command recognises: name it with "
                f"--format ({', '.join(formats.FORMAT_NAMES)})"
            )
    try:
        fmt = formats.format_named(layout)
    except ValueError as exc:
        raise Invalid(f"--format: {exc}") from None
    list_code = list_code or fmt.list_code
    if not list_code:
        raise Invalid("--authority: name the list this file is a snapshot of (e.g. us_ofac_sdn)")
    try:
        check_list_code(list_code)
    except ValueError as exc:
        raise Invalid(f"--authority: {exc}") from None
    with file.open("rb") as binary:
        day = _day(date, "--date") or formats.published(layout, binary) or utcnow().date()
    principal = acting_as(as_user)
    if principal.member is None:
        raise Invalid("--as must name a user")
    try:
        codes = parse_rel_to(rel_to)
    except ValueError as exc:
        raise Invalid(f"--rel-to: {exc}") from None
    check_marking(marking, principal.member, codes)
    reject_path = rejects or file.with_name(file.name + ".rejects.csv")
    written: list[IO[str]] = []  # the rejects file, opened at the first reject only
    engine = get_engine()
    options = {"list": list_code, "snapshot_date": day.isoformat(), "rel_to": codes}
    recorder = runs.Recorder.begin(
        engine,
        principal,
        capability="sanctions",
        layout=layout,
        path=file,
        options=options,
        marking=marking,
        rel_to=codes,
    )
    if recorder.earlier:
        typer.echo(recorder.earlier, err=True)

    def reject(line: int, reason: str) -> None:
        recorder.reject(line, reason)
        if not written:
            out = reject_path.open("w", encoding="utf-8", newline="")
            written.append(out)
            csv_writer(out).writerow(["line", "reason"])
        # A reason may quote the file's own cells: neutralise it for spreadsheets.
        csv_writer(written[0]).writerow([line, neutralise(reason)])

    try:
        with (
            file.open("rb") as binary,
            Progress(
                TextColumn("importing"),
                BarColumn(),
                TextColumn("{task.completed:,} entities read"),
                transient=True,
                disable=not sys.stderr.isatty(),
            ) as progress,
        ):
            task = progress.add_task("import", total=None)
            summary = ingest.import_snapshot(
                engine,
                principal,
                binary,
                list_code=list_code,
                taken_on=day,
                sha256=ingest.file_digest(file),
                run_key=recorder.key,
                marking=marking,
                rel_to=codes,
                on_reject=reject,
                between_batches=lambda n: progress.update(task, completed=n),
                layout=layout,
            )
    except BaseException as exc:
        recorder.fail(exc)
        raise
    finally:
        for out in written:
            out.close()
    counts = summary.counts()
    found = {"delisted": summary.delisted}
    broken = (
        f"{file.name} breaks off at line {summary.broken}; the entities before it were "
        "imported, nothing was delisted and the rest was not read: repair the file and "
        "import it again (entities already stored are left as they are)"
    )
    if summary.broken is not None:
        recorder.fail(broken, counts, found)
    else:
        recorder.finish(counts, found)
    typer.echo(
        f"read {summary.read}, inserted {summary.inserted}, unchanged {summary.unchanged}, "
        f"rejected {summary.rejected}" + (f" (see {reject_path})" if summary.rejected else "")
    )
    if summary.updated or summary.delisted:
        typer.echo(f"changed {summary.updated}, delisted {summary.delisted} on {day}")
    if summary.broken is not None:
        raise Invalid(broken)


@sanctions_app.command("entities")
def sanctions_entities(
    list_code: str | None = typer.Option(None, "--list", help="Only this list's entities"),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Listed on this day, YYYY-MM-DD (default: listed now)"
    ),
    format: str = typer.Option("text", help="text or json"),
    as_user: str | None = typer.Option(None, "--as", help="Reader (default: the public)"),
) -> None:
    """List the entities listed on a day that the reader may see."""
    from coalition.core.db import transaction
    from coalition.members.acting import acting_as
    from coalition.sanctions import service

    if format not in ("text", "json"):
        raise Invalid("--format is text or json")
    day = _day(as_of, "--as-of")
    principal = acting_as(as_user)
    items = []
    with transaction(get_engine()) as session:
        offset = 0
        while True:
            page = service.list_entities(
                session, principal, list=list_code, as_of=day, limit=500, offset=offset
            )
            items.extend(page.items)
            offset += len(page.items)
            if not page.items or offset >= page.total:
                break
    if format == "json":
        typer.echo(json.dumps([i.model_dump(mode="json") for i in items], indent=1))
        return
    for i in items:
        typer.echo(f"{i.list_code}\t{i.entity_id}\t{i.schema_name}\t{i.caption}")
    typer.echo(f"{len(items)} entities", err=True)
