"""Imports from the browser and the API: queued from an upload, run by a worker, watched.

A run to be done in the background is recorded *queued* with the upload it reads
(:func:`queue`). A worker claims it (:func:`claim`: the run's row is locked while its state
changes, so one worker alone runs it), runs the capability's importer as the user who
started it, writes how far it has got to ``import_progress`` about once a second and
asks there, between batches, whether to stop; then ends the run done, failed or
cancelled, as a command's run ends (:func:`execute`). A run whose worker died (no word
for ``import_stalled_seconds``) can be resumed (:func:`resume`): the importers skip what
is stored, so the run ends with every valid row once.

Where the worker comes from is :mod:`coalition.imports.jobs`' business.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from coalition.core.db import transaction, utcnow
from coalition.core.errors import Conflict, Forbidden, Invalid, NotFound
from coalition.core.importing import Cancelled, Hooks, importer_named
from coalition.core.marking import Marking
from coalition.core.principal import WRITING_ROLES, Principal, Role
from coalition.core.settings import get_settings
from coalition.imports import service, upload
from coalition.imports.enums import Imported, RunState
from coalition.imports.model import ImportProgress, ImportRun
from coalition.members.acting import acting_user

log = logging.getLogger(__name__)

BEAT_SECONDS = 1.0  # how often a working run writes its progress and reads its stop flag


def upload_dir() -> Path:
    return Path(get_settings().upload_dir)


def limits() -> upload.Limits:
    settings = get_settings()
    return upload.Limits(settings.max_upload_bytes, settings.upload_reserve_bytes)


def stalled_after() -> dt.timedelta:
    return dt.timedelta(seconds=get_settings().import_stalled_seconds)


def may_import(principal: Principal) -> None:
    if principal.member is None or principal.is_anonymous:
        raise Forbidden("sign in as a member's user to import")
    if not principal.has_role(*WRITING_ROLES):
        raise Forbidden("your role does not import files")


def queue(
    session: Session,
    principal: Principal,
    *,
    importer: str,
    layout: str,
    stored: upload.Upload,
    options: Mapping[str, Any],
    marking: Marking,
    rel_to: Iterable[str] = (),
) -> ImportRun:
    """Record a queued run of ``importer`` over the upload ``stored``, in ``layout``."""
    may_import(principal)
    offered = importer_named(importer)
    if layout not in offered.layouts:
        raise Invalid(f"{offered.label} are read as {', '.join(offered.layouts)}, not {layout!r}")
    unknown = sorted(set(options) - set(offered.options))
    if unknown:
        raise Invalid(f"{offered.label} take no option {', '.join(unknown)}")
    run = service.start_run(
        session,
        principal,
        key=secrets.token_hex(8),
        capability=Imported(offered.name),
        layout=layout,
        file=service.RunFile(stored.name, stored.size, stored.sha256),
        options={**options, "marking": marking.value, "rel_to": list(rel_to)},
        marking=marking,
        rel_to=rel_to,
    )
    run.state = RunState.QUEUED.value
    run.upload_token = stored.token
    session.flush()
    session.add(ImportProgress(run_id=run.id, rows=None, position=0, cancel_requested=False))
    return run


@dataclass(frozen=True)
class Progress:
    """A run's progress as its page shows it."""

    rows: int | None
    position: int
    size: int
    started_at: dt.datetime | None
    heartbeat_at: dt.datetime | None
    cancel_requested: bool
    stalled: bool

    @property
    def fraction(self) -> float | None:
        return min(self.position / self.size, 1.0) if self.size else None

    def rates(self, now: dt.datetime) -> tuple[float | None, float | None]:
        """(rows per second, seconds left), where they can be told."""
        if self.started_at is None:
            return None, None
        elapsed = (now - self.started_at).total_seconds()
        if elapsed <= 0:
            return None, None
        rate = self.rows / elapsed if self.rows else None
        left = None
        if self.position and self.size and self.position < self.size:
            left = elapsed * (self.size - self.position) / self.position
        return rate, left


