"""Briefing commands: build the daily report or a summit pack, and keep editions.

What a command's options need is imported here; what it does (the assemblers, the
database, WeasyPrint) inside it, so that ``coalition briefing --help`` starts at once.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from coalition.core.errors import Invalid

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from coalition.briefings.document import Document
    from coalition.briefings.written import Written

briefing_app = typer.Typer(
    help="The daily report and the summit pack, as HTML or PDF, for one reader.",
    no_args_is_help=True,
)

FORMATS = ("html", "pdf", "json")
AS_HELP = "Reader (default: the public edition)"


def get_engine() -> Engine:
    from coalition.core import db

    return db.get_engine()


def _format(value: str) -> str:
    if value not in FORMATS:
        raise Invalid("--format is html, pdf or json")
    return value


def _write(data: bytes, output: Path | None) -> None:
    """The document to ``output``, or to standard output."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        output.write_bytes(data)
    except OSError as error:
        raise Invalid(f"cannot write {output}: {error.strerror}") from None
    typer.echo(f"wrote {output} ({len(data):,} bytes)", err=True)


def _emit(document: Document, digest: str, format: str, status: str, output: Path | None) -> None:
    from coalition.briefings import render
    from coalition.briefings.document import to_json

    status = "issued" if status == "issued" else "draft"  # in review or built now: a draft
    if format == "pdf":
        data = render.pdf(document, status=status, inputs_digest=digest)
    elif format == "html":
        data = render.html(document, status=status, inputs_digest=digest).encode()
    else:
        body = {
            "marking": document.marking.label,
            "inputs_digest": digest,
            "document": to_json(document),
        }
        data = (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode()
    _write(data, output)


def _build(kind: str, about: str, as_user: str | None, format: str, output: Path | None) -> None:
    from coalition.briefings import service
    from coalition.core.db import transaction
    from coalition.members.acting import acting_as

    _format(format)
    wanted = service.subject(kind, about)
    principal = acting_as(as_user)
    with transaction(get_engine()) as session:
        built = service.build(session, principal, kind, wanted)
    _emit(built.document, built.digest, format, "draft", output)


@briefing_app.command("daily")
def daily(
    date: str = typer.Option(..., "--date", help="The day reported on (YYYY-MM-DD)"),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
    format: str = typer.Option("pdf", help="html, pdf or json"),
    output: Path | None = typer.Option(None, help="Write here instead of standard output"),
) -> None:
    """Build the daily report for a day, from what the reader may see."""
    _build("daily", date, as_user, format, output)


@briefing_app.command("summit")
def summit(
    meeting: int = typer.Option(..., "--meeting", help="The meeting's id"),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
    format: str = typer.Option("pdf", help="html, pdf or json"),
    output: Path | None = typer.Option(None, help="Write here instead of standard output"),
) -> None:
    """Build the summit pack for a meeting, from what the reader may see."""
    _build("summit", str(meeting), as_user, format, output)


@briefing_app.command("editions")
def editions(
    kind: str | None = typer.Option(None, help="daily or summit"),
    as_user: str | None = typer.Option(None, "--as", help="Reader (default: the public)"),
) -> None:
    """List the editions the reader may see, newest first."""
    from coalition.briefings import service
    from coalition.core.db import transaction
    from coalition.members.acting import acting_as

    principal = acting_as(as_user)
    with transaction(get_engine()) as session:
        for e in service.list_editions(session, principal, kind=kind):
            typer.echo(
                f"{e.id}\t{e.kind}\t{e.number}\t{e.status}\t{e.reader}\t"
                f"{e.marking_label}\t{e.title}"
            )


@briefing_app.command("show")
def show(
    edition_id: int = typer.Argument(..., help="The edition's id"),
    as_user: str | None = typer.Option(None, "--as", help="Reader (default: the public)"),
    format: str = typer.Option("pdf", help="html, pdf or json"),
    output: Path | None = typer.Option(None, help="Write here instead of standard output"),
) -> None:
    """Print a stored edition as it was drafted or issued."""
    from coalition.briefings import service
    from coalition.core.db import transaction
    from coalition.members.acting import acting_as

    _format(format)
    principal = acting_as(as_user)
    with transaction(get_engine()) as session:
        edition = service.get_edition(session, principal, edition_id)
        document, digest, status = (
            service.document_of(edition),
            edition.inputs_digest,
            edition.status,
        )
    _emit(document, digest, format, status, output)


@briefing_app.command("draft")
def draft(
    kind: str = typer.Argument(..., help="daily or summit"),
    about: str = typer.Argument(..., help="The day (YYYY-MM-DD) or the meeting's id"),
    as_user: str = typer.Option(..., "--as", help="The analyst drafting"),
    public: bool = typer.Option(False, help="Draft the public edition instead of your own"),
    judgements: Path | None = typer.Option(
        None, help="A JSON file: a list of {text, confidence} judgements"
    ),
) -> None:
    """Draft an edition of a briefing, with the analyst's judgements."""
    from coalition.briefings import service
    from coalition.core.db import transaction
    from coalition.members.acting import acting_as

    written = _judgements(judgements)
    principal = acting_as(as_user)
    with transaction(get_engine(), actor=principal.actor) as session:
        edition = service.draft(session, principal, kind, about, public=public, judgements=written)
        typer.echo(f"drafted edition {edition.id}: {edition.title} [{edition.marking_label}]")


def _judgements(path: Path | None) -> list[Written]:
    from coalition.briefings.written import Written

    if path is None:
        return []
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Invalid(f"{path}: not a JSON list of judgements ({error})") from None
    if not isinstance(loaded, list) or not all(
        isinstance(j, dict)
        and isinstance(j.get("text"), str)
        and isinstance(j.get("confidence"), str)
        for j in loaded
    ):
        raise Invalid(f'{path}: a JSON list of {{"text", "confidence"}} objects')
    return [Written(j["text"], j["confidence"]) for j in loaded]


def _step(step: str, edition_id: int, as_user: str) -> None:
    from coalition.briefings import service
    from coalition.core.db import transaction
    from coalition.members.acting import acting_as

    principal = acting_as(as_user)
    with transaction(get_engine(), actor=principal.actor) as session:
        edition = service.get_edition(session, principal, edition_id)
        act = {"review": service.submit, "issue": service.issue, "return": service.send_back}
        done = act[step](session, principal, edition_id, edition.version)
        typer.echo(f"edition {done.id} is {done.status}")


@briefing_app.command("review")
def review(
    edition_id: int = typer.Argument(..., help="The edition's id"),
    as_user: str = typer.Option(..., "--as", help="The analyst"),
) -> None:
    """Send a draft to review, rebuilt from the records as they are now."""
    _step("review", edition_id, as_user)


@briefing_app.command("issue")
def issue(
    edition_id: int = typer.Argument(..., help="The edition's id"),
    as_user: str = typer.Option(..., "--as", help="The analyst"),
) -> None:
    """Issue a reviewed edition, if what it rests on is unchanged since review."""
    _step("issue", edition_id, as_user)
