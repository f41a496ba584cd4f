"""Import runs: recorded as an import starts and ends, read as markings allow.

A run is written in short transactions of its own (:func:`start_run`, then
:func:`finish_run` or :func:`fail_run`), apart from the batches the importer writes, so
the record of an import outlives the import failing. :class:`Recorder` is what a command
holds while its importer runs: it collects the rejects (up to
:data:`~coalition.imports.enums.MAX_STORED_REJECTS`, counting the rest) and ends the run.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, false, func, select
from sqlalchemy.orm import Session

from coalition.core.db import transaction, utcnow
from coalition.core.errors import CoalitionError, Conflict, NotFound
from coalition.core.importing import Cancelled
from coalition.core.listing import Listing, ListQuery
from coalition.core.marking import Marking, note_shown
from coalition.core.principal import Principal
from coalition.core.schemas import Page
from coalition.core.visibility import visible_select
from coalition.imports.enums import MAX_STORED_REJECTS, Imported, RunState
from coalition.imports.model import ImportReject, ImportRun
from coalition.imports.schemas import RejectPublic, RunCounts, RunPublic, RunSummary
from coalition.members.service import visible_codes

CHUNK = 1 << 20  # bytes read at a time while a file is hashed
MAX_ERROR = 2_000  # characters of an error kept on the run
MAX_COLUMN = 120


# --- the wire shapes --------------------------------------------------------------------


def to_summary(run: ImportRun) -> RunSummary:
    return RunSummary.of(
        run,
        id=run.id,
        key=run.key,
        capability=Imported(run.capability),
        layout=run.layout,
        file_name=run.file_name,
        file_size=run.file_size,
        state=RunState(run.state),
        started_by=run.started_by,
        started_at=run.started_at,
        ended_at=run.ended_at,
        read=run.read,
        inserted=run.inserted,
        updated=run.updated,
        unchanged=run.unchanged,
        rejected=run.rejected,
    )


def to_public(session: Session, run: ImportRun) -> RunPublic:
    return RunPublic(
        **to_summary(run).model_dump(),
        file_sha256=run.file_sha256,
        options=dict(run.options or {}),
        error=run.error,
        rejects_stored=_reject_count(session, run),
        rejects_dropped=run.rejects_dropped,
    )


def _reject_count(session: Session, run: ImportRun) -> int:
    return int(
        session.scalar(
            select(func.count()).select_from(ImportReject).where(ImportReject.run_id == run.id)
        )
        or 0
    )


# --- reading ----------------------------------------------------------------------------

RUNS = Listing(
    model=ImportRun,
    sorts={
        "started_at": ImportRun.started_at,
        "file_name": ImportRun.file_name,
        "capability": ImportRun.capability,
        "layout": ImportRun.layout,
        "state": ImportRun.state,
        "read": ImportRun.read,
        "inserted": ImportRun.inserted,
        "rejected": ImportRun.rejected,
    },
    default=[ImportRun.started_at.desc()],
    searched=(ImportRun.file_name, ImportRun.key, ImportRun.started_by),
    filters={
        "capability": lambda capability: ImportRun.capability == capability.value,
        "member": lambda code: ImportRun.owner_code == code,
        "layout": lambda layout: ImportRun.layout == layout,
        "state": lambda state: ImportRun.state == state.value,
    },
)


def list_runs(
    session: Session,
    principal: Principal,
    *,
    capability: Imported | None = None,
    member: str | None = None,
    layout: str | None = None,
    state: RunState | None = None,
    limit: int = 100,
    offset: int = 0,
    sort: str | None = None,
    q: str | None = None,
) -> Page[RunSummary]:
    """The runs the reader may see, latest first, narrowed by every filter given."""
    query = visible_select(principal, ImportRun)
    if member is not None and member not in visible_codes(session, principal):
        # A member the reader may not see made no run the reader is told of.
        query = query.where(false())
    rows = RUNS.fetch(
        session,
        query,
        ListQuery(limit, offset, sort, q),
        capability=capability,
        member=member,
        layout=layout,
        state=state,
    )
    return rows.page(to_summary)


def get_run(session: Session, principal: Principal, key: str) -> ImportRun:
    """The run ``key`` if the reader may see it; a hidden run is as missing as none."""
    run = session.scalars(visible_select(principal, ImportRun).where(ImportRun.key == key)).first()
    if run is None:
        raise NotFound(f"no import run {key}")
    return run


REJECTS = Listing(
    model=ImportReject,
    sorts={"line": ImportReject.line, "column": ImportReject.column, "reason": ImportReject.reason},
    default=[ImportReject.line.asc()],
    searched=(ImportReject.reason, ImportReject.column),
)


def list_rejects(
    session: Session,
    principal: Principal,
    key: str,
    *,
    limit: int = 100,
    offset: int = 0,
    sort: str | None = None,
    q: str | None = None,
) -> Page[RejectPublic]:
    """The rows run ``key`` refused, by line; ``q`` finds text in the reason or column."""
    run = get_run(session, principal, key)
    # The rejects say what the run's file held: the page carries the run's marking.
    note_shown(Marking(run.marking), run.owner_code, run.rel_to)
    query = select(ImportReject).where(ImportReject.run_id == run.id)
    rows = REJECTS.fetch(session, query, ListQuery(limit, offset, sort, q))
    return rows.page(lambda r: RejectPublic(line=r.line, column=r.column, reason=r.reason))


def find_by_digest(
    session: Session, principal: Principal, sha256: str, capability: Imported
) -> ImportRun | None:
    """The latest run the reader may see that imported a file with this digest."""
    query = (
        visible_select(principal, ImportRun)
        .where(ImportRun.file_sha256 == sha256, ImportRun.capability == capability.value)
        .order_by(ImportRun.started_at.desc(), ImportRun.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def seen_before(run: ImportRun) -> str:
    """What a reader is told when a file was imported before, in one line."""
    when = run.started_at.strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"this file was imported on {when} as run {run.key} ({run.state}): "
        f"{run.inserted} inserted, {run.updated} updated, {run.rejected} rejected"
    )


# --- writing ----------------------------------------------------------------------------


def file_digest(path: Path) -> tuple[int, str]:
    """The size in bytes and SHA-256 of the file at ``path``, read a chunk at a time."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as binary:
        while chunk := binary.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


