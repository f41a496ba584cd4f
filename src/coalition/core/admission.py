"""Admission to the database: a bounded line in front of the connection pool.

Each request that works on the database first takes one of ``slots`` places (as many as
the pool has connections) and holds it until its transaction has ended. Waiting happens
here, on the event loop, where it costs no thread and holds no connection; a request
that has waited ``wait_seconds`` is refused with :class:`Unavailable` (503 and
``Retry-After``) instead of hanging.

Why a line of our own: a synchronous route runs its dependencies and its body on
different worker threads, and holds its connection between them. With more requests than
connections, every thread can end up blocked in the pool waiting for a connection while
the requests that hold the connections wait for a thread to finish on: nobody moves until
the pool's timeout. Admitting no more requests than there are connections, and running
more threads than that, makes the wait impossible.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from weakref import WeakKeyDictionary

import anyio.to_thread

from coalition.core.errors import Unavailable


class DatabaseGate:
    """A per-process line of at most ``slots`` requests working on the database at once."""

    def __init__(self, slots: int, wait_seconds: float, threads: int) -> None:
        if threads <= slots:
            raise ValueError("the thread count must exceed the number of database slots")
        self.slots = slots
        self.wait_seconds = wait_seconds
        self.threads = threads
        # One semaphore per event loop: a test may drive one app from several loops.
        self._semaphores: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            WeakKeyDictionary()
        )

    def _semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        semaphore = self._semaphores.get(loop)
        if semaphore is None:
            semaphore = self._semaphores[loop] = asyncio.Semaphore(self.slots)
            anyio.to_thread.current_default_thread_limiter().total_tokens = self.threads
        return semaphore

    @property
    def retry_after(self) -> int:
        """Seconds a refused client is asked to wait: the line's own bound, at least 1."""
        return max(1, math.ceil(self.wait_seconds))

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one place for the block; raise :class:`Unavailable` if none frees in time."""
        semaphore = self._semaphore()
        try:
            async with asyncio.timeout(self.wait_seconds):
                await semaphore.acquire()
        except TimeoutError:
            raise Unavailable(
                "the server is busy; every database connection is in use, retry shortly",
                retry_after=self.retry_after,
            ) from None
        try:
            yield
        finally:
            semaphore.release()
