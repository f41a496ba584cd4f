"""Who runs a queued import: a PostgreSQL job queue, or a thread of the web process.

On PostgreSQL a queued run becomes a job of procrastinate's queue (in the same
database, its schema made by migration ``0018_import_queue``), done by ``coalition
worker``: jobs outlive a restart of the web process, and several workers on several
machines share them, each run claimed by one (:func:`coalition.imports.background.claim`).

On SQLite, which one process writes at a time, the web process runs its queued imports
itself on one thread of its own, one after another; ``coalition worker`` does the same
from the command line (it finds the runs a stopped web process left queued).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from coalition.core.migrate import is_unmigrated
from coalition.imports import background

if TYPE_CHECKING:
    import procrastinate

log = logging.getLogger(__name__)

QUEUE = "imports"
SWEEP_SECONDS = 3600  # how often a SQLite worker removes uploads kept too long
TASK = "coalition:import_run"


def _conninfo(engine: Engine) -> str:
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _blueprint(engine: Engine) -> procrastinate.Blueprint:
    import procrastinate

    tasks = procrastinate.Blueprint()

    @tasks.task(name="import_run", queue=QUEUE)
    def import_run(key: str) -> None:
        background.execute(engine, key)

    @tasks.periodic(cron="17 * * * *")  # hourly, whichever worker is free
    @tasks.task(name="sweep_uploads", queue=QUEUE)
    def sweep_uploads(timestamp: int) -> None:
        background.sweep(engine)

    return tasks


def queue_app(engine: Engine, *, sync: bool = False) -> procrastinate.App:
    """The job queue on ``engine``'s database, its task registered."""
    import procrastinate

    connector: Any = (
        procrastinate.SyncPsycopgConnector(conninfo=_conninfo(engine))
        if sync
        else procrastinate.PsycopgConnector(conninfo=_conninfo(engine))
    )
    app = procrastinate.App(connector=connector)
    app.add_tasks_from(_blueprint(engine), namespace="coalition")
    return app


class _Local:
    """One thread of this process doing this process's queued runs, in order."""

    def __init__(self) -> None:
        self.waiting: queue.Queue[tuple[Engine, str]] = queue.Queue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def submit(self, engine: Engine, key: str) -> None:
        self.waiting.put((engine, key))
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._work, name="imports", daemon=True)
                self.thread.start()

    def _work(self) -> None:
        while True:
            engine, key = self.waiting.get()
            try:
                background.execute(engine, key)
            except Exception:  # a run records its own failure; this is the unforeseen
                log.exception("import run %s stopped the worker's step", key)
            finally:
                self.waiting.task_done()

    def drain(self) -> None:
        """Wait for every run submitted so far (tests, and a process about to stop)."""
        self.waiting.join()


LOCAL = _Local()


def enqueue(engine: Engine, key: str) -> None:
    """Have run ``key`` (recorded queued) done in the background."""
    if engine.dialect.name == "postgresql":
        app = queue_app(engine, sync=True)
        with app.open():
            app.configure_task(TASK).defer(key=key)
    else:
        LOCAL.submit(engine, key)


def pick_up(engine: Engine) -> int:
    """As a server starts: remove the uploads kept too long, and on SQLite have this
    process do the runs a stopped one left queued; return how many it took up."""
    try:
        background.sweep(engine)
        if engine.dialect.name == "postgresql":
            return 0
        keys = background.queued_keys(engine)
    except DBAPIError as exc:
        # A server starts whatever the database's state (its readiness says so); a
        # database not migrated holds nothing queued, one unreachable is tried again at
        # the next start, and by the worker.
        if not is_unmigrated(exc):
            log.warning("could not take up queued imports as the server started: %s", exc)
        return 0
    for key in keys:
        LOCAL.submit(engine, key)
    return len(keys)


def work(engine: Engine, *, once: bool = False, concurrency: int = 1) -> int:
    """Do queued runs until stopped (or, with ``once``, until none is left); return how
    many this call did on SQLite (PostgreSQL's worker counts its own)."""
    background.sweep(engine)
    if engine.dialect.name == "postgresql":
        app = queue_app(engine)
        app.run_worker(
            queues=[QUEUE],
            wait=not once,
            concurrency=concurrency,
            delete_jobs="successful",
            listen_notify=True,
        )
        return 0
    done = 0
    swept = time.monotonic()
    while True:
        if time.monotonic() - swept > SWEEP_SECONDS:
            background.sweep(engine)
            swept = time.monotonic()
        keys = background.queued_keys(engine)
        for key in keys:
            if background.execute(engine, key) is not None:
                done += 1
        if once and not keys:
            return done
        if not keys:
            time.sleep(1.0)