def progress_of(session: Session, run: ImportRun) -> Progress | None:
    """The progress of a run the caller has found visible; None for a command's run."""
    held = session.get(ImportProgress, run.id)
    if held is None:
        return None
    beat = held.heartbeat_at
    stalled = (
        run.state == RunState.RUNNING.value
        and beat is not None
        and utcnow() - beat > stalled_after()
    )
    return Progress(
        held.rows,
        held.position,
        run.file_size,
        held.started_at,
        beat,
        held.cancel_requested,
        stalled,
    )


def _starter(session: Session, principal: Principal, key: str) -> ImportRun:
    run = service.get_run(session, principal, key)
    if run.started_by != principal.username and not principal.is_secretariat:
        raise Forbidden("only whoever started an import, or the secretariat, may stop or resume it")
    return run


def cancel(session: Session, principal: Principal, key: str) -> ImportRun:
    """Ask run ``key`` to stop: a queued run ends at once, a working one after its batch."""
    run = _starter(session, principal, key)
    if RunState(run.state).ended:
        raise Conflict(f"import run {key} has already ended ({run.state})")
    held = session.get(ImportProgress, run.id)
    if held is None:
        raise Conflict("a command's import is stopped where it runs, not here")
    held.cancel_requested = True
    if run.state == RunState.QUEUED.value:
        run.state = RunState.CANCELLED.value
        run.ended_at = utcnow()
        run.error = "cancelled before it started"
    return run


def resume(session: Session, principal: Principal, key: str) -> ImportRun:
    """Queue again a run whose worker stopped without ending it, or that failed or was
    cancelled: it carries on where the stored batches end."""
    run = _starter(session, principal, key)
    held = session.get(ImportProgress, run.id)
    if held is None or run.upload_token is None:
        raise Conflict("only an import started from an upload can be resumed here")
    state = RunState(run.state)
    found = progress_of(session, run)
    if state is RunState.DONE or state is RunState.QUEUED:
        raise Conflict(f"import run {key} is {state.value}; there is nothing to resume")
    if state is RunState.RUNNING and not (found and found.stalled):
        raise Conflict(f"import run {key} is still running")
    try:
        upload.stored(upload_dir(), run.upload_token)
    except NotFound:
        days = get_settings().upload_keep_days
        raise Conflict(
            f"the file of import run {key} is no longer kept (uploads are kept {days} days "
            "once no run reads them): upload it again"
        ) from None
    run.state = RunState.QUEUED.value
    run.ended_at = None
    run.error = ""
    run.options = {**(run.options or {}), "resumed": int((run.options or {}).get("resumed", 0)) + 1}
    held.cancel_requested = False
    held.heartbeat_at = None
    return run


@dataclass(frozen=True)
class Claimed:
    key: str
    run_id: int
    started_by: str
    owner: str
    capability: str
    layout: str
    options: dict[str, Any]
    upload_token: str


def claim(engine: Engine, key: str) -> Claimed | None:
    """Take run ``key`` to work on, if it is queued or its worker is gone; None if another
    worker has it, or it ended, or it was cancelled while it waited."""
    with transaction(engine, actor="worker") as session:
        run = session.scalars(
            select(ImportRun).where(ImportRun.key == key).with_for_update()
        ).first()
        if run is None or run.upload_token is None:
            return None
        held = session.get(ImportProgress, run.id, with_for_update=True)
        if held is None:
            return None
        now = utcnow()
        gone = held.heartbeat_at is not None and now - held.heartbeat_at > stalled_after()
        if not (
            run.state == RunState.QUEUED.value or (run.state == RunState.RUNNING.value and gone)
        ):
            return None
        session.info["actor"] = f"worker for {run.started_by}"
        run.state = RunState.RUNNING.value
        held.started_at, held.heartbeat_at = now, now
        return Claimed(
            run.key,
            run.id,
            run.started_by,
            run.owner_code,
            run.capability,
            run.layout,
            dict(run.options or {}),
            run.upload_token,
        )


