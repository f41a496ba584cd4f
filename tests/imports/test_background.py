"""Imports in the background: queued from an upload, done by a worker, stopped, and a run
whose worker was killed resumed to end with every valid row once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from coalition.ceasefire.model import Report
from coalition.core import audit
from coalition.core.db import transaction
from coalition.core.errors import Conflict, Forbidden
from coalition.core.marking import Marking
from coalition.core.settings import get_settings
from coalition.imports import background, jobs, service, upload
from coalition.imports.model import ImportReject, ImportRun
from tests.imports.conftest import aside, finish, report_file, run_async
from tests.world import World


async def _once(data: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(data), 65536):
        yield data[start : start + 65536]


def _upload(directory: Path, data: bytes, username: str) -> upload.Upload:
    stored = run_async(upload.receive, _once(data), directory, "reports.csv", background.limits())
    upload.keep(directory, stored, username)
    return stored


def _queue(engine: Engine, world: World, stored: upload.Upload, user: str = "gbr.monitor") -> str:
    principal = world.principal(user)
    with transaction(engine, actor=principal.actor) as session:
        run = background.queue(
            session,
            principal,
            importer="reports",
            layout="csv",
            stored=stored,
            options={},
            marking=Marking.COALITION,
        )
        return run.key


def _reports(engine: Engine) -> int:
    with transaction(engine) as session:
        return session.scalar(select(func.count()).select_from(Report)) or 0


def _run(engine: Engine, key: str) -> ImportRun:
    with transaction(engine) as session:
        run = session.scalars(select(ImportRun).where(ImportRun.key == key)).one()
        session.expunge(run)
        return run


def test_a_queued_run_is_done_in_the_background_with_its_rejects(
    engine: Engine, world: World, uploads: Path
) -> None:
    stored = _upload(uploads, report_file(300, bad=frozenset({4, 9})), "gbr.monitor")
    key = _queue(engine, world, stored)
    assert _run(engine, key).state == "queued"
    aside(jobs.enqueue, engine, key)
    finish(engine)
    run = _run(engine, key)
    assert (run.state, run.read, run.inserted, run.rejected) == ("done", 300, 298, 2)
    assert run.file_sha256 == stored.sha256 and run.file_size == stored.size
    with transaction(engine) as session:
        lines = session.scalars(select(ImportReject.line).where(ImportReject.run_id == run.id))
        assert sorted(lines) == [6, 11]
        progress = background.progress_of(session, run)
        assert progress is not None and progress.rows == 300 and progress.fraction == 1.0
        assert audit.verify(session).ok
    assert not (uploads / stored.token).exists()  # a finished run's upload is removed
    # Every report leads back to its run.
    with transaction(engine) as session:
        batches = set(session.scalars(select(Report.import_batch)))
    assert {b.split(":")[0] for b in batches} == {key}


def test_a_queued_run_cancelled_never_starts_and_others_may_not_touch_it(
    engine: Engine, world: World, uploads: Path
) -> None:
    stored = _upload(uploads, report_file(20), "gbr.monitor")
    key = _queue(engine, world, stored)
    with transaction(engine) as session, pytest.raises(Forbidden):
        background.cancel(session, world.principal("gbr.contributor"), key)
    monitor = world.principal("gbr.monitor")
    with transaction(engine, actor=monitor.actor) as session:
        assert background.cancel(session, monitor, key).state == "cancelled"
    assert background.execute(engine, key) is None
    assert _reports(engine) == 0
    with transaction(engine, actor=monitor.actor) as session, pytest.raises(Conflict):
        background.cancel(session, monitor, key)


def test_a_working_run_stops_between_batches_and_resumes_to_the_end(
    engine: Engine, world: World, uploads: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coalition.ceasefire.importer import BATCH_SIZE

    rows = BATCH_SIZE * 3
    stored = _upload(uploads, report_file(rows, bad=frozenset({1})), "gbr.monitor")
    key = _queue(engine, world, stored)
    monitor = world.principal("gbr.monitor")
    # The starter asks it to stop as soon as it is working: it stops after a batch.
    monkeypatch.setattr(background, "BEAT_SECONDS", 0.0)
    real = background._Beat.progress

    def then_cancel(self: background._Beat, rows: int | None, position: int) -> None:
        with transaction(engine, actor=monitor.actor) as session:
            background.cancel(session, monitor, key)
        real(self, rows, position)

    monkeypatch.setattr(background._Beat, "progress", then_cancel)
    assert background.execute(engine, key) == "cancelled"
    stopped = _reports(engine)
    assert stopped == BATCH_SIZE - 1  # the first batch, whole
    monkeypatch.setattr(background._Beat, "progress", real)
    with transaction(engine, actor=monitor.actor) as session:
        assert background.resume(session, monitor, key).state == "queued"
    assert background.execute(engine, key) == "done"
    assert _reports(engine) == rows - 1
    run = _run(engine, key)
    assert run.unchanged == BATCH_SIZE - 1 and run.options["resumed"] == 1


def _worker(engine: Engine, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """``coalition worker`` in a process of its own, its errors written to ``log``."""
    url = engine.url.render_as_string(hide_password=False)
    with log.open("wb") as errors:
        return subprocess.Popen(  # noqa: S603 - our own command
            [str(Path(sys.executable).parent / "coalition"), "worker"],
            env={**os.environ, **env, "COALITION_DATABASE_URL": url},
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )


@pytest.mark.slow
def test_a_run_whose_worker_is_killed_resumes_to_exactly_the_valid_rows(
    engine: Engine, world: World, uploads: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    rows = 60_000
    stored = _upload(uploads, report_file(rows, bad=frozenset({7, 30_001})), "gbr.monitor")
    key = _queue(engine, world, stored)
    # Long enough that a batch on a busy machine does not make the run look stalled the
    # moment its worker is killed; short enough to wait out below.
    stalled = 6
    env = {"COALITION_UPLOAD_DIR": str(uploads), "COALITION_IMPORT_STALLED_SECONDS": str(stalled)}
    monkeypatch.setenv("COALITION_IMPORT_STALLED_SECONDS", str(stalled))
    get_settings.cache_clear()
    if engine.dialect.name == "postgresql":
        aside(jobs.enqueue, engine, key)
    log = tmp_path / "worker.log"
    worker = _worker(engine, env, log)
    try:
        deadline = time.monotonic() + 120
        while _reports(engine) == 0:  # at least one batch stored
            assert worker.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the worker stored nothing"
            time.sleep(0.1)
        worker.send_signal(signal.SIGKILL)
        worker.wait(30)
    finally:
        if worker.poll() is None:
            worker.kill()
    partial = _reports(engine)
    assert 0 < partial < rows - 2
    assert _run(engine, key).state == "running"  # its worker is gone, not its record
    monitor = world.principal("gbr.monitor")
    with transaction(engine, actor=monitor.actor) as session, pytest.raises(Conflict):
        background.resume(session, monitor, key)  # not yet taken as stopped
    time.sleep(stalled + 0.5)
    with transaction(engine, actor=monitor.actor) as session:
        assert background.progress_of(session, service.get_run(session, monitor, key)).stalled  # type: ignore[union-attr]
        background.resume(session, monitor, key)
    if engine.dialect.name == "postgresql":
        aside(jobs.enqueue, engine, key)
    aside(jobs.work, engine, once=True)
    assert _reports(engine) == rows - 2
    run = _run(engine, key)
    assert run.state == "done" and run.rejected == 2
    with transaction(engine) as session:
        assert audit.verify(session).ok


# On PostgreSQL the queue outlives the server: `coalition worker` does them.
@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_server_starting_on_sqlite_does_the_runs_a_stopped_one_left_queued(
    engine: Engine, world: World, uploads: Path
) -> None:
    from fastapi.testclient import TestClient

    from coalition.api import create_app

    key = _queue(engine, world, _upload(uploads, report_file(30), "gbr.monitor"))
    with TestClient(create_app(engine)):
        jobs.LOCAL.drain()
    assert _run(engine, key).state == "done" and _reports(engine) == 30


def test_two_members_importing_at_once_do_not_interfere(
    engine: Engine, world: World, uploads: Path
) -> None:
    ours = _queue(
        engine, world, _upload(uploads, report_file(500, bad=frozenset({2})), "gbr.monitor")
    )
    data = report_file(400, prefix="F")
    theirs = _queue(engine, world, _upload(uploads, data, "fra.monitor"), user="fra.monitor")
    for key in (ours, theirs):
        aside(jobs.enqueue, engine, key)
    if engine.dialect.name == "postgresql":
        aside(jobs.work, engine, once=True, concurrency=2)
    else:
        jobs.LOCAL.drain()
    first, second = _run(engine, ours), _run(engine, theirs)
    assert (first.state, first.inserted, first.rejected) == ("done", 499, 1)
    assert (second.state, second.inserted, second.rejected) == ("done", 400, 0)
    assert (first.owner_code, second.owner_code) == ("GBR", "FRA")
    assert _reports(engine) == 899


def test_uploads_kept_too_long_are_swept_unless_a_run_reads_them(
    engine: Engine, world: World, uploads: Path
) -> None:
    import datetime as dt

    from coalition.core.db import utcnow

    idle = _upload(uploads, report_file(5), "gbr.monitor")  # previewed, never started
    waiting = _upload(uploads, report_file(5), "gbr.monitor")
    key = _queue(engine, world, waiting)
    stray = uploads / ("a" * 22 + ".part")  # a piece a crash left
    stray.write_bytes(b"x")
    assert background.sweep(engine) == 0  # nothing is old yet
    later = utcnow() + dt.timedelta(days=8)
    assert background.sweep(engine, later) == 2  # the idle upload and the piece
    assert not idle.path.exists() and not stray.exists() and waiting.path.exists()
    # A cancelled run's file goes too, once kept long enough; it can no longer be resumed.
    monitor = world.principal("gbr.monitor")
    with transaction(engine, actor=monitor.actor) as session:
        background.cancel(session, monitor, key)
    assert background.sweep(engine, later) == 1 and not waiting.path.exists()
    with (
        transaction(engine, actor=monitor.actor) as session,
        pytest.raises(Conflict, match="upload it again"),
    ):
        background.resume(session, monitor, key)
