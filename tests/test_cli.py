"""The command line, run in-process against the test database on each engine."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import text

from coalition import cli, docgen
from coalition.core.settings import get_settings


@pytest.fixture
def run(engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """``run(args, stdin="")`` runs the CLI on the test database: ``(code, stdout, stderr)``."""
    monkeypatch.setenv("COALITION_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()

    def invoke(args: list[str], stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = cli.main(args)
        out, err = capsys.readouterr()
        return code, out, err

    yield invoke
    get_settings.cache_clear()


def test_users_add_reads_the_password_from_stdin_and_tokens_work(run, world, client) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(
        ["users", "add", "fra.analyst", "--member", "FRA", "--role", "viewer"], "a long password\n"
    )
    assert code == 0 and "created fra.analyst" in out, err
    code, token, _ = run(["users", "token", "fra.analyst", "--days", "1"])
    assert code == 0 and token.startswith("coa_")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token.strip()}"}).json()
    assert me == {"username": "fra.analyst", "member": "FRA", "role": "viewer"}


@pytest.mark.parametrize(
    ("args", "stdin", "exit_code", "message"),
    [
        (
            ["users", "add", "x.y", "--member", "ZZZ", "--role", "viewer"],
            "a long password\n",
            2,
            "unknown member code: ZZZ",
        ),
        (
            ["users", "add", "x.y", "--member", "FRA", "--role", "viewer"],
            "short\n",
            2,
            "at least 10 characters",
        ),
        (
            ["users", "add", "Bad Name", "--member", "FRA", "--role", "viewer"],
            "a long password\n",
            2,
            "username",
        ),
        (
            ["users", "add", "gbr.viewer", "--member", "GBR", "--role", "viewer"],
            "a long password\n",
            4,
            "already exists",
        ),
        (["users", "add", "x.y", "--member", "FRA", "--role", "viewer"], "", 2, "no password"),
        (["users", "token", "nobody"], "", 3, "no user nobody"),
        (["users", "add", "x.y", "--member", "FRA", "--role", "emperor"], "", 2, "emperor"),
    ],
)
def test_bad_input_is_one_clear_line_and_an_exit_code(  # type: ignore[no-untyped-def]
    run, world, args: list[str], stdin: str, exit_code: int, message: str
) -> None:
    code, _, err = run(args, stdin)
    assert code == exit_code
    assert message in err and "Traceback" not in err


def test_audit_verify_passes_then_names_a_tampered_row(run, world, engine) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(["audit", "verify"])
    assert code == 0 and "audit chain intact" in out
    with engine.begin() as conn:
        conn.execute(text("UPDATE members SET name = 'Forged' WHERE code = 'FRA'"))
    code, _, err = run(["audit", "verify"])
    assert code == 9
    assert (
        err.strip()
        == "error: audit check failed at members FRA: row differs from its last audit entry"
    )


def test_demo_loads_once_and_verifies(run) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(["demo", "--no-serve"])
    assert code == 0 and "demo scenario loaded" in out and "sec.admin" in out
    code, out, _ = run(["demo", "--no-serve"])
    assert code == 0 and "already present" in out
    assert run(["audit", "verify"])[0] == 0


def test_db_upgrade_is_idempotent(run) -> None:  # type: ignore[no-untyped-def]
    assert run(["db", "upgrade"])[0] == 0
    assert run(["db", "upgrade"])[0] == 0


def test_cli_reference_is_current() -> None:
    current = (Path(__file__).parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == docgen.render(), "run `make docs` to regenerate docs/cli.md"
