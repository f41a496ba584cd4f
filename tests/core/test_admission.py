"""The admission line in front of the pool: bursts queue and succeed, long waits get 503.

A burst is sent from one event loop through httpx's ASGI transport, so the requests
really run side by side on the app's worker threads, as under `coalition serve`. The
PostgreSQL engine here has a deliberately small pool (2 connections, no overflow): before
the line existed, a burst larger than the worker thread count deadlocked it until the
pool's timeout, and every request then failed.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine, create_engine

from coalition.api import create_app
from coalition.core.admission import DatabaseGate
from coalition.core.errors import Unavailable
from coalition.core.settings import Settings
from tests.world import World

SMALL = {"db_pool_size": 2, "db_max_overflow": 0, "db_wait_seconds": 20, "worker_threads": 4}


@pytest.fixture
def small_pool(engine: Engine, world: World) -> Iterator[Engine]:
    """The test database behind an engine whose pool has two connections."""
    if engine.dialect.name == "sqlite":
        yield engine  # SQLite opens a connection per use; the line still bounds them
        return
    small = create_engine(
        engine.url, pool_size=2, max_overflow=0, pool_timeout=SMALL["db_wait_seconds"]
    )
    yield small
    small.dispose()


async def _burst(app: object, paths: list[str], headers: dict[str, str]) -> Counter[int]:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        responses = await asyncio.gather(*(client.get(p, headers=headers) for p in paths))
    return Counter(r.status_code for r in responses)


def test_a_burst_larger_than_pool_and_threads_is_queued_and_served(
    small_pool: Engine, world: World
) -> None:
    app = create_app(small_pool, settings=Settings(**SMALL))
    paths = ["/api/v1/members", "/api/v1/commitments", "/members", "/api/v1/meetings"] * 20
    anonymous = asyncio.run(_burst(app, paths, {}))
    assert anonymous == Counter({200: len(paths)})
    token = {"Authorization": f"Bearer {world.tokens['fra.viewer']}"}
    signed_in = asyncio.run(_burst(app, paths, token))
    assert signed_in == Counter({200: len(paths)})


def test_a_request_that_waits_past_the_bound_gets_503_with_retry_after(
    engine: Engine, world: World
) -> None:
    settings = Settings(db_pool_size=1, db_wait_seconds=0.2, worker_threads=4)
    app = create_app(engine, settings=settings)

    async def scenario() -> tuple[httpx.Response, ...]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            async with app.state.db_gate.slot():  # every connection taken
                api = await c.get("/api/v1/members")
                page = await c.get("/members")
                login = await c.post("/login", data={"username": "x", "password": "y"})
            after = await c.get("/api/v1/members")
        return api, page, login, after

    api, page, login, after = asyncio.run(scenario())
    assert api.status_code == 503
    assert api.headers["retry-after"] == "1"
    assert api.json()["error"]["code"] == "unavailable"
    assert page.status_code == 503 and page.headers["retry-after"] == "1"
    assert "busy" in page.text and "Traceback" not in page.text
    assert login.status_code == 503  # sign-in waits in the same line
    assert after.status_code == 200  # the line frees as soon as the holder leaves


def test_gate_refuses_after_its_bound_and_admits_in_order() -> None:
    gate = DatabaseGate(slots=2, wait_seconds=0.05, threads=3)

    async def scenario() -> list[str]:
        events: list[str] = []
        async with gate.slot(), gate.slot():
            try:
                async with gate.slot():
                    events.append("admitted while full")
            except Unavailable as exc:
                events.append(f"refused, retry after {exc.retry_after}")
        async with gate.slot():
            events.append("admitted once freed")
        return events

    assert asyncio.run(scenario()) == ["refused, retry after 1", "admitted once freed"]


def test_gate_needs_more_threads_than_slots() -> None:
    with pytest.raises(ValueError, match="thread"):
        DatabaseGate(slots=4, wait_seconds=1, threads=4)
    with pytest.raises(Exception, match="WORKER_THREADS"):
        Settings(db_pool_size=40, worker_threads=40)