class _Beat:
    """Writes a run's progress and reads its stop flag, at most once a second."""

    def __init__(self, engine: Engine, run_id: int) -> None:
        self.engine, self.run_id = engine, run_id
        self.rows: int | None = None
        self.position = 0
        self.stop = False
        self.last = 0.0

    def progress(self, rows: int | None, position: int) -> None:
        if rows is not None:
            self.rows = rows
        self.position = max(self.position, position)
        self._maybe_write()

    def stop_requested(self) -> bool:
        self._maybe_write()
        return self.stop

    def _maybe_write(self) -> None:
        if time.monotonic() - self.last < BEAT_SECONDS:
            return
        self.last = time.monotonic()
        with transaction(self.engine, actor="worker") as session:
            held = session.get(ImportProgress, self.run_id)
            if held is None:
                return
            held.rows, held.position, held.heartbeat_at = self.rows, self.position, utcnow()
            self.stop = held.cancel_requested


def execute(engine: Engine, key: str) -> str | None:
    """Run ``key`` if this worker may claim it; return the state it ended in (or None)."""
    claimed = claim(engine, key)
    if claimed is None:
        return None
    try:
        with transaction(engine) as session:
            principal = acting_user(session, claimed.started_by)
    except (Forbidden, NotFound) as exc:  # the user left or was deactivated
        owner = Principal(username="system", member=claimed.owner, role=Role.ADMIN)
        service.Recorder(engine, owner, key).fail(f"cannot act as {claimed.started_by}: {exc}")
        return RunState.FAILED.value
    recorder = service.Recorder(engine, principal, key)
    beat = _Beat(engine, claimed.run_id)
    hooks = Hooks(
        reject=lambda line, reason, column: recorder.reject(line, reason, column),
        progress=beat.progress,
        stop_requested=beat.stop_requested,
    )
    options = {k: v for k, v in claimed.options.items() if k != "resumed"}
    # Each attempt stamps its batches apart (``key:n``, then ``key.2:n``, ...): what an
    # earlier attempt stored is found as already held, not as a line of the file repeated.
    attempt = int(claimed.options.get("resumed", 0)) + 1
    stamp = key if attempt == 1 else f"{key}.{attempt}"
    try:
        path = upload.stored(upload_dir(), claimed.upload_token)
        offered = importer_named(claimed.capability)
        wanted = {k: v for k, v in options.items() if k in offered.options}
        outcome = offered.run(engine, principal, path, claimed.layout, wanted, stamp, hooks)
    except Cancelled as exc:
        # What the importer stored before it stopped is counted by the next attempt, as
        # unchanged; the rows read so far and those refused are known now.
        recorder.fail(exc, {"read": beat.rows or 0, "rejected": recorder.collected})
        return RunState.CANCELLED.value
    except Exception as exc:
        log.exception("import run %s failed", key)
        recorder.fail(exc, {"read": beat.rows or 0, "rejected": recorder.collected})
        return RunState.FAILED.value
    beat.last = 0.0
    beat.progress(outcome.counts.get("read"), path.stat().st_size)
    if outcome.broken is not None:
        recorder.fail(outcome.broken, outcome.counts, outcome.found)
        return RunState.FAILED.value
    recorder.finish(outcome.counts, outcome.found)
    upload.discard(upload_dir(), claimed.upload_token)
    return RunState.DONE.value


def sweep(engine: Engine, now: dt.datetime | None = None) -> int:
    """Remove the uploads kept past ``upload_keep_days`` that no queued or running run
    reads (and pieces of uploads a crash left); return how many."""
    directory = upload_dir()
    if not directory.is_dir():
        return 0
    with transaction(engine) as session:
        reading = set(
            session.scalars(
                select(ImportRun.upload_token).where(
                    ImportRun.state.in_([RunState.QUEUED.value, RunState.RUNNING.value]),
                    ImportRun.upload_token.is_not(None),
                )
            )
        )
    cutoff = (now or utcnow()).timestamp() - get_settings().upload_keep_days * 86_400
    removed = 0
    for path in directory.iterdir():
        token = path.name.split(".")[0]
        if token in reading or not upload.TOKEN.fullmatch(token):
            continue
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += path.suffix != ".json"  # a file and its record count once
    return removed


def queued_keys(engine: Engine) -> list[str]:
    """The runs waiting for a worker, oldest first."""
    with transaction(engine) as session:
        return list(
            session.scalars(
                select(ImportRun.key)
                .where(
                    ImportRun.state == RunState.QUEUED.value, ImportRun.upload_token.is_not(None)
                )
                .order_by(ImportRun.started_at, ImportRun.id)
            )
        )
