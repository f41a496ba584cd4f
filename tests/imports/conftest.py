"""What the import tests share: a private upload directory, a report file of any size,
and waiting for the background runs to end on either database."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import anyio
import pytest
from sqlalchemy import Engine

from coalition.core.settings import get_settings
from coalition.imports import jobs

T = TypeVar("T")
HEADER = (
    "source_kind,source_name,source_id,reliability,credibility,occurred_at,latitude,"
    "longitude,type,casualties\n"
)


def report_file(rows: int, bad: frozenset[int] = frozenset(), prefix: str = "P") -> bytes:
    """``rows`` reports spread over days and places (few near enough to group); those
    numbered in ``bad`` lie off the map (latitude 91) and are refused."""
    lines = [
        f"monitor_patrol,patrol,{prefix}-{i},B,2,2025-03-{1 + i % 28:02d}T{i % 24:02d}:00:00Z,"
        f"{'91' if i in bad else 45 + (i % 500) / 100},{30 + (i // 500) / 20},shelling,0\n"
        for i in range(rows)
    ]
    return (HEADER + "".join(lines)).encode()


def aside(work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call ``work`` on a thread of its own and wait for it: the session's browser keeps
    an event loop running in this thread, beside which no other (anyio's, the job
    queue's) may start."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work, *args, **kwargs).result()


def run_async(work: Callable[..., Awaitable[T]], *args: Any) -> T:
    """Run a coroutine function to its end (see :func:`aside`)."""
    return aside(anyio.run, work, *args)


def finish(engine: Engine) -> None:
    """Wait until the runs handed to the worker have ended."""
    if engine.dialect.name == "postgresql":
        aside(jobs.work, engine, once=True)
    else:
        jobs.LOCAL.drain()


@pytest.fixture
def uploads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private upload directory, with no space kept in reserve."""
    directory = tmp_path / "uploads"
    monkeypatch.setenv("COALITION_UPLOAD_DIR", str(directory))
    monkeypatch.setenv("COALITION_UPLOAD_RESERVE_BYTES", "0")
    get_settings.cache_clear()
    yield directory
    get_settings.cache_clear()
