"""Upload a 100 MB report file through the API and import it in the background.

For each database (SQLite, and PostgreSQL when it answers): a fresh database with the
demo, ``coalition serve`` (and, on PostgreSQL, ``coalition worker``) as an operator runs
them; the file is streamed to ``POST /api/v1/uploads`` and timed, then started and
followed through ``/api/v1/imports/{key}/progress`` to the end. In the same run, the same
file is copied on the same disk (the floor under any upload) and imported by
``coalition import reports`` into another fresh database (the importer with no upload,
queue or worker around it). The server's peak memory is read from /proc while it works.
The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from feed import generate
from load import _drop, _env, _prepare_database, _run, _server, _tokens

CHUNK = 1 << 20


def _sized(path: Path, megabytes: int) -> int:
    """Write a report file of about ``megabytes`` to ``path``; return its rows."""
    probe = path.with_suffix(".probe")
    generate(str(probe), 5_000)
    per_row = probe.stat().st_size / 5_000
    probe.unlink()
    rows = int(megabytes * 1_000_000 / per_row)
    generate(str(path), rows)
    return rows


def _pieces(path: Path) -> Iterator[bytes]:
    with path.open("rb") as f:
        while piece := f.read(CHUNK):
            yield piece


def _peak_mb(pid: int) -> float | None:
    """The peak resident memory of process ``pid`` and its children's, in MB (Linux)."""
    try:
        found = 0
        for status in Path("/proc").glob("[0-9]*/status"):
            text = status.read_text()
            ppid = int(text.split("PPid:")[1].split()[0])
            if status.parent.name == str(pid) or ppid == pid:
                found = max(found, int(text.split("VmHWM:")[1].split()[0]))
        return round(found / 1024, 1)
    except (OSError, IndexError, ValueError):
        return None


def _pid_serving(base: str) -> int:
    """The process of ``coalition serve --port N`` for the server at ``base``."""
    port = base.rsplit(":", 1)[1].encode()
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            words = cmdline.read_bytes().split(b"\0")
            if b"serve" in words and port in words:
                return int(cmdline.parent.name)
    raise SystemExit("the server's process was not found")


def _through_api(kind: str, path: Path, rows: int, workdir: Path) -> dict[str, Any]:
    url = _prepare_database(kind, 0, workdir / kind)
    token = _tokens(url)["pol.monitor"]
    uploads = workdir / kind / "uploads"
    env = {
        "COALITION_UPLOAD_DIR": str(uploads),
        "COALITION_MAX_UPLOAD_BYTES": str(path.stat().st_size * 2),
        "COALITION_UPLOAD_RESERVE_BYTES": "0",
    }
    worker = None
    with _server(url, 1, env) as base:
        if kind == "postgresql":
            worker = subprocess.Popen(  # noqa: S603 - our own command line
                [str(Path(sys.executable).parent / "coalition"), "worker"],
                env={**_env(url), **env},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        client = httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=600
        )
        started = time.perf_counter()
        sent = client.post(
            "/api/v1/uploads",
            params={"importer": "reports", "name": path.name},
            content=_pieces(path),
        )
        upload_s = time.perf_counter() - started
        if sent.status_code != 201:
            raise SystemExit(f"upload refused: {sent.status_code} {sent.text[:500]}")
        body = sent.json()
        server_pid = _pid_serving(base)
        upload_peak = _peak_mb(server_pid)
        begun = time.perf_counter()
        run = client.post(
            f"/api/v1/uploads/{body['token']}/runs",
            json={"importer": "reports", "layout": "csv", "marking": "COALITION"},
        ).json()
        peak = upload_peak or 0.0
        while True:
            progress = client.get(f"/api/v1/imports/{run['key']}/progress").json()
            peak = max(peak, _peak_mb(server_pid) or 0.0)
            if progress["state"] in ("done", "failed", "cancelled"):
                break
            time.sleep(0.5)
        import_s = time.perf_counter() - begun
        if worker is not None:
            peak = max(peak, _peak_mb(worker.pid) or 0.0)
            worker.terminate()
            worker.wait(30)
    if kind == "postgresql":
        _drop(url)
    if progress["state"] != "done":
        raise SystemExit(f"the import ended {progress['state']}: {progress['error']}")
    size_mb = path.stat().st_size / 1_000_000
    return {
        "upload_s": round(upload_s, 2),
        "upload_mb_per_s": round(size_mb / upload_s, 1),
        "preview_in_upload_reply": body["preview"] is not None,
        "import_s": round(import_s, 1),
        "import_rows_per_s": round(rows / import_s),
        "inserted": progress["counts"]["inserted"],
        "server_peak_mb_during_upload": upload_peak,
        "peak_mb_server_and_worker": peak,
    }


def _raw_import(kind: str, path: Path, rows: int, workdir: Path) -> dict[str, Any]:
    url = _prepare_database(kind, 0, workdir / f"{kind}-cli")
    started = time.perf_counter()
    done = _run(["import", "reports", str(path), "--as", "pol.monitor"], url)
    elapsed = time.perf_counter() - started
    if kind == "postgresql":
        _drop(url)
    if done.returncode != 0:
        raise SystemExit(f"command-line import failed: {done.stderr[-1000:]}")
    return {"cli_import_s": round(elapsed, 1), "cli_rows_per_s": round(rows / elapsed)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--database", choices=["both", "sqlite", "postgresql"], default="both")
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    with tempfile.TemporaryDirectory(prefix="coalition-upload-bench-") as tmp:
        workdir = Path(tmp)
        for kind in kinds:
            (workdir / kind).mkdir()
            (workdir / f"{kind}-cli").mkdir()
        path = workdir / "reports-100mb.csv"
        rows = _sized(path, args.megabytes)
        started = time.perf_counter()
        shutil.copyfile(path, workdir / "copy.csv")
        copy_s = time.perf_counter() - started
        size_mb = path.stat().st_size / 1_000_000
        figures: dict[str, Any] = {
            "file_mb": round(size_mb, 1),
            "rows": rows,
            "disk_copy_mb_per_s": round(size_mb / copy_s, 1),
        }
        for kind in kinds:
            try:
                result = {
                    **_through_api(kind, path, rows, workdir),
                    **_raw_import(kind, path, rows, workdir),
                }
                result["upload_ratio_to_disk_copy"] = round(
                    result["upload_mb_per_s"] / figures["disk_copy_mb_per_s"], 3
                )
                result["background_ratio_to_cli"] = round(
                    result["import_rows_per_s"] / result["cli_rows_per_s"], 3
                )
                figures[kind] = result
            except SystemExit as exc:
                figures[kind] = {"error": str(exc)[:300]}
            print(json.dumps({"progress": figures}), file=sys.stderr, flush=True)
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
