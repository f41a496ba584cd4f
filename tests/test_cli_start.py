"""The command line lists and explains its commands without loading the application.

``coalition --help`` and a command's own ``--help`` run in a fresh interpreter here (this
test process has long since imported everything), and what they imported is read from
``sys.modules``: no capability's model, no web framework, no data frames. Timings are
``bench/cli_start.py``'s business, not a test's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coalition import cli
from coalition.capabilities import REGISTERED
from coalition.core.commandline import Command, CommandGroup, build
from coalition.demo.capability import CAPABILITY as DEMO

# Runs the command line in-process, its help captured, then reports what was imported.
PROBE = """
import contextlib, io, json, sys
from coalition.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "out": out.getvalue(), "modules": sorted(sys.modules)}))
"""

# Loaded only when a command runs: the ORM and the capabilities' tables, the web stack,
# the server, the data-frame and numeric libraries, and the assembled application.
HEAVY = (
    "sqlalchemy",
    "alembic",
    "fastapi",
    "starlette",
    "uvicorn",
    "jinja2",
    "polars",
    "numpy",
    "numba",
    "shapely",
    "openpyxl",
    "coalition.capabilities",
    "coalition.models",
    "coalition.api",
    "coalition.server",
    "coalition.core.db",
)


def probe(*args: str, env: dict[str, str] | None = None) -> dict[str, object]:
    env = {**os.environ, "COLUMNS": "100", **(env or {})}
    done = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def heavy(modules: object) -> list[str]:
    assert isinstance(modules, list)
    return sorted(
        name
        for name in modules
        if any(name == h or name.startswith(h + ".") for h in HEAVY)
        or (name.startswith("coalition.") and name.rsplit(".", 1)[-1] in {"model", "service"})
    )


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["--help"], ["import", "ceasefire", "users", "demo", "serve"]),
        (["import", "--help"], ["commitments", "reports"]),
        (["import", "reports", "--help"], ["--date-order", "--as", "--rel-to"]),
    ],
    ids=["coalition", "import", "import reports"],
)
def test_help_loads_no_model_web_or_data_frame(args: list[str], shown: list[str]) -> None:
    found = probe(*args)
    assert found["code"] == 0
    assert all(word in str(found["out"]) for word in shown), found["out"]
    assert heavy(found["modules"]) == []


def test_help_imports_the_command_it_explains_and_no_other() -> None:
    modules = probe("import", "reports", "--help")["modules"]
    assert isinstance(modules, list)
    assert "coalition.ceasefire.commands" in modules
    assert not [m for m in modules if m.endswith(".commands") and "ceasefire" not in m]


def test_the_declared_commands_are_the_registered_capabilities_commands() -> None:
    registered = [entry for capability in [*REGISTERED, DEMO] for entry in capability.commands]
    assert registered == cli.DECLARED, "list the capability's cli.COMMANDS in coalition/cli.py"


@pytest.mark.parametrize(
    "entry", [*cli.DECLARED, *cli.CORE], ids=lambda e: f"{getattr(e, 'under', None)} {e.name}"
)
def test_a_declared_help_is_the_help_of_the_command_it_names(
    entry: Command | CommandGroup,
) -> None:
    built = build(entry)
    assert built.name == entry.name
    assert built.help == entry.help, "copy the command's docstring (or Typer help) into cli.py"


def test_a_command_that_runs_loads_the_whole_application_first(tmp_path: Path) -> None:
    """``audit verify`` needs every capability's checks; any command gets them, as before.

    On a database never migrated the command fails as it always did (exit 8, one line).
    """
    database = f"sqlite:///{tmp_path / 'empty.db'}"
    found = probe("decisions", "list", env={"COALITION_DATABASE_URL": database})
    assert found["code"] == 8
    assert "coalition.capabilities" in found["modules"]  # type: ignore[operator]


def test_a_typo_is_a_usage_error_that_names_the_command_meant(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["userz"]) == 2
    assert "Did you mean 'users'" in capsys.readouterr().err
    assert cli.main(["import", "reportz"]) == 2
    assert "Did you mean 'reports'" in capsys.readouterr().err
