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
        help="ftm, ofac-csv, ofac-xml, eu-fsf, uk, ch-seco, ca-sema or au-dfat "
        "(default: recognised from the file)",
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
    broken = summary.broken_message(file.name)
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


def _echo_json(value: object) -> None:
    typer.echo(json.dumps(value, indent=1, default=str))


def _format(value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise Invalid(f"--format is {' or '.join(allowed)}")
    return value


@sanctions_app.command("lists")
def sanctions_lists(
    format: str = typer.Option("text", help="text or json"),
    as_user: str | None = typer.Option(None, "--as", help="Reader (default: the public)"),
) -> None:
    """List each list's snapshots with counts by program and by kind of target."""
    from coalition.core.db import transaction
    from coalition.members.acting import acting_as
    from coalition.sanctions import alignment, service

    _format(format, ("text", "json"))
    principal = acting_as(as_user)
    with transaction(get_engine()) as session:
        lists = service.list_lists(session, principal)
        snapshots = alignment.snapshot_counts(session, principal)
    if format == "json":
        _echo_json(
            [{**x.model_dump(mode="json"), "snapshots": snapshots.get(x.code, [])} for x in lists]
        )
        return
    for x in lists:
        typer.echo(f"{x.code}\t{x.name}\tlisted now {x.listed}\t[{x.marking.label}]")
        for snap in snapshots.get(x.code, []):
            programs = ", ".join(f"{p} {n}" for p, n in snap["by_program"].items())
            kinds = ", ".join(f"{k} {n}" for k, n in snap["by_kind"].items())
            typer.echo(
                f"  {snap['taken_on']}  sha256 {snap['file_sha256'][:12]}  "
                f"targets {snap['targets']}  delisted {snap['delisted']}"
            )
            typer.echo(f"    by program: {programs or '-'}")
            typer.echo(f"    by kind: {kinds or '-'}")


@sanctions_app.command("gap")
def sanctions_gap(
    a: str = typer.Argument(..., help="A member's code, a list's code or COALITION"),
    b: str = typer.Argument(..., help="A member's code, a list's code or COALITION"),
    theme: str | None = typer.Option(None, help="Only A's designations of this theme"),
    kind: str | None = typer.Option(None, help="vessel, bank, entity, aircraft or person"),
    as_of: str | None = typer.Option(None, "--as-of", help="The day, YYYY-MM-DD (default: today)"),
    since: str | None = typer.Option(
        None, help="Mark the targets that entered the gap after this day, YYYY-MM-DD"
    ),
    format: str = typer.Option("text", help="text, csv or json"),
    as_user: str | None = typer.Option(None, "--as", help="Reader (default: the public)"),
) -> None:
    """Print the targets A lists and B does not, ranked, with their evidence."""
    from coalition.core import exports
    from coalition.core.db import transaction
    from coalition.core.marking import overall, shown, watch_shown
    from coalition.members.acting import acting_as
    from coalition.sanctions import alignment
    from coalition.sanctions.routes import GapLine, gap_lines, gap_out

    _format(format, ("text", "csv", "json"))
    principal = acting_as(as_user)
    watch_shown()
    with transaction(get_engine()) as session:
        found = alignment.gap(
            session,
            principal,
            a,
            b,
            theme=theme,
            kind=kind,
            as_of=_day(as_of, "--as-of"),
            since=_day(since, "--since"),
        )
    label = overall(shown()).label
    if format == "json":
        _echo_json({"marking": label, **gap_out(found).model_dump(mode="json")})
        return
    if format == "csv":
        body = exports.export(gap_lines(found), GapLine, "csv", "rows")
        sys.stdout.write(body.decode("utf-8"))
        return
    typer.echo(f"[{label}] listed by {a}, not by {b}, as of {found.as_of}: {len(found.rows)}")
    for rank, row in enumerate(found.rows, start=1):
        flags = (" UN" if row.un_listed else "") + (" NEW" if row.opened else "")
        typer.echo(
            f"{rank:>4}. {row.caption} ({row.kind}){flags}  listed by "
            f"{', '.join(row.members) or '-'} since {row.first_listed}"
        )
        for x in row.listings:
            typer.echo(
                f"        {x.list_code} {x.authority_id or '-'} {x.program or '-'} "
                f"{x.listing_date or x.first_seen}"
            )


@sanctions_app.command("matrix")
def sanctions_matrix(
    as_of: str | None = typer.Option(None, "--as-of", help="The day, YYYY-MM-DD (default: today)"),
    format: str = typer.Option("text", help="text, csv or json"),
    as_user: str | None = typer.Option(None, "--as", help="Reader (default: the public)"),
) -> None:
    """Print how many targets each member's lists designate, by theme."""
    from coalition.core.cells import csv_writer, marking_line
    from coalition.core.db import transaction
    from coalition.core.marking import overall, shown, watch_shown
    from coalition.members.acting import acting_as
    from coalition.sanctions import alignment
    from coalition.sanctions.routes import matrix_out

    _format(format, ("text", "csv", "json"))
    principal = acting_as(as_user)
    watch_shown()
    with transaction(get_engine()) as session:
        found = alignment.matrix(session, principal, as_of=_day(as_of, "--as-of"))
    label = overall(shown()).label
    if format == "json":
        _echo_json({"marking": label, **matrix_out(found).model_dump(mode="json")})
        return
    header = ["party", *found.themes, "total"]
    rows = [[p, *(c[t] for t in found.themes), total] for p, c, total in found.rows]
    if format == "csv":
        sys.stdout.write(marking_line(label))
        writer = csv_writer(sys.stdout)
        writer.writerow(header)
        writer.writerows(rows)
        return
    typer.echo(f"[{label}] as of {found.as_of}")
    typer.echo("\t".join(header))
    for row in rows:
        typer.echo("\t".join(str(v) for v in row))


@sanctions_app.command("apply")
def sanctions_apply(
    member: str = typer.Argument(..., help="The member's code, e.g. FRA"),
    list_code: str = typer.Argument(..., help="The list's code, e.g. eu_fsf"),
    since: str = typer.Option(..., help="From this day, YYYY-MM-DD"),
    until: str | None = typer.Option(None, help="Until this day, YYYY-MM-DD"),
    note: str = typer.Option("", help="A note, e.g. the act that made it so"),
    as_user: str = typer.Option(..., "--as", help="Username recording it"),
) -> None:
    """Record that a member applies a list from a day."""
    from coalition.core.db import transaction
    from coalition.members.acting import acting_as
    from coalition.sanctions import alignment

    principal = acting_as(as_user)
    start = _day(since, "--since")
    assert start is not None
    with transaction(get_engine(), actor=principal.actor) as session:
        row = alignment.apply_list(
            session, principal, member, list_code, start, until=_day(until, "--until"), note=note
        )
        typer.echo(f"{row.member_code} applies {row.list_code} from {row.since}")


@sanctions_app.command("resolve")
def sanctions_resolve(
    list_codes: list[str] = typer.Option([], "--list", help="Only these lists (repeat)"),
    as_user: str = typer.Option(..., "--as", help="Username running the resolution"),
) -> None:
    """Find candidate pairs across lists and judge strong-identifier matches by rule."""
    from coalition.core.db import transaction
    from coalition.members.acting import acting_as
    from coalition.sanctions import resolution, summary

    principal = acting_as(as_user)
    engine = get_engine()
    with transaction(engine, actor=principal.actor) as session:
        found = resolution.find_candidates(session, principal, list_codes)
    summary.settle(engine)
    typer.echo(
        f"targets {found.targets}, candidates {found.candidates}, judged by rule "
        f"{found.judged_by_rule}, refused {found.refused}"
    )


JUDGEMENTS = {"same": "positive", "different": "negative", "unsure": "unsure"}


@sanctions_app.command("judge")
def sanctions_judge(
    left: str = typer.Argument(..., help="A target, list_code:entity_id"),
    right: str = typer.Argument(..., help="Another target, list_code:entity_id"),
    judgement: str = typer.Argument(..., help="same, different or unsure"),
    note: str = typer.Option("", help="Why"),
    marking: Marking = typer.Option(Marking.COALITION, help="Marking of the judgement"),
    rel_to: str = typer.Option("", help="Members released to, comma-separated (REL_TO)"),
    as_user: str = typer.Option(..., "--as", help="Username judging"),
) -> None:
    """Judge whether two targets are the same."""
    from coalition.core.db import transaction
    from coalition.core.forms import parse_rel_to
    from coalition.members.acting import acting_as
    from coalition.sanctions import resolution
    from coalition.sanctions.clusters import Judgement

    if judgement not in JUDGEMENTS:
        raise Invalid("judgement is same, different or unsure")
    try:
        codes = parse_rel_to(rel_to)
    except ValueError as exc:
        raise Invalid(f"--rel-to: {exc}") from None
    principal = acting_as(as_user)
    with transaction(get_engine(), actor=principal.actor) as session:
        row = resolution.judge(
            session,
            principal,
            left,
            right,
            Judgement(JUDGEMENTS[judgement]),
            note=note,
            marking=marking,
            rel_to=codes,
        )
        typer.echo(f"{row.left_ref} and {row.right_ref}: {judgement}, by {row.decided_by}")


@sanctions_app.command("export")
def sanctions_export(
    format: str = typer.Option("ftm", help="ftm (entities, JSON lines) or csv (designations)"),
    list_code: str | None = typer.Option(None, "--list", help="Only this list"),
    as_of: str | None = typer.Option(None, "--as-of", help="Listed on this day (default: now)"),
    as_user: str | None = typer.Option(None, "--as", help="Reader (default: the public)"),
) -> None:
    """Write the entities or designations the reader may see, listed on a day."""
    from coalition.core.db import transaction
    from coalition.members.acting import acting_as
    from coalition.sanctions import exports

    _format(format, ("ftm", "csv"))
    principal = acting_as(as_user)
    with transaction(get_engine()) as session:
        write = exports.write_ftm if format == "ftm" else exports.write_csv
        n = write(session, principal, sys.stdout, list_code, _day(as_of, "--as-of"))
    typer.echo(f"{n} written", err=True)
