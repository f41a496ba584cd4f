"""Ceasefire commands: import reports, export incidents, write the daily report.

What a command's options need is imported here; what it does (the importer, polars, the
database) inside it, so that ``coalition import reports --help`` starts at once.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

import typer

from coalition.ceasefire import layouts
from coalition.ceasefire.fields import DateOrder
from coalition.core.errors import Invalid
from coalition.core.marking import Marking, check_marking

if TYPE_CHECKING:
    from sqlalchemy import Engine

ceasefire_app = typer.Typer(help="Ceasefire monitoring.", no_args_is_help=True)


def get_engine() -> Engine:
    """The configured database's engine, the database code imported only when asked."""
    from coalition.core import db

    return db.get_engine()


def import_reports(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="The file to load"),
    format: layouts.Layout = typer.Option(layouts.Layout.CSV, help="Layout of the file"),
    as_user: str = typer.Option(..., "--as", help="Username the reports are filed by"),
    marking: Marking = typer.Option(Marking.COALITION, help="Marking of every report"),
    rel_to: str = typer.Option("", help="Members released to, comma-separated (REL_TO)"),
    rejects: Path | None = typer.Option(None, help="Where to write rejected lines (CSV)"),
    illustrative: bool = typer.Option(False, help="Flag the reports as invented"),
    date_order: DateOrder | None = typer.Option(
        None,
        "--date-order",
        help="How numeric dates such as 03/04/2025 are written: dmy or mdy (default: "
        "as the file's unambiguous dates show; if they do not, such dates are rejected)",
    ),
) -> None:
    """Import ceasefire reports: validated, de-duplicated, atomic per batch."""
    from rich.progress import BarColumn, Progress, TextColumn

    from coalition.ceasefire import importer, ingest
    from coalition.core.cells import csv_writer, neutralise
    from coalition.core.forms import parse_rel_to
    from coalition.imports import service as runs
    from coalition.members.acting import acting_as

    principal = acting_as(as_user)
    if principal.member is None:
        raise Invalid("--as must name a user")
    try:
        codes = parse_rel_to(rel_to)
    except ValueError as exc:
        raise Invalid(f"--rel-to: {exc}") from None
    release = check_marking(marking, principal.member, codes)
    stamp = ingest.Stamp(principal.member, marking.value, release, illustrative=illustrative)
    reject_path = rejects or file.with_name(file.name + ".rejects.csv")
    written: list[IO[str]] = []  # the rejects file, opened at the first reject only
    engine = get_engine()
    options = {"date_order": date_order.value if date_order else None, "rel_to": codes}
    recorder = runs.Recorder.begin(
        engine,
        principal,
        capability="reports",
        layout=format.value,
        path=file,
        options={**options, "illustrative": illustrative},
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
                TextColumn("{task.completed:,} records read"),
                transient=True,
                disable=not sys.stderr.isatty(),
            ) as progress,
        ):
            task = progress.add_task("import", total=None)
            summary = importer.import_file(
                engine,
                principal,
                format,
                binary,
                stamp,
                on_reject=reject,
                on_progress=lambda n: progress.update(task, completed=n),
                date_order=date_order,
                run=recorder.key,
            )
    except BaseException as exc:
        recorder.fail(exc)
        raise
    finally:
        for out in written:
            out.close()
    counts = {
        "read": summary.read,
        "inserted": summary.inserted,
        "unchanged": summary.unchanged,
        "rejected": summary.rejected,
    }
    found = {"date_order": summary.date_order.value if summary.date_order else None}
    broken = (
        f"{file.name} breaks off at {summary.broken}; the records before it were "
        "imported and the rest were not read: repair the file and import it again "
        "(records already stored are skipped)"
    )
    if summary.broken is not None:
        recorder.fail(broken, counts, found)
    else:
        recorder.finish(counts, found)
    typer.echo(
        f"read {summary.read}, inserted {summary.inserted}, unchanged {summary.unchanged}, "
        f"rejected {summary.rejected}" + (f" (see {reject_path})" if summary.rejected else "")
    )
    if summary.not_violations:
        typer.echo(
            f"not stored: {summary.not_violations} events that are no ceasefire violation "
            "(protests, riots, agreements and other strategic developments)"
        )
    if summary.date_order is not None and date_order is None:
        first = "day" if summary.date_order is DateOrder.DMY else "month"
        typer.echo(f"numeric dates read {first} first, as the file's unambiguous dates show")
    if summary.broken is not None:
        raise Invalid(broken)


def export_incidents(
    out: Path = typer.Option(..., "--out", help="File to write"),
    format: str = typer.Option("csv", help="csv or geojson"),
    as_user: str | None = typer.Option(None, "--as", help="Reader (default: the public)"),
) -> None:
    """Write the incidents the reader may see."""
    from coalition.ceasefire import exports
    from coalition.core.db import transaction
    from coalition.members.acting import acting_as

    if format not in ("csv", "geojson"):
        raise Invalid("--format is csv or geojson")
    principal = acting_as(as_user)
    with transaction(get_engine()) as session, out.open("w", encoding="utf-8", newline="") as f:
        n = (exports.write_csv if format == "csv" else exports.write_geojson)(session, principal, f)
    typer.echo(f"wrote {n} incidents to {out}")


@ceasefire_app.command("report")
def ceasefire_report(
    date: str = typer.Option(..., help="Day of the report, YYYY-MM-DD"),
    out: Path = typer.Option(Path("."), "--out", help="Directory to write into"),
    as_user: str | None = typer.Option(None, "--as", help="Reader (default: the public)"),
) -> None:
    """Write the daily report as HTML and Markdown, from what the reader may see."""
    from coalition.ceasefire import daily
    from coalition.core.db import transaction
    from coalition.members.acting import acting_as

    try:
        day = dt.date.fromisoformat(date)
    except ValueError as exc:
        raise Invalid("--date is YYYY-MM-DD") from exc
    principal = acting_as(as_user)
    with transaction(get_engine()) as session:
        report = daily.build(session, principal, day)
    out.mkdir(parents=True, exist_ok=True)
    md = out / f"ceasefire-report-{day.isoformat()}.md"
    html = out / f"ceasefire-report-{day.isoformat()}.html"
    md.write_text(daily.markdown(report), encoding="utf-8")
    html.write_text(daily.html(report), encoding="utf-8")
    typer.echo(f"wrote {md} and {html}")


@ceasefire_app.command("partitions")
def ceasefire_partitions(
    ahead: int = typer.Option(3, min=0, max=120, help="Months to create ahead of the current one"),
    dry_run: bool = typer.Option(False, "--dry-run", help="List them; create nothing"),
) -> None:
    """Create the reports' missing month partitions on PostgreSQL and list them all.

    Run it monthly (from cron or a timer), and after importing a history: reports of
    months without a partition wait in the default one and move to their own here.
    """
    from coalition.ceasefire import partitions

    engine = get_engine()
    with engine.begin() as conn:
        if not partitions.is_partitioned(conn):
            typer.echo(f"{engine.dialect.name}: the reports are not partitioned")
            return
        created = [] if dry_run else partitions.ensure(conn, dt.datetime.now(dt.UTC).date(), ahead)
        held = partitions.existing(conn)
    for p in held:
        span = f"{p.start} to {p.end}" if p.start else "default"
        mark = " (created)" if p.name in created else ""
        typer.echo(f"{p.name}\t{span}\t{p.reports} reports{mark}")
    typer.echo(f"{len(created)} partitions created, {len(held)} in all")
