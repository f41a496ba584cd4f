"""How fast the command line starts, and how much memory it takes, per command.

Runs each command ``--runs`` times as a fresh process (the ``coalition`` script beside this
interpreter) and prints the median wall time and the peak resident memory of each: the
help of the whole tree, of a shared group and of one command, which import no capability
(``docs/cli.md``, "How commands load"), then ``db --help`` (the core's commands) and
``audit verify`` on a fresh SQLite database, a command that runs and so loads the whole
application. ``--source DIR`` runs another tree's ``src`` instead (a ``git archive`` of an
older commit), to compare. Prints figures, then one JSON object.

    .venv/bin/python bench/cli_start.py --runs 9
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = [
    ["--help"],
    ["import", "reports", "--help"],
    ["import", "--help"],
    ["db", "--help"],
    ["audit", "verify"],
]


def command_line() -> list[str]:
    script = Path(sys.executable).with_name("coalition")
    return [str(script)] if script.exists() else [sys.executable, "-m", "coalition.cli"]


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, peak resident MB and exit status of one fresh process."""
    started = time.perf_counter()
    child = subprocess.Popen(  # noqa: S603 - our own command line
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, child.returncode  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="Runs of each command")
    parser.add_argument("--source", type=Path, help="Run this src directory's coalition instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "COALITION_ENVIRONMENT": os.environ.get("COALITION_ENVIRONMENT", "development"),
            "COALITION_DATABASE_URL": f"sqlite:///{Path(tmp) / 'start.db'}",
        }
        if args.source is not None:
            env["PYTHONPATH"] = str(args.source.resolve())
        base = command_line()
        _, _, status = run_once([*base, "db", "upgrade"], env)
        if status != 0:
            sys.exit(f"db upgrade failed with exit status {status}")
        figures: dict[str, dict[str, float]] = {}
        for command in COMMANDS:
            runs = [run_once([*base, *command], env) for _ in range(args.runs)]
            if any(status != 0 for _, _, status in runs):
                sys.exit(f"coalition {' '.join(command)} failed")
            wall = statistics.median(t for t, _, _ in runs)
            peak = max(m for _, m, _ in runs)
            name = " ".join(command)
            figures[name] = {"median_s": round(wall, 3), "peak_rss_mb": round(peak, 1)}
            print(f"coalition {name:<24} median {wall:6.3f} s  peak {peak:6.1f} MB")
    print(json.dumps({"runs": args.runs, "commands": figures}))


if __name__ == "__main__":
    main()
