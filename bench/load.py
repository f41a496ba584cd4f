"""Drive `coalition serve` with many concurrent clients, as a busy summit day would.

Builds a PostgreSQL database holding the demo scenario and N synthetic reports (or a
SQLite file with ``--database sqlite``), starts the server as an operator would
(`coalition serve --workers W`), then runs each requested number of concurrent clients
(asyncio + httpx, one connection each, no pause between requests) for a fixed time. Four
requests in five read (member register, commitment list and summary, the ceasefire's
statistics, the map grid, incidents, a report, a proposal's outcome), one in five writes
(a position, a report, a commitment). Afterwards it counts the writes the server
acknowledged against the rows stored, and runs `coalition audit verify`.

The last line printed is one JSON object: the figures of the largest run, with every
run under ``runs``. Compare ``requests_per_s`` across client counts: a server that
degrades by queueing keeps its throughput as clients grow, one that fails loses it.

Clients send their next request as soon as the last is answered (``--think 0``, the
harshest case: throughput is then what the server can do, and latency is clients divided
by it); ``--think S`` makes each pause S seconds on average, as people do. A short
unmeasured warm-up goes first, since each process builds its routes' validators on their
first use. ``--url`` reuses a prepared database instead of building one.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import datetime as dt
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

BIN = Path(sys.executable).parent
PG_ADMIN = os.environ.get(
    "COALITION_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
MARK = "load-bench"
ENV = {
    "COALITION_ENVIRONMENT": "production",
    "COALITION_SECRET_KEY": "bench-" + "k" * 40,
    "COALITION_AUDIT_KEYS": "bench:" + "a" * 40,
}
READERS = ["deu.viewer", "fra.planner", "sec.staff", None, None]  # None: anonymous


def _env(url: str) -> dict[str, str]:
    return {**os.environ, **ENV, "COALITION_DATABASE_URL": url}


def _run(
    args: list[str], url: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own command line
        [str(BIN / "coalition"), *args],
        env={**_env(url), **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


def _prepare_database(kind: str, reports: int, workdir: Path) -> str:
    """A fresh database with the demo and ``reports`` synthetic reports; its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    if kind == "sqlite":
        url = f"sqlite:///{workdir / 'load.db'}"
    else:
        name = f"coalition_load_{os.getpid()}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    # The demo refuses production (its passwords are published); the server runs as one.
    done = _run(["demo", "--no-serve"], url, env={"COALITION_ENVIRONMENT": "test"})
    if done.returncode != 0:
        raise SystemExit(f"demo failed: {done.stderr[-2000:]}")
    if reports:
        sys.path.insert(0, str(Path(__file__).parent))
        from feed import generate

        csv_path = workdir / "reports.csv"
        generate(str(csv_path), reports)
        done = _run(
            ["import", "reports", str(csv_path), "--as", "pol.monitor", "--marking", "COALITION"],
            url,
        )
        if done.returncode != 0:
            raise SystemExit(f"report import failed: {done.stderr[-2000:]}")
    return url


