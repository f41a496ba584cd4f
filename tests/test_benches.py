"""Every benchmark still runs end to end on a small size and ends with its JSON figures.

The figures themselves are never asserted (timings belong in the benchmarks, not in
tests); this only keeps the scripts from falling behind the code they measure.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"

RUNS = {
    "ingest.py": (["--rows", "1500"], {"rows", "sqlite", "postgresql", "bench_peak_memory_mb"}),
    "query.py": (["--rows", "3000", "--requests", "3"], {"stats_ratio", "grid_p95_ms"}),
    "commitments_import.py": (["--rows", "300"], {"inserted", "rerun_unchanged"}),
    "decisions_close.py": (["--proposals", "4", "--members", "5"], {"closed_twice"}),
    "load.py": (
        ["--clients", "2,4", "--seconds", "2", "--warm-up", "1", "--reports", "500"],
        {"clients", "requests_per_s", "p95_s", "errors", "acknowledged_writes", "audit_verify"},
    ),
    "backdated.py": (["--rows", "2000", "--repeats", "1"], {"rows", "sqlite", "postgresql"}),
    "audit_verify.py": (["--rows", "1500"], {"rows", "sqlite", "postgresql"}),
    "cli_start.py": (["--runs", "1"], {"runs", "commands"}),
    "upload.py": (["--megabytes", "1"], {"file_mb", "rows", "sqlite", "postgresql"}),
    "sanctions.py": (
        ["--lists", "3", "--per-list", "300"],
        {"lists", "sqlite", "postgresql", "peak_memory_mb"},
    ),
    "briefings.py": (["--readers", "deu.viewer"], {"briefings", "median_pdf_s", "page_range"}),
    "situation.py": (
        ["--days", "3", "--vertices", "2000", "--requests", "2"],
        {"days", "sqlite", "postgresql", "targets_met"},
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("script", sorted(RUNS))
def test_bench_runs_and_prints_its_figures(script: str, tmp_path: Path) -> None:
    args, keys = RUNS[script]
    done = subprocess.run(  # noqa: S603 - our own scripts
        [sys.executable, str(BENCH / script), *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert isinstance(figures, dict) and keys <= figures.keys()
    if script == "load.py":
        assert figures["acknowledged_writes"] == figures["stored_writes"]
        assert figures["audit_verify"] is True
    if "sqlite" in figures:
        assert figures["sqlite"].get("rows_per_s", 1) > 0
        assert "error" not in figures["postgresql"], figures["postgresql"]
