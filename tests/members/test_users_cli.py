"""`coalition users`: tokens listed and revoked, passwords checked, throttling cleared.

Also: on a database that was never migrated, every `users` command says so in one line.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from coalition import cli
from coalition.core.db import get_engine
from coalition.core.settings import get_settings
from tests.browser import browser, sign_in


def _runner(url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COALITION_DATABASE_URL", url)
    get_settings.cache_clear()

    def invoke(args: list[str], stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = cli.main(args)
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


@pytest.fixture
def run(engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """``run(args, stdin="")`` on the test database: ``(exit code, stdout, stderr)``."""
    yield _runner(engine.url.render_as_string(hide_password=False), monkeypatch, capsys)
    get_settings.cache_clear()


@pytest.fixture(params=["sqlite", "postgresql"])
def bare_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database that exists but was never migrated."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bare.db'}"
        return
    admin_url = make_url(request.getfixturevalue("pg_url")).set(database="postgres")
    name = f"coalition_bare_{secrets.token_hex(4)}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    yield url
    get_engine(url).dispose()  # the command line's cached engine, before its database goes
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_every_users_command_on_an_unmigrated_database_says_so_in_one_line(
    bare_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run = _runner(bare_url, monkeypatch, capsys)
    for args, stdin in [
        (["users", "token", "alice"], ""),
        (["users", "tokens", "alice"], ""),
        (["users", "revoke-token", "1"], ""),
        (["users", "password", "alice"], "a fine new passphrase\n"),
        (["users", "unlock", "alice"], ""),
        (["users", "add", "alice", "--member", "SEC", "--role", "admin"], "a fine passphrase\n"),
    ]:
        code, out, err = run(args, stdin)
        assert (code, out) == (8, ""), args
        assert err == "error: the database is not migrated; run coalition db upgrade\n", args
    get_settings.cache_clear()


def test_tokens_are_listed_without_secrets_and_revoked(run, client, world) -> None:  # type: ignore[no-untyped-def]
    code, token, _ = run(["users", "token", "fra.viewer", "--label", "reporting", "--days", "3"])
    assert code == 0
    code, out, _ = run(["users", "tokens", "fra.viewer"])
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) == 2 and "reporting" in lines[0] and "active" in lines[0]
    assert "coa_" not in out
    token_id = lines[0].split()[0]
    code, out, _ = run(["users", "revoke-token", token_id])
    assert code == 0 and out.strip() == f"token {token_id} of fra.viewer revoked"
    bearer = {"Authorization": f"Bearer {token.strip()}"}
    assert client.get("/api/v1/me", headers=bearer).status_code == 401
    assert "revoked" in run(["users", "tokens", "fra.viewer"])[1].splitlines()[0]


def test_a_new_password_ends_tokens_and_bad_ones_are_refused(run, client, world) -> None:  # type: ignore[no-untyped-def]
    bearer = {"Authorization": f"Bearer {world.tokens['gbr.viewer']}"}
    for password, reason in [
        ("password12345", "common and breached"),
        ("gbr.viewer-2025", "contain the username"),
        ("1234567890", "common and breached"),
        ("short", "at least 10 characters"),
    ]:
        code, _, err = run(["users", "password", "gbr.viewer"], password + "\n")
        assert code == 2 and reason in err and err.count("\n") == 1, err
    assert client.get("/api/v1/me", headers=bearer).status_code == 200
    code, out, _ = run(["users", "password", "gbr.viewer"], "a new and long passphrase\n")
    assert code == 0 and "sessions and tokens are ended" in out
    assert client.get("/api/v1/me", headers=bearer).status_code == 401
    code, _, err = run(
        ["users", "add", "pol.new", "--member", "POL", "--role", "viewer"], "qwertyuiop\n"
    )
    assert code == 2 and "common and breached" in err


def test_unlock_clears_throttling_from_the_command_line(run, app, world) -> None:  # type: ignore[no-untyped-def]
    attacker = browser(app, "203.0.113.5")
    for _ in range(5):
        sign_in(attacker, "fra.viewer", "not the password")
    assert sign_in(attacker, "fra.viewer").status_code == 429
    code, out, _ = run(["users", "unlock", "fra.viewer", "--address", "203.0.113.5"])
    assert code == 0
    assert (
        out.strip()
        == "sign-in throttling of fra.viewer from 203.0.113.5 cleared (5 recent failures)"
    )
    assert sign_in(attacker, "fra.viewer").status_code == 303


# One test looping over the cases: each parametrised case would be a new SQLite database,
# and more than eight in a row push the PostgreSQL engine out of the engine cache.
BAD_INPUT = [
    (["users", "unlock", "fra.viewer", "--address", "nowhere"], 2, "not an IP address"),
    (["users", "unlock", "fra.viewer", "--address", "1" * 100], 2, "at most 64 characters"),
    (["users", "unlock", "nobody"], 3, "no user nobody"),
    (["users", "revoke-token", "2147483647"], 3, "no token 2147483647"),
    (["users", "revoke-token", "0"], 2, "greater than or equal to 1"),
    (["users", "revoke-token", "abc"], 2, "a valid integer"),
    (["users", "tokens", "nobody"], 3, "no user nobody"),
    (["users", "token", "fra.viewer", "--label", "x" * 121], 2, "at most 120 characters"),
    (["users", "token", "fra.viewer", "--label", "a\x1bb"], 2, "printable text"),
]


def test_bad_input_is_one_line(run, world) -> None:  # type: ignore[no-untyped-def]
    for args, code, message in BAD_INPUT:
        got, _, err = run(args)
        assert got == code and message in err and "Traceback" not in err, (args, err)