@dataclass(frozen=True)
class RunFile:
    """The file a run imports, as the run records it."""

    name: str
    size: int
    sha256: str

    @classmethod
    def at(cls, path: Path) -> RunFile:
        size, sha256 = file_digest(path)
        return cls(path.name[:300], size, sha256)


def start_run(
    session: Session,
    principal: Principal,
    *,
    key: str,
    capability: Imported,
    layout: str,
    file: RunFile,
    options: Mapping[str, Any],
    marking: Marking,
    rel_to: Iterable[str] = (),
) -> ImportRun:
    """Record that ``principal`` starts importing ``file``: a running run of their member."""
    run = ImportRun(
        key=key,
        capability=capability.value,
        layout=layout,
        file_name=file.name,
        file_size=file.size,
        file_sha256=file.sha256,
        options=dict(options),
        started_by=principal.username or principal.actor,
        started_at=utcnow(),
        state=RunState.RUNNING.value,
    )
    run.mark(session, principal, marking, rel_to)
    session.add(run)
    session.flush()
    return run


def _own_run(session: Session, principal: Principal, key: str) -> ImportRun:
    run = get_run(session, principal, key)
    if RunState(run.state).ended:
        raise Conflict(f"import run {key} has already ended")
    return run


def _end(
    session: Session,
    principal: Principal,
    key: str,
    state: RunState,
    counts: RunCounts,
    rejects: Iterable[tuple[int, str, str]],
    *,
    dropped: int = 0,
    error: str = "",
    options: Mapping[str, Any] | None = None,
) -> ImportRun:
    run = _own_run(session, principal, key)
    run.state = state.value
    run.ended_at = utcnow()
    run.read, run.inserted, run.updated = counts.read, counts.inserted, counts.updated
    run.unchanged, run.rejected = counts.unchanged, counts.rejected
    run.rejects_dropped = dropped
    run.error = error[:MAX_ERROR]
    if options:
        run.options = {**(run.options or {}), **options}
    session.add_all(
        ImportReject(run_id=run.id, line=line, column=column[:MAX_COLUMN], reason=reason)
        for line, column, reason in rejects
    )
    session.flush()
    return run


