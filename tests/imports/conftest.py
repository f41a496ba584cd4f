"""What the import tests share: a private upload directory, a report file of any size,
and waiting for the background runs to end on either database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from coalition.core.settings import get_settings
from coalition.imports import jobs

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


def finish(engine: Engine) -> None:
    """Wait until the runs handed to the worker have ended."""
    if engine.dialect.name == "postgresql":
        jobs.work(engine, once=True)
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
