"""Situation commands: import territory snapshots and fact-checks, read areas, changes and
claims.

What a command's options need is imported here; what it does (the geometry, the
database) inside it, so that ``coalition territory --help`` starts at once.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import typer

from coalition.core.errors import Invalid
from coalition.core.marking import Marking, check_marking

if TYPE_CHECKING:
    from sqlalchemy import Engine

territory_app = typer.Typer(
    help="Control of territory: areas, changes, sources.", no_args_is_help=True
)
claims_app = typer.Typer(help="Claims and their reviews.", no_args_is_help=True)

FORMATS = ("text", "json")


def get_engine() -> Engine:
    from coalition.core import db

    return db.get_engine()


def _day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{option} is YYYY-MM-DD") from None


def _format(value: str) -> str:
    if value not in FORMATS:
        raise Invalid("--format is text or json")
    return value


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def import_territory(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="The GeoJSON file"),
    source: str = typer.Option(..., help="The source's name, e.g. deepstatemap"),
    as_user: str = typer.Option(..., "--as", help="Username importing the snapshots"),
    date: str | None = typer.Option(
        None, "--date", help="Day of a one-day file, YYYY-MM-DD (default: from the file)"
    ),
    method: str = typer.Option("", help="How the source draws control (stated on every snapshot)"),
    marking: Marking = typer.Option(Marking.COALITION, help="Marking of every snapshot"),
    rel_to: str = typer.Option("", help="Members released to, comma-separated (REL_TO)"),
    illustrative: bool = typer.Option(False, help="Flag the snapshots as invented"),
    rejects: Path | None = typer.Option(None, help="Where to write refused features (CSV)"),
) -> None:
    """Import territory snapshots from GeoJSON: one day, dated features, or a gzip history."""
    from coalition.core.cells import csv_writer, neutralise
    from coalition.core.forms import parse_rel_to
    from coalition.imports import service as runs
    from coalition.members.acting import acting_as
    from coalition.situation import ingest
    from coalition.situation.territory import Labels, check_source

    check_source(source)
    day = _day(date, "--date")
    principal = acting_as(as_user)
    if principal.member is None:
        raise Invalid("--as must name a user")
    try:
        codes = parse_rel_to(rel_to)
    except ValueError as exc:
        raise Invalid(f"--rel-to: {exc}") from None
    check_marking(marking, principal.member, codes)
    reject_path = rejects or file.with_name(file.name + ".rejects.csv")
    written: list[IO[str]] = []
    engine = get_engine()
    options = {"source": source, "date": date or "", "method": method, "rel_to": codes}
    recorder = runs.Recorder.begin(
        engine,
        principal,
        capability="territory",
        layout="geojson",
        path=file,
        options=options,
        marking=marking,
        rel_to=codes,
    )
    if recorder.earlier:
        typer.echo(recorder.earlier, err=True)

    shown: list[str] = []

    def reject(where: int, reason: str) -> None:
        recorder.reject(where, reason)
        if len(shown) < 5:
            shown.append(f"{'file' if where == 0 else f'feature {where}'}: {reason}")
        if not written:
            out = reject_path.open("w", encoding="utf-8", newline="")
            written.append(out)
            csv_writer(out).writerow(["feature", "reason"])
        csv_writer(written[0]).writerow([where, neutralise(reason)])

    labels = Labels(
        method=method,
        marking=marking,
        rel_to=codes,
        illustrative=illustrative,
        run_key=recorder.key,
    )
    try:
        with file.open("rb") as binary:
            summary = ingest.import_territory(
                engine, principal, binary, source, labels, day=day, name=file.name, on_reject=reject
            )
    except BaseException as exc:
        recorder.fail(exc)
        raise
    finally:
        for out in written:
            out.close()
    counts = summary.counts()
    if summary.broken:
        recorder.fail(summary.broken, counts, {})
    else:
        recorder.finish(counts, {})
    typer.echo(
        f"read {summary.read}, inserted {summary.inserted}, unchanged {summary.unchanged}, "
        f"rejected {summary.rejected}" + (f" (see {reject_path})" if summary.rejected else "")
    )
    if summary.updated:
        typer.echo(f"replaced {summary.updated}")
    for note in summary.repairs[:20]:
        typer.echo(f"repaired: {note}")
    for reason in shown:
        typer.echo(f"refused {reason}", err=True)
    if summary.broken:
        raise Invalid(summary.broken)
    if not (summary.inserted or summary.updated or summary.unchanged):
        raise Invalid(f"{file.name}: no snapshot could be read from it")


def import_claimreview(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="ClaimReview JSON-LD"),
    as_user: str = typer.Option(..., "--as", help="Username recording the fact-checks"),
) -> None:
    """Import fact-checkers' ClaimReview JSON-LD as claims and their reviews (PUBLIC)."""
    from coalition.core.db import transaction
    from coalition.members.acting import acting_as
    from coalition.situation import service

    if file.stat().st_size > 50_000_000:
        raise Invalid(f"{file.name}: over 50 MB, more than any fact-checker publishes at once")
    try:
        data = json.loads(file.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise Invalid(f"{file.name}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise Invalid(f"{file.name}: not JSON (line {exc.lineno}: {exc.msg})") from None
    principal = acting_as(as_user)
    with transaction(get_engine(), actor=principal.actor) as session:
        found = service.import_claimreviews(session, principal, data)
    typer.echo(f"claims added {found.claims}, reviews added {found.reviews}")
    for problem in found.problems:
        typer.echo(f"not read: {problem}", err=True)
    if not found.read:
        raise Invalid(f"{file.name}: no ClaimReview could be read")


@territory_app.command("sources")
def territory_sources(
    format: str = typer.Option("text", help="text or json"),
    as_user: str | None = typer.Option(None, "--as", help="Reader (default: the public)"),
) -> None:
    """List the territory sources the reader may see, with their first and last days."""
    from coalition.core.db import transaction
    from coalition.members.acting import acting_as
    from coalition.situation import territory

    _format(format)
    principal = acting_as(as_user)
    with transaction(get_engine()) as session:
        found = territory.sources(session, principal)
    if format == "json":
        _print_json([vars(s) for s in found])
        return
    for s in found:
        typer.echo(
            f"{s.source}\t{', '.join(s.layers)}\t{s.snapshots} snapshots\t{s.first} to {s.last}"
        )


@territory_app.command("area")
def territory_area(
    source: str = typer.Option(..., help="The source, e.g. deepstatemap"),
    date: str = typer.Option(..., "--date", help="The day, YYYY-MM-DD"),
    layer: str = typer.Option("held", help="held, contested or claimed"),
    format: str = typer.Option("text", help="text or json"),
    as_user: str | None = typer.Option(None, "--as", help="Reader (default: the public)"),
) -> None:
    """The area a source shows on a day (its latest snapshot on or before it), by region."""
    from coalition.core.db import transaction
    from coalition.members.acting import acting_as
    from coalition.situation import territory
    from coalition.situation.schemas import SnapshotDetail

    _format(format)
    day = _day(date, "--date")
    assert day is not None
    principal = acting_as(as_user)
    with transaction(get_engine()) as session:
        found = SnapshotDetail.detail(territory.snapshot_on(session, principal, source, day, layer))
    if format == "json":
        _print_json(found.model_dump(mode="json"))
        return
    typer.echo(
        f"{found.source} {found.layer} on {found.taken_on}: {found.area_km2:,.1f} km² "
        f"[{found.marking.label}]"
    )
    for region in found.regions:
        typer.echo(f"  {region.code}\t{region.area_km2:,.1f} km²")


@territory_app.command("change")
def territory_change(
    source: str = typer.Option(..., help="The source, e.g. deepstatemap"),
    start: str = typer.Option(..., "--from", help="The earlier day, YYYY-MM-DD"),
    end: str = typer.Option(..., "--to", help="The later day, YYYY-MM-DD"),
    layer: str = typer.Option("held", help="held, contested or claimed"),
    format: str = typer.Option("text", help="text or json"),
    as_user: str | None = typer.Option(None, "--as", help="Reader (default: the public)"),
) -> None:
    """What a source's layer gained and lost between two days, in all and by region."""
    from coalition.core.db import transaction
    from coalition.members.acting import acting_as
    from coalition.situation import service
    from coalition.situation.schemas import ChangeQuery

    _format(format)
    _day(start, "--from"), _day(end, "--to")
    principal = acting_as(as_user)
    try:
        query = ChangeQuery.model_validate(
            {"source": source, "from": start, "to": end, "layer": layer}
        )
    except ValueError as exc:
        raise Invalid(str(exc).splitlines()[-1] if str(exc) else "bad option") from None
    with transaction(get_engine()) as session:
        found = service.change_out(session, principal, query)
    if format == "json":
        _print_json(found.model_dump(mode="json", exclude={"gained", "lost"}))
        return
    typer.echo(
        f"{found.source} {found.layer}: {found.earlier.taken_on} {found.earlier_km2:,.1f} km² -> "
        f"{found.later.taken_on} {found.later_km2:,.1f} km²; gained {found.gained_km2:,.1f} km², "
        f"lost {found.lost_km2:,.1f} km², net {found.net_km2:+,.1f} km²"
    )
    for region in found.regions:
        if region.gained_km2 or region.lost_km2:
            typer.echo(
                f"  {region.code}\t{region.name}\tgained {region.gained_km2:,.1f}\t"
                f"lost {region.lost_km2:,.1f}"
            )


@territory_app.command("series")
def territory_series(
    source: str = typer.Option(..., help="The source, e.g. deepstatemap"),
    layer: str = typer.Option("held", help="held, contested or claimed"),
    since: str | None = typer.Option(None, help="From this day, YYYY-MM-DD"),
    until: str | None = typer.Option(None, help="To this day, YYYY-MM-DD"),
    format: str = typer.Option("text", help="text or json"),
    as_user: str | None = typer.Option(None, "--as", help="Reader (default: the public)"),
) -> None:
    """The area of each of a source's snapshots, oldest first."""
    from coalition.core.db import transaction
    from coalition.members.acting import acting_as
    from coalition.situation import territory

    _format(format)
    principal = acting_as(as_user)
    with transaction(get_engine()) as session:
        points = territory.series(
            session,
            principal,
            source,
            layer,
            since=_day(since, "--since"),
            until=_day(until, "--until"),
        )
    if format == "json":
        _print_json(
            [{"date": p.day, "area_km2": p.area_km2, "snapshot_id": p.snapshot_id} for p in points]
        )
        return
    for p in points:
        typer.echo(f"{p.day}\t{p.area_km2:,.1f} km²")


@claims_app.command("list")
def claims_list(
    kind: str | None = typer.Option(None, help="Only claims of this kind"),
    status: str | None = typer.Option(None, help="unreviewed, disputed, supported or refuted"),
    format: str = typer.Option("text", help="text or json"),
    as_user: str | None = typer.Option(None, "--as", help="Reader (default: the public)"),
) -> None:
    """List the claims the reader may see, newest first, with their status."""
    from coalition.core.db import transaction
    from coalition.members.acting import acting_as
    from coalition.situation import claims
    from coalition.situation.schemas import claim_summary

    _format(format)
    principal = acting_as(as_user)
    with transaction(get_engine()) as session:
        _, rows = claims.list_claims(session, principal, kind=kind, status=status, limit=10_000)
        found = [claim_summary(r.claim, r.status.value, r.reviews) for r in rows]
    if format == "json":
        _print_json([c.model_dump(mode="json") for c in found])
        return
    for c in found:
        typer.echo(f"{c.id}\t{c.claimed_at:%Y-%m-%d}\t{c.status}\t{c.claimant}: {c.summary}")


@claims_app.command("show")
def claims_show(
    claim_id: int = typer.Argument(..., help="The claim's id"),
    format: str = typer.Option("text", help="text or json"),
    as_user: str | None = typer.Option(None, "--as", help="Reader (default: the public)"),
) -> None:
    """One claim with its reviews, evidence and status history."""
    from coalition.core.db import transaction
    from coalition.members.acting import acting_as
    from coalition.situation import service

    _format(format)
    principal = acting_as(as_user)
    with transaction(get_engine()) as session:
        found = service.claim_out(session, principal, claim_id)
    if format == "json":
        _print_json(found.model_dump(mode="json"))
        return
    typer.echo(f"{found.summary} [{found.marking.label}]")
    typer.echo(
        f"claimed by {found.claimant} on {found.claimed_at:%Y-%m-%d %H:%M} UTC: {found.status}"
    )
    for review in found.reviews:
        typer.echo(
            f"  {review.reviewed_at:%Y-%m-%d} {review.reviewer} ({review.reviewer_kind}): "
            f"{review.rating_label}, {review.confidence} confidence"
        )
        for e in review.evidence:
            typer.echo(f"    {e.kind}: {e.source} {e.url}".rstrip())


@claims_app.command("export")
def claims_export(
    claim_id: int = typer.Argument(..., help="The claim's id"),
    base_url: str = typer.Option(
        "http://127.0.0.1:8000", help="Where this site is served (for reviews without a page)"
    ),
    as_user: str | None = typer.Option(None, "--as", help="Reader (default: the public)"),
) -> None:
    """Write the claim's reviews the reader may see as schema.org ClaimReview JSON-LD."""
    from coalition.core.db import transaction
    from coalition.members.acting import acting_as
    from coalition.situation import service

    principal = acting_as(as_user)
    with transaction(get_engine()) as session:
        documents = service.claimreviews(session, principal, claim_id, base_url)
    _print_json(documents)