def _tokens(url: str) -> dict[str, str]:
    tokens = {}
    for user in ["deu.viewer", "fra.planner", "sec.staff", "gbr.liaison", "pol.monitor"]:
        done = _run(["users", "token", user, "--days", "1", "--label", MARK], url)
        if done.returncode != 0:
            raise SystemExit(f"token for {user} failed: {done.stderr[-2000:]}")
        tokens[user] = done.stdout.strip().split()[-1]
    return tokens


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _server(url: str, workers: int, extra_env: dict[str, str]) -> Any:
    port = _free_port()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(  # noqa: S603 - our own command line
            [str(BIN / "coalition"), "serve", "--port", str(port), "--workers", str(workers)],
            env={**_env(url), **extra_env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                        break
                if proc.poll() is not None:
                    break
                time.sleep(0.3)
            else:
                raise SystemExit("the server did not become ready within 60 s")
            if proc.poll() is not None:
                log.seek(0)
                raise SystemExit(f"the server stopped: {log.read()[-2000:].decode()}")
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@dataclass
class Targets:
    """Ids the request mix needs, read once through the API."""

    ceasefire: int
    proposal: int
    reports: list[int]
    day: dt.date
    tag: str = field(default_factory=lambda: f"{MARK}-{secrets.token_hex(3)}")  # this run's
    think: float = 0.0  # seconds a client pauses between requests


def _targets(base: str, tokens: dict[str, str]) -> Targets:
    # Read as a viewer of a member: every id picked is one that every reader used for it sees.
    auth = {"Authorization": f"Bearer {tokens['deu.viewer']}"}
    with httpx.Client(base_url=base, headers=auth, timeout=30) as c:
        ceasefire = c.get("/api/v1/ceasefires").json()[0]
        proposals = c.get("/api/v1/proposals", params={"limit": 100}).json()["items"]
        open_ = [p for p in proposals if p["status"] == "open"]
        reports = c.get("/api/v1/reports", params={"limit": 200}).json()["items"]
    start = dt.date.fromisoformat(ceasefire["starts_on"])
    return Targets(
        ceasefire=ceasefire["id"],
        proposal=(open_ or proposals)[0]["id"],
        reports=[r["id"] for r in reports] or [1],
        day=start + dt.timedelta(days=5),
    )


@dataclass
class Run:
    clients: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: collections.Counter[str] = field(default_factory=collections.Counter)
    samples: dict[str, str] = field(default_factory=dict)  # one example of each error
    by_kind: dict[str, list[float]] = field(default_factory=lambda: collections.defaultdict(list))
    acknowledged: collections.Counter[str] = field(default_factory=collections.Counter)
    requests: int = 0


def _read(t: Targets, rng: random.Random) -> tuple[str, str, dict[str, Any]]:
    choice = rng.randrange(9)
    if choice == 0:
        return "GET", "/api/v1/members", {"limit": 50}
    if choice == 1:
        return "GET", f"/api/v1/members/{rng.choice(['GBR', 'FRA', 'POL', 'DEU'])}", {}
    if choice == 2:
        return "GET", "/api/v1/commitments", {"limit": 50}
    if choice == 3:
        return "GET", "/api/v1/commitments/summary", {}
    if choice == 4:
        return "GET", f"/api/v1/ceasefires/{t.ceasefire}/stats", {}
    if choice == 5:
        west, south = rng.uniform(30, 38), rng.uniform(46, 50)
        bbox = f"{west:.2f},{south:.2f},{west + 4:.2f},{south + 2.5:.2f}"
        return "GET", "/api/v1/map/grid", {"bbox": bbox, "cells": 48}
    if choice == 6:
        return "GET", "/api/v1/incidents", {"limit": 50}
    if choice == 7:
        return "GET", f"/api/v1/reports/{rng.choice(t.reports)}", {"as": "deu.viewer"}
    return "GET", f"/api/v1/proposals/{t.proposal}/outcome", {"as": "fra.planner"}


def _write(t: Targets, rng: random.Random, n: int) -> tuple[str, str, str, dict[str, Any]]:
    choice = rng.randrange(3)
    if choice == 0:
        body = {"stance": rng.choice(["support", "abstain"]), "text": f"{t.tag} {n}"}
        return "position", "gbr.liaison", f"/api/v1/proposals/{t.proposal}/positions", body
    if choice == 1:
        at = dt.datetime.combine(t.day, dt.time(), dt.UTC) + dt.timedelta(
            seconds=rng.randrange(86_400)
        )
        body = {
            "source_name": t.tag,
            "source_id": f"{n}",
            "reliability": "B",
            "credibility": 2,
            "occurred_at": at.isoformat(),
            "latitude": rng.uniform(47.0, 49.5),
            "longitude": rng.uniform(35.0, 39.5),
            "type": "shelling",
        }
        return "report", "pol.monitor", "/api/v1/reports", body
    body = {
        "member": "GBR",
        "category": "humanitarian",
        "item": f"{t.tag} {n}",
        "announced_on": "2025-03-20",
    }
    return "commitment", "gbr.liaison", "/api/v1/commitments", body


async def _client(
    base: str, tokens: dict[str, str], t: Targets, run: Run, stop: float, seed: int
) -> None:
    rng = random.Random(seed)
    if t.think:
        # People arrive over a pause, not all in the same millisecond.
        await asyncio.sleep(rng.uniform(0, t.think))
    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        n = 0
        while time.monotonic() < stop:
            n += 1
            kind = None
            if rng.random() < 0.2:
                kind, user, path, body = _write(t, rng, seed * 1_000_000 + n)
                method, params = "POST", {}
            else:
                method, path, params = _read(t, rng)
                user, body = params.pop("as", rng.choice(READERS)), None
            headers = {"Authorization": f"Bearer {tokens[user]}"} if user else {}
            started = time.perf_counter()
            try:
                r = await http.request(method, path, params=params, json=body, headers=headers)
                status: str | None = None if r.status_code < 400 else str(r.status_code)
                said = r.text[:200]
            except httpx.HTTPError as exc:
                status, said = type(exc).__name__, str(exc)[:200]
            elapsed = time.perf_counter() - started
            run.latencies.append(elapsed)
            run.by_kind[kind or _label(path)].append(elapsed)
            run.requests += 1
            if status is not None:
                run.errors[status] += 1
                run.samples.setdefault(status, f"{method} {path}: {said}")
            elif kind is not None:
                run.acknowledged[kind] += 1
            if t.think:
                await asyncio.sleep(rng.expovariate(1 / t.think))


async def _drive(
    base: str, tokens: dict[str, str], t: Targets, clients: int, s: float, first_seed: int = 1
) -> Run:
    run = Run(clients, s)
    started = time.monotonic()
    stop = started + s
    await asyncio.gather(
        *(_client(base, tokens, t, run, stop, first_seed + i) for i in range(clients))
    )
    run.seconds = time.monotonic() - started
    return run


def _stored(url: str, tag: str) -> collections.Counter[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        counts = collections.Counter(
            {
                "position": conn.scalar(
                    text("SELECT count(*) FROM positions WHERE text LIKE :m"), {"m": f"{tag} %"}
                ),
                "report": conn.scalar(
                    text("SELECT count(*) FROM ceasefire_reports WHERE source_name = :m"),
                    {"m": tag},
                ),
                "commitment": conn.scalar(
                    text("SELECT count(DISTINCT record_id) FROM commitments WHERE item LIKE :m"),
                    {"m": f"{tag} %"},
                ),
            }
        )
    engine.dispose()
    return counts


def _quantile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


def _figures(run: Run) -> dict[str, Any]:
    return {
        "clients": run.clients,
        "seconds": round(run.seconds, 1),
        "requests": run.requests,
        "requests_per_s": round(run.requests / run.seconds, 1),
        "p50_s": round(_quantile(run.latencies, 0.50), 3),
        "p95_s": round(_quantile(run.latencies, 0.95), 3),
        "p99_s": round(_quantile(run.latencies, 0.99), 3),
        "errors": dict(run.errors),
        "error_samples": run.samples,
        "p95_s_by_request": {
            k: round(_quantile(v, 0.95), 3) for k, v in sorted(run.by_kind.items())
        },
    }


def _label(path: str) -> str:
    """The request's path with its ids left out, naming what was read."""
    parts = [p for p in path.split("/")[3:] if not p.isdigit() and p.upper() != p]
    return "/".join(parts) or path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="200", help="concurrent clients; a list runs each")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each run")
    parser.add_argument("--reports", type=int, default=200_000, help="reports stored first")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--pool-size", type=int, help="COALITION_DB_POOL_SIZE for the server")
    parser.add_argument("--url", help="use this prepared database (kept afterwards)")
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean pause of a client between requests, s"
    )
    parser.add_argument("--warm-up", type=float, default=5.0, help="unmeasured first seconds")
    args = parser.parse_args()
    counts = sorted(int(c) for c in args.clients.split(","))
    extra = {"COALITION_DB_POOL_SIZE": str(args.pool_size)} if args.pool_size else {}

    with tempfile.TemporaryDirectory() as tmp:
        prepared = time.perf_counter()
        url = args.url or _prepare_database(args.database, args.reports, Path(tmp))
        print(f"database ready in {time.perf_counter() - prepared:.1f} s", flush=True)
        tokens = _tokens(url)
        runs = []
        acknowledged: collections.Counter[str] = collections.Counter()
        with _server(url, args.workers, extra) as base:
            targets = _targets(base, tokens)
            targets.think = args.think
            # The first requests of each process build its routes' validators: not measured.
            warm = asyncio.run(_drive(base, tokens, targets, 4, args.warm_up, first_seed=10**6))
            acknowledged += warm.acknowledged
            for i, clients in enumerate(counts):
                run = asyncio.run(
                    _drive(base, tokens, targets, clients, args.seconds, first_seed=1 + i * 10**4)
                )
                acknowledged += run.acknowledged
                runs.append(_figures(run))
                print(json.dumps(runs[-1]), flush=True)
        stored = _stored(url, targets.tag)
        verify = _run(["audit", "verify"], url)
        if verify.returncode != 0:
            print(verify.stderr.strip()[-500:], flush=True)
        if args.database == "postgresql" and not args.url:
            _drop(url)
    figures = {
        **runs[-1],
        "workers": args.workers,
        "think_s": args.think,
        "database": args.database,
        "reports": None if args.url else args.reports,
        "acknowledged_writes": sum(acknowledged.values()),
        "stored_writes": sum(stored.values()),
        "writes_by_kind": {k: [acknowledged[k], stored[k]] for k in sorted(stored)},
        "audit_verify": verify.returncode == 0,
        "runs": runs,
        "run_id": secrets.token_hex(3),
    }
    print(json.dumps(figures))


def _drop(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


if __name__ == "__main__":
    main()