def finish_run(
    session: Session,
    principal: Principal,
    key: str,
    counts: RunCounts,
    rejects: Iterable[tuple[int, str, str]] = (),
    *,
    dropped: int = 0,
    options: Mapping[str, Any] | None = None,
) -> ImportRun:
    """Record that run ``key`` is done, with its counts and the rows it refused."""
    return _end(
        session, principal, key, RunState.DONE, counts, rejects, dropped=dropped, options=options
    )


def fail_run(
    session: Session,
    principal: Principal,
    key: str,
    error: str,
    counts: RunCounts,
    rejects: Iterable[tuple[int, str, str]] = (),
    *,
    dropped: int = 0,
    cancelled: bool = False,
    options: Mapping[str, Any] | None = None,
) -> ImportRun:
    """Record that run ``key`` failed (or was cancelled), why, and what it did before."""
    state = RunState.CANCELLED if cancelled else RunState.FAILED
    return _end(
        session,
        principal,
        key,
        state,
        counts,
        rejects,
        dropped=dropped,
        error=error,
        options=options,
    )


def describe_error(exc: BaseException) -> str:
    """An exception as a run records it: a domain error's detail, else its kind and text."""
    if isinstance(exc, CoalitionError):
        return exc.detail
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@dataclass
class Recorder:
    """A run as a command holds it while its importer works, each step its own transaction."""

    engine: Engine
    principal: Principal
    key: str
    earlier: str | None = None  # what was imported from the same file before, if anything
    rejects: list[tuple[int, str, str]] = field(default_factory=list)
    dropped: int = 0

    @classmethod
    def begin(
        cls,
        engine: Engine,
        principal: Principal,
        *,
        capability: Imported | str,
        layout: str,
        path: Path,
        options: Mapping[str, Any],
        marking: Marking,
        rel_to: Iterable[str] = (),
    ) -> Recorder:
        """Hash the file, look for an earlier run of it, and record a running run."""
        capability = Imported(capability)
        file = RunFile.at(path)
        key = secrets.token_hex(8)
        with transaction(engine, actor=principal.actor) as session:
            before = find_by_digest(session, principal, file.sha256, capability)
            earlier = seen_before(before) if before is not None else None
            start_run(
                session,
                principal,
                key=key,
                capability=capability,
                layout=layout,
                file=file,
                options=options,
                marking=marking,
                rel_to=rel_to,
            )
        return cls(engine, principal, key, earlier)

    @property
    def collected(self) -> int:
        """The rejects reported so far, kept or not."""
        return len(self.rejects) + self.dropped

    def reject(self, line: int, reason: str, column: str = "") -> None:
        if len(self.rejects) < MAX_STORED_REJECTS:
            self.rejects.append((line, column, reason))
        else:
            self.dropped += 1

    def finish(self, counts: Mapping[str, int], options: Mapping[str, Any] | None = None) -> None:
        """Record the run as done with ``counts`` (read, inserted, updated, unchanged,
        rejected) and the rejects collected."""
        with transaction(self.engine, actor=self.principal.actor) as session:
            finish_run(
                session,
                self.principal,
                self.key,
                RunCounts(**counts),
                self.rejects,
                dropped=self.dropped,
                options=options,
            )

    def fail(
        self,
        error: BaseException | str,
        counts: Mapping[str, int] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> None:
        """Record the run as failed (cancelled, if interrupted), why, and what it did."""
        text = error if isinstance(error, str) else describe_error(error)
        with transaction(self.engine, actor=self.principal.actor) as session:
            fail_run(
                session,
                self.principal,
                self.key,
                text,
                RunCounts(**counts) if counts else RunCounts(rejected=self.collected),
                self.rejects,
                dropped=self.dropped,
                cancelled=isinstance(error, KeyboardInterrupt | Cancelled),
                options=options,
            )


def layouts_seen(session: Session, principal: Principal) -> list[str]:
    """The layouts of the runs the reader may see, for a filter's choices."""
    query = visible_select(principal, ImportRun).with_only_columns(ImportRun.layout).distinct()
    return sorted(session.scalars(query))
