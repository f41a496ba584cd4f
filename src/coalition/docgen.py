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

HEADER = """# Command line reference

Generated from `coalition --help` by `make docs`; do not edit by hand. Domain errors
print one line, `error: <reason>`, and exit with a code that names their kind: 2 invalid
input, 3 not found, 4 conflict, 5 forbidden, 6 unauthenticated, 7 throttled,
8 unsafe configuration, 9 audit integrity failure, 10 database unavailable.
"""


def _walk(command: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    found = [(path, command)]
    subcommands = getattr(command, "commands", None) or {}
    for name in sorted(subcommands):
        found += _walk(subcommands[name], [*path, name])
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
