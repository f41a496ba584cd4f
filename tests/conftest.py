"""How the tests are arranged.

Every database test runs twice, on SQLite and on PostgreSQL: the ``engine`` fixture is
parametrised over both. SQLite gets a fresh file per test, copied from a template that
Alembic migrated once per run. PostgreSQL gets a private database per run (created on the
server named by ``COALITION_TEST_DATABASE_URL``, dropped at the end), migrated once and
truncated before each test, so tests never share state and parallel runs never collide.
When PostgreSQL cannot be reached its tests are skipped, except under ``CI=true`` where
that is a failure. Nothing here mocks the database.

``world`` seeds a small coalition (the secretariat, four states and the EU) with one user
of every role for each of two states, and API tokens for them; ``client_for`` gives an
HTTP client acting as one of them. Settings come from the environment set below, before
any Coalition module reads it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["COALITION_ENVIRONMENT"] = "test"
os.environ["COALITION_SECRET_KEY"] = "test-secret-" + "k" * 40
os.environ["COALITION_AUDIT_KEYS"] = "test:" + "a" * 40
os.environ.setdefault("COALITION_DATABASE_URL", "sqlite:///unused-by-tests.db")
# Uploads go to a directory of this run, never into the working tree.
os.environ.setdefault("COALITION_UPLOAD_DIR", tempfile.mkdtemp(prefix="coalition-uploads-"))

from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url

import coalition.models  # noqa: F401 - every table registered
from coalition.api import create_app
from coalition.core import migrate
from coalition.core.chain import GENESIS
from coalition.core.db import Base, forget_engine, get_engine
from coalition.core.settings import get_settings
from tests.world import World, build_world

pytest_plugins = ["tests.chromium"]  # the one browser of the run

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    admin_url = make_url(os.environ.get("COALITION_TEST_DATABASE_URL", PG_DEFAULT))
    name = f"coalition_t_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # any failure to reach the server
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI and could not be reached: {exc}")
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    engine = get_engine(url)
    migrate.upgrade(engine)
    yield url
    forget_engine(url)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _reset_postgres(engine: Engine) -> None:
    tables = [
        t.name
        for t in Base.metadata.sorted_tables
        if t.name in set(inspect(engine).get_table_names())
    ]
    with engine.begin() as conn:
        conn.execute(
            text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
        )
        conn.execute(
            text("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, :h)"), {"h": GENESIS}
        )


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[Engine]:
    """A clean, migrated database: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "coalition.db"
        shutil.copy(sqlite_template, path)
        engine = get_engine(f"sqlite:///{path}")
        yield engine
        forget_engine(f"sqlite:///{path}")
    else:
        engine = get_engine(request.getfixturevalue("pg_url"))
        _reset_postgres(engine)
        yield engine


@pytest.fixture(params=["sqlite", "postgresql"])
def bare_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database with no schema at all: a new SQLite file, or a private PostgreSQL
    database dropped afterwards (for tests of the migrations themselves)."""
    if request.param == "sqlite":
        engine = get_engine(f"sqlite:///{tmp_path / 'bare.db'}")
        yield engine
        engine.dispose()
        return
    admin_url = make_url(request.getfixturevalue("pg_url")).set(database="postgres")
    name = f"coalition_b_{secrets.token_hex(4)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = get_engine(admin_url.set(database=name).render_as_string(hide_password=False))
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def settings():  # type: ignore[no-untyped-def]
    return get_settings()


@pytest.fixture
def app(engine: Engine):  # type: ignore[no-untyped-def]
    return create_app(engine)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c


@pytest.fixture
def world(engine: Engine) -> World:
    return build_world(engine)


@pytest.fixture
def client_for(app, world: World):  # type: ignore[no-untyped-def]
    """``client_for("fra.viewer")``: an API client sending that user's bearer token."""
    clients: list[TestClient] = []

    def make(username: str | None) -> TestClient:
        c = TestClient(app, base_url="http://127.0.0.1")
        if username is not None:
            c.headers["Authorization"] = f"Bearer {world.tokens[username]}"
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.close()
