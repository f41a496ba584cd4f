"""The import contracts in pyproject.toml hold, and name every module that calls itself pure.

``make lint`` runs the same contracts; this test fails CI on a broken layer on its own.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "coalition"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _contracts() -> dict[str, dict[str, Any]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def _lint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own virtual environment's linter
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_every_import_contract_is_kept() -> None:
    result = _lint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in result.stdout


def test_the_layers_the_architecture_names_are_contracts() -> None:
    contracts = _contracts()
    assert {
        "core-knows-no-capability",
        "web-shell-knows-no-capability",
        "capabilities-meet-through-services",
        "pure-modules",
        "schemas-know-no-web",
        "no-cycles",
    } <= contracts.keys()
    assert {"sqlalchemy", "fastapi", "starlette", "jinja2"} <= set(
        contracts["pure-modules"]["forbidden_modules"]
    )


def test_every_module_that_says_it_is_pure_is_held_to_it() -> None:
    listed = set(_contracts()["pure-modules"]["source_modules"])
    claimed: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        doc = ast.get_docstring(ast.parse(path.read_text())) or ""
        if re.search(r"\bpure\b", doc, re.IGNORECASE):
            parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
            if parts[-1] == "__init__":  # a package's own docstring: the package is named
                parts = parts[:-1]
            claimed.add(".".join(parts))
    assert claimed, "no module's docstring says it is pure"
    assert claimed - listed == set(), "add these to the pure-modules contract"


def test_a_broken_layer_is_reported(tmp_path: Path) -> None:
    # The import driver writes to the database: held to the pure contract, it must fail,
    # so a passing run above means the contracts were checked, not skipped.
    config = tmp_path / "layers.toml"
    config.write_text(
        "[tool.importlinter]\n"
        'root_package = "coalition"\n'
        "include_external_packages = true\n"
        "[[tool.importlinter.contracts]]\n"
        'name = "the import driver is not pure"\n'
        'type = "forbidden"\n'
        'source_modules = ["coalition.ceasefire.ingest"]\n'
        'forbidden_modules = ["sqlalchemy"]\n'
    )
    result = _lint(str(config))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "coalition.ceasefire.ingest is not allowed to import sqlalchemy" in result.stdout
