"""Taking in a file from the browser or the API: store it, say what it is, preview it,
start its run. Shared by the pages and the API, which only translate."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coalition.core.errors import Invalid
from coalition.core.importing import Importer, Preview, importer_named
from coalition.core.marking import Marking
from coalition.core.principal import Principal
from coalition.core.sniff import HEAD_BYTES, Sniffed, sniff
from coalition.imports import background, jobs, service, upload
from coalition.imports.enums import Imported
from coalition.imports.model import ImportRun

MAX_OPTION = 200  # characters of one option's value


@dataclass(frozen=True)
class Intake:
    """An uploaded file as its preview page and the API describe it."""

    upload: upload.Upload
    importer: Importer
    sniffed: Sniffed
    guessed: str | None  # the layout the file looks to be in, if any
    layout: str | None  # the layout previewed: the one asked for, else the guess
    preview: Preview | None
    earlier: str | None  # an earlier run of the same file, in one line
    refused: str | None  # why the file cannot be read as asked, if it cannot


async def receive(
    principal: Principal,
    importer: str,
    chunks: AsyncIterator[bytes],
    name: str,
    declared: int | None,
) -> upload.Upload:
    """Store an upload for ``principal``'s import with ``importer``, within the limits."""
    background.may_import(principal)
    importer_named(importer)  # refuse an unknown importer before a byte is stored
    directory = background.upload_dir()
    upload.check_declared(directory, declared, background.limits())
    stored = await upload.receive(chunks, directory, name, background.limits())
    upload.keep(directory, stored, principal.username or "")
    return stored


def clean_options(importer: Importer, given: Mapping[str, Any]) -> dict[str, Any]:
    """The options ``importer`` reads, from ``given``; empty ones dropped, others refused."""
    options: dict[str, Any] = {}
    for name, value in given.items():
        if value in (None, "", []):
            continue
        if name not in importer.options:
            raise Invalid(f"{importer.label} take no option {name!r}")
        if isinstance(value, str) and len(value) > MAX_OPTION:
            raise Invalid(f"option {name} is over {MAX_OPTION} characters")
        options[name] = value
    return options


def look(
    session: Session,
    principal: Principal,
    token: str,
    importer: str,
    layout: str | None = None,
    options: Mapping[str, Any] | None = None,
) -> Intake:
    """What upload ``token`` is, and its first rows read in ``layout`` (or the guess)."""
    background.may_import(principal)
    offered = importer_named(importer)
    stored = upload.find(background.upload_dir(), token, principal.username or "")
    with stored.path.open("rb") as f:
        sniffed = sniff(f.read(HEAD_BYTES))
    guessed = offered.guess(sniffed)
    chosen = layout or guessed
    before = service.find_by_digest(session, principal, stored.sha256, Imported(offered.name))
    earlier = service.seen_before(before) if before is not None else None
    refused: str | None
    if chosen is None:
        refused = (
            f"the file is {sniffed.describe()}; {offered.label.lower()} are read as "
            f"{', '.join(offered.layouts)}: choose one if the file is one of them"
        )
        return Intake(stored, offered, sniffed, guessed, None, None, earlier, refused)
    if chosen not in offered.layouts:
        raise Invalid(f"{offered.label} are read as {', '.join(offered.layouts)}, not {chosen!r}")
    try:
        seen = offered.preview(
            session, principal, stored.path, chosen, clean_options(offered, options or {})
        )
    except Invalid as exc:
        return Intake(stored, offered, sniffed, guessed, chosen, None, earlier, exc.detail)
    refused = None
    if seen.missing:
        refused = f"the file has no column for {', '.join(seen.missing)}, which {chosen} needs"
    elif seen.read and not seen.rows:
        refused = f"none of the first {seen.read} rows can be read as {chosen}"
    return Intake(stored, offered, sniffed, guessed, chosen, seen, earlier, refused)


def start(
    engine: Engine,
    session: Session,
    principal: Principal,
    token: str,
    *,
    importer: str,
    layout: str,
    options: Mapping[str, Any],
    marking: Marking | None,
    rel_to: Iterable[str] = (),
) -> ImportRun:
    """Queue the run of upload ``token``; the caller commits, then :func:`dispatch`."""
    offered = importer_named(importer)
    stored = upload.find(background.upload_dir(), token, principal.username or "")
    return background.queue(
        session,
        principal,
        importer=offered.name,
        layout=layout,
        stored=stored,
        options=clean_options(offered, options),
        marking=marking or offered.marking,
        rel_to=rel_to,
    )


def dispatch(engine: Engine, key: str) -> None:
    """Hand a committed queued run to the worker."""
    jobs.enqueue(engine, key)
