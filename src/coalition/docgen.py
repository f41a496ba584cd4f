"""Generate docs/cli.md from the command line's own help, so the two never drift.

Run ``python -m coalition.docgen`` (``make docs``) after changing a command; a test fails
while the checked-in file differs from what this prints.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer.core
import typer.main

from coalition.cli import app
from coalition.core.commandline import LazyGroup

HEADER = """# Command line reference

Generated from `coalition --help` by `make docs`; do not edit by hand. Domain errors
print one line, `error: <reason>`, and exit with a code that names their kind: 2 invalid
input, 3 not found, 4 conflict, 5 forbidden, 6 unauthenticated, 7 throttled,
8 unsafe configuration, 9 audit integrity failure, 10 database unavailable.

## How commands load

The command line pays only for what it uses. Each capability declares its commands in its
`cli.py` by name, help and the function or Typer group they run
(`"coalition.ceasefire.commands:import_reports"`), and `coalition/cli.py` builds the tree
from those declarations (`core/commandline.py`, a Typer group that imports on demand):

- `coalition --help` and a group's `--help` (`coalition import --help`) read the
  declarations alone: no capability, model, database driver, web framework or data-frame
  library is imported.
- Naming a command (to run it, or for its own `--help`) imports its module and nothing
  else: `coalition import reports --help` imports `ceasefire/commands.py`, which imports
  what its options need and leaves what the import does (the importer, polars, the
  database) to the moment it runs.
- When a command runs, the whole application is loaded first (every capability, its
  tables and its audit checks, as `coalition.capabilities` lists them), so a command sees
  what the server sees: `audit verify` checks every capability's derived tables whichever
  command came first. The commands under `import` load the tables alone
  (`coalition.models`), not the capabilities' routes, pages, solvers and checks: an import
  writes its rows through its own capability's functions and needs none of them, and the
  process stays some 40 MB lighter for the whole file (`coalition import reports` of ten
  rows: 212 MB before, 173 MB after).

`tests/test_cli_start.py` runs the help of the tree, of `import` and of `import reports` in
a fresh interpreter and fails if any of them imports SQLAlchemy, FastAPI, Starlette,
uvicorn, polars, numpy, numba, or a capability's model or service; it also fails while a
declared help text differs from the docstring of the command it names.

`bench/cli_start.py` prints each command's median wall time and peak memory; on a shared
two-core machine, 11 runs each (`--source` on the tree before lazy loading for the first
column; the figures vary by a third from run to run there):

| command | before | now |
|---|---|---|
| `coalition --help` | 2.0 s, 176 MB | 0.12 s, 23 MB |
| `coalition import reports --help` | 2.5 s, 176 MB | 0.22 s, 39 MB |
| `coalition import --help` | 2.1 s, 176 MB | 0.20 s, 38 MB |
| `coalition db --help` | 2.0 s, 176 MB | 0.45 s, 60 MB |
| `coalition audit verify` (runs, empty database) | 1.9 s, 176 MB | 1.7 s, 178 MB |

Importing `coalition.cli` went from 1.4 s and 1,363 modules to 0.04 s and 160
(`python -X importtime -c "import coalition.cli"`).
"""


def _walk(command: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    found = [(path, command)]
    subcommands = getattr(command, "commands", None) or {}
    for name in sorted(subcommands):
        # Every command's own help is documented, so a declared one is imported here.
        sub = command.load(name) if isinstance(command, LazyGroup) else subcommands[name]
        found += _walk(sub, [*path, name])
    return found


def render() -> str:
    # Plain click help: the rich boxes are for terminals, not for a Markdown page.
    typer.core.HAS_RICH = False
    root = typer.main.get_command(app)
    parts = [HEADER]
    for path, command in _walk(root, ["coalition"]):
        ctx = command.context_class(
            command, info_name=" ".join(path), terminal_width=100, max_content_width=100
        )
        help_text = command.get_help(ctx)
        parts.append(f"## `{' '.join(path)}`\n\n```text\n{help_text.rstrip()}\n```\n")
    return "\n".join(parts)


TARGET = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def main() -> None:
    TARGET.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {TARGET}\n")


if __name__ == "__main__":
    main()
